//! Tests for `icp_review::material`: format detection, image facts, file errors, the real sample
//! materials in `shared/spec/examples/materials`, and "never panics" property tests.
//!
//! All image fixtures are generated here with the `image` crate.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use icp_review::material::{
    Format, ImageFacts, Inspection, MAX_FILE_BYTES, MaterialError, detect_format, inspect_bytes,
    inspect_file,
};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, GrayImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use proptest::prelude::*;

const SAMPLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/spec/examples/materials"
);

// ---------------------------------------------------------------------------------------------
// Fixture generation
// ---------------------------------------------------------------------------------------------

/// Small deterministic PRNG (xorshift64*), so fixtures are reproducible without extra crates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `-amp..=amp`.
    fn noise(&mut self, amp: i32) -> i32 {
        (self.next() % (2 * amp as u64 + 1)) as i32 - amp
    }
}

fn clamp(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// A colour "certificate scan": off-white paper with texture, a red decorative frame, dark text
/// lines, a blue emblem and a red seal.
fn colour_document(w: u32, h: u32, seed: u64) -> RgbImage {
    let mut rng = Rng(seed | 1);
    let (wf, hf) = (w as f64, h as f64);
    let frame = (wf.min(hf) * 0.04) as u32;
    let seal = ((wf * 0.72, hf * 0.7), wf.min(hf) * 0.12);
    let emblem = ((wf * 0.5, hf * 0.16), wf.min(hf) * 0.06);
    RgbImage::from_fn(w, h, |x, y| {
        let (xf, yf) = (x as f64, y as f64);
        let inside = |((cx, cy), r): ((f64, f64), f64)| (xf - cx).hypot(yf - cy) <= r;
        let ring = {
            let ((cx, cy), r) = seal;
            let d = (xf - cx).hypot(yf - cy);
            d <= r && d >= r * 0.85
        };
        let base: [i32; 3] = if x < frame || y < frame || x >= w - frame || y >= h - frame {
            [190, 40, 35] // red decorative frame
        } else if ring {
            [210, 30, 40] // red seal ring
        } else if inside(emblem) {
            [30, 60, 170] // blue emblem
        } else if (y / 12) % 3 == 0
            && yf > hf * 0.3
            && yf < hf * 0.9
            && xf > wf * 0.1
            && xf < wf * 0.6
            && (x / 7) % 5 != 0
        {
            [35, 35, 40] // text
        } else {
            [246, 244, 238] // paper
        };
        let n = rng.noise(6);
        Rgb(base.map(|c| clamp(c + n + rng.noise(2))))
    })
}

/// The same document as a greyscale scan that was saved as RGB (each pixel's luma copied to the
/// three channels, plus a little independent per-channel scanner noise).
fn grey_document_as_rgb(w: u32, h: u32, seed: u64) -> RgbImage {
    let colour = colour_document(w, h, seed);
    let mut rng = Rng(seed.wrapping_add(7) | 1);
    RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b] = colour.get_pixel(x, y).0;
        let l = (299 * i32::from(r) + 587 * i32::from(g) + 114 * i32::from(b)) / 1000;
        Rgb([0; 3].map(|_: u8| clamp(l + rng.noise(3))))
    })
}

/// A verification photo: a person (face and shoulders) in the middle of a background.
fn photo(w: u32, h: u32, background: [i32; 3], seed: u64) -> RgbImage {
    let mut rng = Rng(seed | 1);
    let (wf, hf) = (w as f64, h as f64);
    RgbImage::from_fn(w, h, |x, y| {
        let (xf, yf) = (x as f64 / wf, y as f64 / hf);
        let face = ((xf - 0.5) / 0.16).powi(2) + ((yf - 0.38) / 0.2).powi(2) <= 1.0;
        let body = yf > 0.58 && (xf - 0.5).abs() < 0.3 + (yf - 0.58) * 0.3;
        let base = if face {
            [225, 180, 150]
        } else if body {
            [40, 45, 60]
        } else {
            // gentle vignette on the background
            let v = ((xf - 0.5).powi(2) + (yf - 0.5).powi(2)) * 20.0;
            background.map(|c| c - v as i32)
        };
        let n = rng.noise(4);
        Rgb(base.map(|c| clamp(c + n)))
    })
}

fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("encode jpeg");
    out
}

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

fn facts(bytes: &[u8]) -> ImageFacts {
    let inspection = inspect_bytes(bytes);
    assert_eq!(inspection.decode_error, None, "{inspection:?}");
    inspection.image.expect("image facts")
}

/// A small colour JPEG, reused as a seed for the mutation property test.
fn small_jpeg() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| jpeg(&colour_document(96, 64, 3), 80))
}

/// A small colour PNG, reused as a seed for the mutation property test.
fn small_png() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        encode(
            DynamicImage::ImageRgb8(colour_document(64, 48, 4)),
            ImageFormat::Png,
        )
    })
}

/// CRC-32 (IEEE) for hand-made PNG chunks.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

// ---------------------------------------------------------------------------------------------
// Format detection and basic fields
// ---------------------------------------------------------------------------------------------

#[test]
fn sha256_and_size_of_known_bytes() {
    let inspection = inspect_bytes(b"abc");
    assert_eq!(inspection.size, 3);
    assert_eq!(
        inspection.sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let empty = inspect_bytes(b"");
    assert_eq!(empty.size, 0);
    assert_eq!(
        empty.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(empty.format, Format::Unknown);
    assert_eq!((empty.image, empty.decode_error), (None, None));
}

#[test]
fn pdf_magic_is_pdf_without_image() {
    let bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
    let inspection = inspect_bytes(bytes);
    assert_eq!(inspection.format, Format::Pdf);
    assert_eq!(inspection.image, None);
    assert_eq!(inspection.decode_error, None);
}

#[test]
fn random_text_is_unknown() {
    for text in [
        &b"hello, this is not an image at all"[..],
        b"BMW is a car, not a bitmap",
        b"%PDF? no, just text",
        b"RIFF....WAVEfmt ",
        b"GIF88a",
        b"\x89PNG",
    ] {
        let inspection = inspect_bytes(text);
        assert_eq!(inspection.format, Format::Unknown, "{text:?}");
        assert_eq!((inspection.image, inspection.decode_error), (None, None));
    }
}

#[test]
fn magic_numbers() {
    assert_eq!(detect_format(&[0xFF, 0xD8, 0xFF, 0xE0]), Format::Jpeg);
    assert_eq!(detect_format(b"\x89PNG\r\n\x1a\n...."), Format::Png);
    assert_eq!(detect_format(b"GIF87a...."), Format::Gif);
    assert_eq!(detect_format(b"GIF89a...."), Format::Gif);
    assert_eq!(detect_format(b"RIFF\x10\0\0\0WEBPVP8L"), Format::Webp);
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&[0; 12]);
    bmp.extend_from_slice(&40u32.to_le_bytes());
    assert_eq!(detect_format(&bmp), Format::Bmp);
    assert_eq!(detect_format(b"%PDF-1.4"), Format::Pdf);
    assert_eq!(detect_format(b""), Format::Unknown);
    assert_eq!(detect_format(&[0xFF, 0xD8]), Format::Unknown);
}

#[test]
fn format_names_and_serde() {
    let all = [
        (Format::Jpeg, "jpeg"),
        (Format::Png, "png"),
        (Format::Pdf, "pdf"),
        (Format::Gif, "gif"),
        (Format::Bmp, "bmp"),
        (Format::Webp, "webp"),
        (Format::Unknown, "unknown"),
    ];
    for (format, name) in all {
        assert_eq!(format.name(), name);
        assert_eq!(format.to_string(), name);
        assert_eq!(
            serde_json::to_string(&format).unwrap(),
            format!("\"{name}\"")
        );
    }
    let inspection = inspect_bytes(b"%PDF-1.7");
    let json = serde_json::to_value(&inspection).unwrap();
    assert_eq!(json["format"], "pdf");
    assert_eq!(json["size"], 8);
    assert!(json["image"].is_null());
}

// ---------------------------------------------------------------------------------------------
// Image facts
// ---------------------------------------------------------------------------------------------

#[test]
fn colour_jpeg_is_not_greyscale() {
    let f = facts(&jpeg(&colour_document(800, 565, 11), 85));
    assert_eq!((f.width, f.height), (800, 565));
    assert!(!f.greyscale, "{f:?}");
}

#[test]
fn greyscale_content_saved_as_rgb_jpeg_is_greyscale() {
    for quality in [60, 85, 95] {
        let bytes = jpeg(&grey_document_as_rgb(800, 565, 12), quality);
        // Really an RGB (3-component) JPEG, not a single-channel one.
        assert_eq!(
            image::load_from_memory(&bytes).unwrap().color(),
            image::ColorType::Rgb8
        );
        let f = facts(&bytes);
        assert!(f.greyscale, "quality {quality}: {f:?}");
    }
}

#[test]
fn greyscale_rgb_png_is_greyscale_and_colour_png_is_not() {
    let grey = encode(
        DynamicImage::ImageRgb8(grey_document_as_rgb(300, 200, 13)),
        ImageFormat::Png,
    );
    assert!(facts(&grey).greyscale);
    let colour = encode(
        DynamicImage::ImageRgb8(colour_document(300, 200, 13)),
        ImageFormat::Png,
    );
    assert!(!facts(&colour).greyscale);
}

#[test]
fn luma_png_is_greyscale() {
    let img = GrayImage::from_fn(320, 240, |x, y| {
        image::Luma([((x * 7 + y * 3) % 256) as u8])
    });
    let f = facts(&encode(DynamicImage::ImageLuma8(img), ImageFormat::Png));
    assert_eq!((f.width, f.height), (320, 240));
    assert!(f.greyscale);
}

#[test]
fn luma_jpeg_is_greyscale() {
    let img = DynamicImage::ImageRgb8(colour_document(400, 300, 14)).into_luma8();
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(&img)
        .unwrap();
    let f = facts(&bytes);
    assert!(f.greyscale);
    assert_eq!((f.width, f.height), (400, 300));
}

#[test]
fn white_border_photo_is_near_white() {
    let f = facts(&jpeg(&photo(900, 1200, [250, 250, 248], 21), 85));
    assert!(f.border_near_white, "{f:?}");
    assert!(!f.greyscale, "{f:?}");
}

#[test]
fn dark_photo_is_not_near_white() {
    let f = facts(&jpeg(&photo(900, 1200, [45, 55, 75], 22), 85));
    assert!(!f.border_near_white, "{f:?}");
}

#[test]
fn bright_but_coloured_background_is_not_near_white() {
    // The classic light-blue ID-photo backdrop: bright-ish, but clearly not white.
    let f = facts(&jpeg(&photo(600, 800, [150, 200, 250], 23), 85));
    assert!(!f.border_near_white, "{f:?}");
    // A light grey (not pure white) curtain still counts as near white.
    let f = facts(&jpeg(&photo(600, 800, [225, 225, 222], 24), 85));
    assert!(f.border_near_white, "{f:?}");
}

#[test]
fn jpeg_1600x1130_dimensions() {
    let f = facts(&jpeg(&colour_document(1600, 1130, 31), 85));
    assert_eq!((f.width, f.height), (1600, 1130));
    assert_eq!((f.short_side(), f.long_side()), (1130, 1600));
    assert!(!f.greyscale);
}

#[test]
fn odd_and_tiny_jpeg_dimensions() {
    for (w, h) in [(1, 1), (7, 3), (17, 1001), (1001, 9), (129, 130)] {
        let f = facts(&jpeg(&colour_document(w, h, 32), 85));
        assert_eq!((f.width, f.height), (w, h));
    }
}

#[test]
fn other_raster_formats_decode() {
    let img = colour_document(120, 90, 41);
    for format in [ImageFormat::Png, ImageFormat::Bmp, ImageFormat::WebP] {
        let bytes = encode(DynamicImage::ImageRgb8(img.clone()), format);
        let inspection = inspect_bytes(&bytes);
        let expected = match format {
            ImageFormat::Png => Format::Png,
            ImageFormat::Bmp => Format::Bmp,
            _ => Format::Webp,
        };
        assert_eq!(inspection.format, expected);
        let f = inspection.image.expect("decoded");
        assert_eq!((f.width, f.height), (120, 90));
        assert!(!f.greyscale, "{format:?}");
    }
    let rgba = DynamicImage::ImageRgb8(img).into_rgba8();
    let gif = encode(DynamicImage::ImageRgba8(rgba), ImageFormat::Gif);
    let inspection = inspect_bytes(&gif);
    assert_eq!(inspection.format, Format::Gif);
    let f = inspection.image.expect("decoded gif");
    assert_eq!((f.width, f.height), (120, 90));
    assert!(!f.greyscale);
}

#[test]
fn transparent_icon_border_counts_as_white() {
    // A coloured disc on a fully transparent background whose hidden RGB is black.
    let icon = RgbaImage::from_fn(192, 192, |x, y| {
        let d = (x as f64 - 96.0).hypot(y as f64 - 96.0);
        if d < 70.0 {
            Rgba([20, 120, 230, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let f = facts(&encode(DynamicImage::ImageRgba8(icon), ImageFormat::Png));
    assert!(f.border_near_white, "{f:?}");
    assert!(!f.greyscale);
}

// ---------------------------------------------------------------------------------------------
// Broken and hostile input
// ---------------------------------------------------------------------------------------------

fn assert_decode_error(inspection: &Inspection, format: Format) -> String {
    assert_eq!(inspection.format, format);
    assert_eq!(inspection.image, None);
    inspection
        .decode_error
        .clone()
        .unwrap_or_else(|| panic!("expected a decode error: {inspection:?}"))
}

#[test]
fn truncated_jpeg_reports_decode_error() {
    let bytes = jpeg(&colour_document(640, 480, 51), 85);
    let head = inspect_bytes(&bytes[..300]);
    assert_decode_error(&head, Format::Jpeg);
    assert_eq!(head.size, 300);
    // Cut in the middle of the entropy-coded data.
    let half = inspect_bytes(&bytes[..bytes.len() / 2]);
    assert_decode_error(&half, Format::Jpeg);
}

#[test]
fn truncated_png_reports_decode_error() {
    let bytes = encode(
        DynamicImage::ImageRgb8(colour_document(200, 150, 52)),
        ImageFormat::Png,
    );
    for len in [8, 20, 40, bytes.len() / 2, bytes.len() - 13] {
        assert_decode_error(&inspect_bytes(&bytes[..len]), Format::Png);
    }
}

#[test]
fn huge_jpeg_header_is_rejected_before_decoding() {
    // SOI + DQT-less baseline SOF0 claiming 65535×65535 (4.3 gigapixels), nothing else.
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x03,
    ];
    for id in 1..=3u8 {
        bytes.extend_from_slice(&[id, 0x11, 0x00]);
    }
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    let message = assert_decode_error(&inspect_bytes(&bytes), Format::Jpeg);
    assert!(message.contains("too large"), "{message}");
}

#[test]
fn progressive_jpeg_over_memory_budget_is_rejected() {
    // 12000×8000 (96 MP, under the pixel limit) but progressive with three components: keeping
    // every DCT coefficient would need more than the 512 MiB decode budget.
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xC2, 0x00, 0x11, 0x08];
    bytes.extend_from_slice(&8000u16.to_be_bytes());
    bytes.extend_from_slice(&12000u16.to_be_bytes());
    bytes.push(3);
    for id in 1..=3u8 {
        bytes.extend_from_slice(&[id, 0x11, 0x00]);
    }
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    let message = assert_decode_error(&inspect_bytes(&bytes), Format::Jpeg);
    assert!(message.contains("MiB"), "{message}");
}

#[test]
fn huge_png_header_is_rejected_before_decoding() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    png_chunk(&mut bytes, b"IHDR", &ihdr);
    png_chunk(
        &mut bytes,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut bytes, b"IEND", &[]);
    let message = assert_decode_error(&inspect_bytes(&bytes), Format::Png);
    assert!(message.contains("too large"), "{message}");
}

#[test]
fn huge_gif_and_bmp_headers_are_rejected() {
    // GIF logical screen 65535×65535 with a global colour table, then trailer.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0]);
    gif.extend_from_slice(&[0; 6]);
    gif.extend_from_slice(&[
        0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 2, 2, 0x4C, 0x01, 0,
    ]);
    gif.push(0x3B);
    let message = assert_decode_error(&inspect_bytes(&gif), Format::Gif);
    assert!(message.contains("too large"), "{message}");

    // BMP claiming 50000×50000 24-bit pixels with no pixel data.
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&54u32.to_le_bytes()); // file size (a lie)
    bmp.extend_from_slice(&[0; 4]);
    bmp.extend_from_slice(&54u32.to_le_bytes()); // pixel offset
    bmp.extend_from_slice(&40u32.to_le_bytes()); // BITMAPINFOHEADER
    bmp.extend_from_slice(&50_000i32.to_le_bytes());
    bmp.extend_from_slice(&50_000i32.to_le_bytes());
    bmp.extend_from_slice(&1u16.to_le_bytes());
    bmp.extend_from_slice(&24u16.to_le_bytes());
    bmp.extend_from_slice(&[0; 24]);
    let message = assert_decode_error(&inspect_bytes(&bmp), Format::Bmp);
    assert!(message.contains("too large"), "{message}");
}

#[test]
fn image_with_magic_but_garbage_reports_error_for_every_raster_format() {
    let garbage = [0x5Au8; 64];
    for (magic, format) in [
        (&b"\xFF\xD8\xFF"[..], Format::Jpeg),
        (b"\x89PNG\r\n\x1a\n", Format::Png),
        (b"GIF89a", Format::Gif),
        (b"RIFF\x40\0\0\0WEBP", Format::Webp),
    ] {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&garbage);
        assert_decode_error(&inspect_bytes(&bytes), format);
    }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

#[test]
fn inspect_file_matches_inspect_bytes() {
    let bytes = jpeg(&colour_document(320, 240, 61), 85);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("licence.png"); // the name lies; the bytes decide
    std::fs::write(&path, &bytes).unwrap();
    let inspection = inspect_file(&path).unwrap();
    assert_eq!(inspection, inspect_bytes(&bytes));
    assert_eq!(inspection.format, Format::Jpeg);
}

#[test]
fn missing_file_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.jpg");
    let err = inspect_file(&path).unwrap_err();
    assert_eq!(err, MaterialError::Missing(path.clone()));
    assert!(err.to_string().contains("nope.jpg"), "{err}");
}

#[test]
fn directory_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    match inspect_file(dir.path()) {
        Err(MaterialError::Unreadable { path, reason }) => {
            assert_eq!(path, dir.path());
            assert!(reason.contains("directory"), "{reason}");
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
    let err = inspect_file(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains(dir.path().to_string_lossy().as_ref()),
        "{err}"
    );
}

#[test]
fn oversized_file_is_unreadable_without_reading_it() {
    let file = tempfile::NamedTempFile::new().unwrap();
    // Sparse: no 64 MiB are written or read.
    file.as_file().set_len(MAX_FILE_BYTES + 1).unwrap();
    match inspect_file(file.path()) {
        Err(MaterialError::Unreadable { reason, .. }) => {
            assert!(reason.contains("limit"), "{reason}")
        }
        other => panic!("expected Unreadable, got {other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn unreadable_permissions_are_unreadable() {
    use std::os::unix::fs::PermissionsExt;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), b"%PDF-1.7").unwrap();
    std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root ignores file permissions; only check when the file really cannot be opened.
    if std::fs::File::open(file.path()).is_err() {
        assert!(matches!(
            inspect_file(file.path()),
            Err(MaterialError::Unreadable { .. })
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Real sample materials
// ---------------------------------------------------------------------------------------------

fn sample(name: &str) -> Inspection {
    let path: PathBuf = Path::new(SAMPLES).join(name);
    inspect_file(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn sample_facts(name: &str) -> ImageFacts {
    let inspection = sample(name);
    // Every sample but `not-an-image.jpg` has an honest extension.
    let expected = if name.ends_with(".png") {
        Format::Png
    } else {
        Format::Jpeg
    };
    assert_eq!(inspection.format, expected, "{name}");
    inspection
        .image
        .unwrap_or_else(|| panic!("{name}: {:?}", inspection.decode_error))
}

#[test]
fn sample_licence_is_colour() {
    let f = sample_facts("licence.jpg");
    assert!(!f.greyscale, "{f:?}");
    assert_eq!((f.width, f.height), (1600, 1130));
}

#[test]
fn sample_licence_grey_is_greyscale() {
    let f = sample_facts("licence-grey.jpg");
    assert!(f.greyscale, "{f:?}");
    assert_eq!((f.width, f.height), (1600, 1130));
}

#[test]
fn sample_photo_has_white_border() {
    let f = sample_facts("photo.jpg");
    assert!(f.border_near_white, "{f:?}");
}

#[test]
fn sample_dark_photo_has_no_white_border() {
    let f = sample_facts("photo-dark.jpg");
    assert!(!f.border_near_white, "{f:?}");
}

#[test]
fn sample_not_an_image_is_unknown() {
    // Its text starts with "%PDF? no: …" — a "%PDF" prefix alone must not make it a PDF.
    let inspection = sample("not-an-image.jpg");
    assert_eq!(inspection.format, Format::Unknown);
    assert_eq!((inspection.image, inspection.decode_error), (None, None));
}

#[test]
fn sample_big_icon_is_over_100_kib() {
    let inspection = sample("icon-big.png");
    assert!(inspection.size > 100 * 1024, "{}", inspection.size);
    assert_eq!(inspection.format, Format::Png);
    assert!(inspection.image.is_some());
    let small = sample("icon.png");
    assert!(small.size <= 100 * 1024, "{}", small.size);
}

#[test]
fn sample_small_id_has_short_side_under_600() {
    let f = sample_facts("id-small.jpg");
    assert!(f.short_side() < 600, "{f:?}");
    let normal = sample_facts("id-front.jpg");
    assert!(normal.short_side() >= 600, "{normal:?}");
}

#[test]
fn all_samples_inspect_without_decode_errors() {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(SAMPLES)
        .expect("sample directory")
        .map(|entry| entry.expect("dir entry").path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 7, "{entries:?}");
    for path in entries {
        let inspection = inspect_file(&path).unwrap();
        assert_eq!(inspection.decode_error, None, "{}", path.display());
        assert_eq!(
            inspection.image.is_some(),
            inspection.format.is_raster(),
            "{}",
            path.display()
        );
        assert_eq!(inspection.sha256.len(), 64);
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests: hostile bytes never panic
// ---------------------------------------------------------------------------------------------

const MAGICS: [&[u8]; 6] = [
    b"\xFF\xD8\xFF",
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"BM",
    b"RIFF\0\0\0\0WEBP",
    b"%PDF-",
];

fn check_invariants(bytes: &[u8], inspection: &Inspection) {
    assert_eq!(inspection.size, bytes.len() as u64);
    assert_eq!(inspection.sha256.len(), 64);
    assert_eq!(inspection.format, detect_format(bytes));
    if !inspection.format.is_raster() {
        assert_eq!(inspection.image, None);
        assert_eq!(inspection.decode_error, None);
    } else {
        assert!(inspection.image.is_some() != inspection.decode_error.is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let inspection = inspect_bytes(&bytes);
        check_invariants(&bytes, &inspection);
    }

    #[test]
    fn magic_prefixed_bytes_never_panic(
        magic in 0..MAGICS.len(),
        tail in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut bytes = MAGICS[magic].to_vec();
        bytes.extend_from_slice(&tail);
        let inspection = inspect_bytes(&bytes);
        check_invariants(&bytes, &inspection);
    }

    #[test]
    fn mutated_images_never_panic(
        png in any::<bool>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = if png { small_png() } else { small_jpeg() }.to_vec();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let inspection = inspect_bytes(&bytes);
        check_invariants(&bytes, &inspection);
    }
}
