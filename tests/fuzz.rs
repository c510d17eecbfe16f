//! A bounded run of the fuzzing harness (`fuzz/harness.rs`) on every target: a few
//! seconds each (`ICP_FUZZ_SECONDS` for more), from a fixed seed (`ICP_FUZZ_SEED` for
//! another). Longer runs: `cargo run --release --example fuzz -- all --seconds 600`.

#[path = "../fuzz/harness.rs"]
mod harness;

use harness::Target;
use std::time::Duration;

fn budget() -> (Duration, u64) {
    let secs: f64 = std::env::var("ICP_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let seed = std::env::var("ICP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_261_202);
    (Duration::from_secs_f64(secs), seed)
}

fn run(target: Target) {
    let (time, seed) = budget();
    harness::quiet_panics();
    let r = harness::run(target, time, u64::MAX, seed);
    // The default hook back, so a failure below prints its message.
    let _ = std::panic::take_hook();
    eprintln!(
        "fuzz {}: {} executions ({} exercised fully), {} findings, {} decoder panics contained",
        target.name(),
        r.executions,
        r.deep,
        r.findings.len(),
        r.contained_panics
    );
    assert!(r.executions > 20, "{} executions only", r.executions);
    assert!(r.deep > 0, "no input went all the way through");
    if let Some(f) = r.findings.first() {
        let dir = std::env::temp_dir().join("icp-review-fuzz");
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join(format!("{}-finding.bin", target.name()));
        let _ = std::fs::write(&file, &f.input);
        panic!(
            "{} findings; first: {} (input in {})",
            r.findings.len(),
            f.problem,
            file.display()
        );
    }
}

#[test]
fn fuzz_order_json() {
    run(Target::Order);
}

#[test]
fn fuzz_material_bytes() {
    run(Target::Material);
}

#[test]
fn fuzz_jpeg_fast_path_against_jpeg_decoder() {
    run(Target::JpegDiff);
}
