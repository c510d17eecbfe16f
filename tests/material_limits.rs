//! Bounded work on material bytes: a JPEG whose header claims another size than its
//! scan data holds is a decode error (a format finding), an image over the per-image
//! decode limit is refused from its header, and decodes running at once stay within the
//! process-wide decode budget.

use icp_review::material::{
    DECODE_BUDGET_BYTES, Format, MAX_DECODE_BYTES, decode_memory_in_use, inspect_bytes,
};

fn encoder_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut px = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x % 251) as u8, (y % 241) as u8, 128]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(&px, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// The same JPEG with its frame header claiming `w`×`h`.
fn claim(bytes: &[u8], w: u16, h: u16) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let sof = b
        .windows(2)
        .position(|p| p == [0xFF, 0xC0])
        .expect("baseline frame header");
    b[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    b
}

#[test]
fn a_jpeg_claiming_more_than_its_scan_holds_is_a_decode_error() {
    let real = encoder_jpeg(64, 64);
    let ok = inspect_bytes(&real);
    assert_eq!(
        ok.image.as_ref().map(|i| (i.width, i.height)),
        Some((64, 64))
    );
    for (w, h) in [(64, 4096), (4096, 4096), (2000, 64)] {
        let ins = inspect_bytes(&claim(&real, w, h));
        assert_eq!(ins.format, Format::Jpeg);
        assert!(ins.image.is_none(), "{w}×{h} measured as {:?}", ins.image);
        let e = ins.decode_error.expect("a decode error");
        assert!(e.contains(&format!("header claims {w}×{h}")), "{e}");
        assert!(e.contains("scan data ends"), "{e}");
    }
}

#[test]
fn a_jpeg_claiming_less_than_its_scan_holds_is_a_decode_error() {
    let real = encoder_jpeg(256, 256);
    let ins = inspect_bytes(&claim(&real, 256, 64));
    assert!(ins.image.is_none(), "measured as {:?}", ins.image);
    let e = ins.decode_error.expect("a decode error");
    assert!(e.contains("goes on"), "{e}");
}

/// A PNG of `w`×`h` RGBA pixels, all white (compresses to almost nothing).
fn white_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(w, h, image::Rgba([255, 255, 255, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A valid PNG header claiming `w`×`h` RGBA, with a tiny (wrong) data stream: enough to
/// be refused from the header, never decoded.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(&ihdr);
    bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    // An IDAT holding an empty zlib stream: the decoder reads the header up to it.
    let idat = [
        b'I', b'D', b'A', b'T', 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01,
    ];
    bytes.extend_from_slice(&8u32.to_be_bytes());
    bytes.extend_from_slice(&idat);
    bytes.extend_from_slice(&crc32(&idat).to_be_bytes());
    bytes.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn an_image_over_the_decode_limit_is_refused_from_its_header() {
    // 10000×10000 RGBA: 381 MiB of pixels from a file of a few hundred bytes.
    let started = std::time::Instant::now();
    let ins = inspect_bytes(&png_header(10_000, 10_000));
    assert!(started.elapsed().as_millis() < 500);
    let e = ins.decode_error.expect("refused");
    assert!(e.contains("over the 128 MiB limit"), "{e}");
    assert_eq!(MAX_DECODE_BYTES, 128 * 1024 * 1024);
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

#[test]
fn concurrent_decodes_stay_within_the_decode_budget() {
    // Eight 20-megapixel RGBA PNGs (76 MiB of pixels each, 608 MiB together) inspected
    // at once: the budget lets three decode at a time.
    let png = white_png(5_000, 4_000);
    let each = 5_000u64 * 4_000 * 4;
    assert!(each <= MAX_DECODE_BYTES && 8 * each > DECODE_BUDGET_BYTES);
    let before = peak_rss_kib();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (max_seen, facts) = std::thread::scope(|s| {
        let monitor = s.spawn(|| {
            let mut max = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                max = max.max(decode_memory_in_use());
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            max
        });
        let workers: Vec<_> = (0..8).map(|_| s.spawn(|| inspect_bytes(&png))).collect();
        let facts: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (monitor.join().unwrap(), facts)
    });
    for f in &facts {
        assert!(f.decode_error.is_none(), "{:?}", f.decode_error);
        assert_eq!(
            f.image.as_ref().map(|i| (i.width, i.height)),
            Some((5_000, 4_000))
        );
    }
    assert!(max_seen > 0, "the monitor saw decoding");
    assert!(
        max_seen <= DECODE_BUDGET_BYTES,
        "{max_seen} bytes reserved at once"
    );
    let grew_mib = peak_rss_kib().saturating_sub(before) / 1024;
    eprintln!(
        "decode budget: peak reserved {} MiB, peak RSS grew {grew_mib} MiB",
        max_seen / (1024 * 1024)
    );
    // Three decodes' pixels at most, plus decoder and allocator overhead.
    assert!(
        grew_mib < DECODE_BUDGET_BYTES / (1024 * 1024) + 128,
        "peak RSS grew {grew_mib} MiB"
    );
    assert_eq!(decode_memory_in_use(), 0);
}
