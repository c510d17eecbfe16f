//! The fuzzing harness, run for as long as you like:
//!
//! ```text
//! cargo run --release --example fuzz -- [order|material|jpeg-diff|all] [--seconds N] [--seed S]
//! cargo run --release --example fuzz -- --make-corpus   # rewrite the synthetic material seeds
//! ```
//!
//! Inputs that break a property are written to `fuzz/findings/<target>-<n>.bin` with the
//! problem beside them (`.txt`); the exit status is 1 when there is any.

#[path = "../fuzz/harness.rs"]
mod harness;

use harness::Target;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--make-corpus") {
        make_corpus();
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--replay") {
        // `--replay FILE...`: the JPEG differential and the material checks on given files.
        let mut bad = 0;
        for f in &args[i + 1..] {
            let bytes = std::fs::read(f).unwrap_or_default();
            let diff = icp_review::material::fuzzing::jpeg_differential(&bytes);
            let ins = icp_review::material::inspect_bytes(&bytes);
            bad += usize::from(diff.is_err());
            println!(
                "{f}: differential {diff:?}; inspection {:?} / {:?}",
                ins.image, ins.decode_error
            );
        }
        std::process::exit(i32::from(bad > 0));
    }
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut targets = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => seconds = it.next().and_then(|s| s.parse().ok()).unwrap_or(seconds),
            "--seed" => seed = it.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "all" => targets.extend(Target::ALL),
            name => match Target::parse(name) {
                Some(t) => targets.push(t),
                None => {
                    eprintln!("unknown target {name:?}: order, material, jpeg-diff or all");
                    std::process::exit(2);
                }
            },
        }
    }
    if targets.is_empty() {
        targets.extend(Target::ALL);
    }
    harness::quiet_panics();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/findings");
    let mut any = false;
    for t in targets {
        let r = harness::run(t, Duration::from_secs(seconds), u64::MAX, seed);
        println!(
            "{}: {} executions in {seconds} s ({} exercised fully), {} findings, {} decoder panics contained",
            t.name(),
            r.executions,
            r.deep,
            r.findings.len(),
            r.contained_panics
        );
        for (i, f) in r.findings.iter().enumerate().take(50) {
            any = true;
            let _ = std::fs::create_dir_all(&out);
            let base = out.join(format!("{}-{i}", t.name()));
            let _ = std::fs::write(base.with_extension("bin"), &f.input);
            let _ = std::fs::write(base.with_extension("txt"), &f.problem);
            println!("  {}: {}", base.display(), f.problem);
        }
    }
    if any {
        std::process::exit(1);
    }
}

/// Small synthetic material seeds: JPEGs of every sampling and a restart interval, grey
/// and colour, PNG, GIF, BMP and WebP, each a few hundred bytes to a few kilobytes.
fn make_corpus() {
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
    let dir = Target::Material.corpus_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let (w, h) = (48u16, 40u16);
    let mut rgb = Vec::new();
    let mut grey = Vec::new();
    for y in 0..h {
        for x in 0..w {
            rgb.extend_from_slice(&[(x * 5) as u8, (y * 6) as u8, ((x ^ y) * 3) as u8]);
            grey.push((x * 3 + y * 2) as u8);
        }
    }
    let jpeg = |name: &str, f: &dyn Fn(&mut Encoder<&mut Vec<u8>>), grey_image: bool| {
        let mut out = Vec::new();
        let mut e = Encoder::new(&mut out, 75);
        f(&mut e);
        if grey_image {
            e.encode(&grey, w, h, ColorType::Luma).unwrap();
        } else {
            e.encode(&rgb, w, h, ColorType::Rgb).unwrap();
        }
        std::fs::write(dir.join(name), out).unwrap();
    };
    jpeg(
        "jpeg-444.jpg",
        &|e| e.set_sampling_factor(SamplingFactor::R_4_4_4),
        false,
    );
    jpeg(
        "jpeg-420.jpg",
        &|e| e.set_sampling_factor(SamplingFactor::R_4_2_0),
        false,
    );
    jpeg(
        "jpeg-422.jpg",
        &|e| e.set_sampling_factor(SamplingFactor::R_4_2_2),
        false,
    );
    jpeg("jpeg-grey.jpg", &|_| {}, true);
    jpeg(
        "jpeg-restart.jpg",
        &|e| {
            e.set_sampling_factor(SamplingFactor::R_4_4_4);
            e.set_restart_interval(2);
        },
        false,
    );
    jpeg("jpeg-progressive.jpg", &|e| e.set_progressive(true), false);
    let img = image::RgbImage::from_raw(u32::from(w), u32::from(h), rgb.clone()).unwrap();
    for (name, format) in [
        ("image.png", image::ImageFormat::Png),
        ("image.gif", image::ImageFormat::Gif),
        ("image.bmp", image::ImageFormat::Bmp),
        ("image.webp", image::ImageFormat::WebP),
    ] {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        std::fs::write(dir.join(name), out.into_inner()).unwrap();
    }
    std::fs::write(
        dir.join("tiny.pdf"),
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    )
    .unwrap();
    println!("seeds written to {}", dir.display());
}
