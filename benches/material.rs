//! Throughput of material inspection.
//!
//! Target: at least 200 images/s on one core (about 5 ms each) for a 1600×1130 colour JPEG,
//! the typical size of a business-licence scan. Criterion reports the rate directly because the
//! throughput is declared as one element (image) per iteration.
//!
//! Run: `cargo bench --bench material -- --warm-up-time 1 --measurement-time 3`.
//! The inspection itself is single-threaded (baseline JPEGs take the DC-only fast path; only
//! the `jpeg-decoder` comparison may use helper threads). The encoder here writes 4:4:4 chroma,
//! twice the chroma data of the 4:2:0 that scanners and phones write, so this is a pessimistic
//! input for its size.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use icp_review::material::{Format, inspect_bytes};
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// Small deterministic PRNG (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn noise(&mut self, amp: i32) -> i32 {
        (self.next() % (2 * amp as u64 + 1)) as i32 - amp
    }
}

/// A realistic colour licence scan: textured paper with a slow lighting gradient, a coloured
/// guilloche-like frame, text lines, an emblem and a red seal, plus sensor noise, so the JPEG is
/// not trivially compressible.
fn licence_scan(w: u32, h: u32) -> RgbImage {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (wf, hf) = (f64::from(w), f64::from(h));
    let frame = (wf.min(hf) * 0.05) as u32;
    RgbImage::from_fn(w, h, |x, y| {
        let (xf, yf) = (f64::from(x), f64::from(y));
        let light = 1.0 - 0.06 * ((xf / wf - 0.3).powi(2) + (yf / hf - 0.4).powi(2));
        let seal_d = (xf - wf * 0.72).hypot(yf - hf * 0.7);
        let seal_r = wf.min(hf) * 0.12;
        let emblem_d = (xf - wf * 0.5).hypot(yf - hf * 0.15);
        let base: [f64; 3] = if x < frame || y < frame || x >= w - frame || y >= h - frame {
            // guilloche-like pattern in the frame
            let t = ((xf * 0.15).sin() * (yf * 0.11).cos() + 1.0) * 0.5;
            [170.0 + 60.0 * t, 60.0 + 50.0 * t, 40.0 + 30.0 * t]
        } else if seal_d <= seal_r && (seal_d >= seal_r * 0.85 || (y / 9) % 4 == 0) {
            [205.0, 35.0, 45.0]
        } else if emblem_d <= wf.min(hf) * 0.06 {
            [200.0, 150.0, 40.0]
        } else if (y / 14) % 3 == 0
            && yf > hf * 0.28
            && yf < hf * 0.9
            && xf > wf * 0.1
            && xf < wf * 0.62
            && ((x / 6) + (y / 14)) % 7 != 0
        {
            [30.0, 30.0, 36.0]
        } else {
            // paper fibre texture
            let fibre = ((xf * 0.9 + yf * 0.3).sin() * (yf * 0.7).sin()) * 4.0;
            [244.0 + fibre, 240.0 + fibre, 230.0 + fibre]
        };
        let n = rng.noise(7);
        Rgb(base.map(|c| ((c * light) as i32 + n + rng.noise(3)).clamp(0, 255) as u8))
    })
}

fn bench_inspect(c: &mut Criterion) {
    let img = licence_scan(1600, 1130);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&img)
        .expect("encode benchmark JPEG");
    let check = inspect_bytes(&jpeg);
    assert_eq!(check.format, Format::Jpeg);
    let facts = check.image.expect("benchmark JPEG decodes");
    assert_eq!((facts.width, facts.height), (1600, 1130));
    assert!(!facts.greyscale);
    eprintln!(
        "inspect_jpeg_1600x1130: input JPEG is {} bytes ({} KiB)",
        jpeg.len(),
        jpeg.len() / 1024
    );

    // Phones and scanners write 4:2:0 chroma (the `image` encoder above writes 4:4:4,
    // twice the colour data): the same scan as a camera would store it.
    let mut jpeg420 = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut jpeg420, 85);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.encode(img.as_raw(), 1600, 1130, jpeg_encoder::ColorType::Rgb)
        .expect("encode 4:2:0 benchmark JPEG");
    let facts420 = inspect_bytes(&jpeg420).image.expect("4:2:0 JPEG decodes");
    assert_eq!((facts420.width, facts420.height), (1600, 1130));
    assert!(!facts420.greyscale);
    eprintln!(
        "inspect_jpeg_1600x1130_420: input JPEG is {} KiB",
        jpeg420.len() / 1024
    );

    let mut group = c.benchmark_group("material");
    group.throughput(Throughput::Elements(1));
    group.bench_function("inspect_jpeg_1600x1130", |b| {
        b.iter(|| inspect_bytes(black_box(&jpeg)))
    });
    group.bench_function("inspect_jpeg_1600x1130_420", |b| {
        b.iter(|| inspect_bytes(black_box(&jpeg420)))
    });
    // For comparison: what `jpeg-decoder`'s 1/8 DCT scaling alone costs on the same image
    // (the fallback path for progressive and other unusual JPEGs).
    group.bench_function("jpeg_decoder_scaled_1600x1130", |b| {
        b.iter(|| {
            let mut decoder = jpeg_decoder::Decoder::new(black_box(&jpeg[..]));
            decoder.read_info().expect("header");
            decoder.scale(128, 128).expect("scale");
            decoder.decode().expect("decode")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_inspect);
criterion_main!(benches);
