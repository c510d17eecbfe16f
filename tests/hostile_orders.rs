//! Hostile orders at the command line: `check` and `import` print nothing an applicant
//! wrote raw (no escape sequence reaches the terminal) and nothing long (excerpts only);
//! duplicate keys and limits are refused with the JSON path; a material named by many
//! entries is read and stored once.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icp-review"))
        .current_dir(dir)
        .env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATABASE_URL")
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("binary runs")
}

fn clean_value() -> serde_json::Value {
    let text = std::fs::read_to_string(examples_dir().join("clean-enterprise.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Nothing that could drive a terminal: no C0 but newline, no DEL, no C1, no bidi or
/// zero-width format character, no line or paragraph separator.
fn assert_inert(what: &str, s: &str) {
    for c in s.chars() {
        assert!(
            c == '\n' || !icp_review::domain::safe::needs_escape(c),
            "{what} holds U+{:04X}: {s:?}",
            c as u32
        );
    }
}

const OSC52: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J";

#[test]
fn check_never_echoes_a_hostile_value_raw_or_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = clean_value();
    v["status"] = format!("{OSC52}{}", "A".repeat(1_000)).into();
    std::fs::write(dir.path().join("bad.json"), v.to_string()).unwrap();
    let mut v = clean_value();
    v["id"] = format!("EX\u{202e}1\u{200b}{OSC52}\u{2028}").into();
    v["subject"]["name"] = format!("深圳\u{061c}{}", "名".repeat(500)).into();
    std::fs::write(dir.path().join("odd.json"), v.to_string()).unwrap();
    for format in ["text", "json"] {
        let out = run(
            dir.path(),
            &["check", "--format", format, "bad.json", "odd.json"],
        );
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_inert("stderr", &err);
        assert_inert("stdout", &stdout);
        assert!(err.contains("bad.json: status:"), "{err}");
        assert!(err.len() < 1_000, "{} bytes: {err}", err.len());
        for line in stdout.lines() {
            if format == "text" {
                assert!(line.chars().count() < 600, "{line}");
            }
        }
        if format == "text" {
            assert!(stdout.contains("EX⟨U+202E⟩1⟨U+200B⟩␛]52"), "{stdout}");
        } else {
            assert!(stdout.contains(r"EX\u202e1\u200b\u001b]52"), "{stdout}");
        }
    }
    // JSON output keeps the values exactly (escaped, not altered).
    let out = run(dir.path(), &["check", "--format", "json", "odd.json"]);
    let line = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["order"], format!("EX\u{202e}1\u{200b}{OSC52}\u{2028}"));
}

#[test]
fn duplicate_keys_and_limits_are_refused_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let text = clean_value().to_string();
    let dup = text.replacen(
        "\"status\":\"pending\"",
        "\"status\":\"approved\",\"status\":\"pending\"",
        1,
    );
    assert_ne!(dup, text);
    std::fs::write(dir.path().join("dup.json"), dup).unwrap();
    let mut v = clean_value();
    let domain = v["sites"][0]["domains"][0].clone();
    v["sites"][0]["domains"] = serde_json::Value::Array(vec![domain; 50_000]);
    std::fs::write(dir.path().join("many.json"), v.to_string()).unwrap();
    let started = std::time::Instant::now();
    let out = run(dir.path(), &["check", "dup.json", "many.json"]);
    assert!(started.elapsed().as_secs() < 5);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dup.json: status: duplicate key"), "{err}");
    assert!(
        err.contains("many.json: sites[0].domains[200]: more than 200 entries, over the limit of 200 domains per site"),
        "{err}"
    );
}

#[test]
fn domains_are_limited_per_order_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = clean_value();
    let site = v["sites"][0].clone();
    let domain = site["domains"][0].clone();
    let mut sites = Vec::new();
    for _ in 0..6 {
        let mut s = site.clone();
        s["domains"] = serde_json::Value::Array(vec![domain.clone(); 200]);
        sites.push(s);
    }
    v["sites"] = serde_json::Value::Array(sites);
    std::fs::write(dir.path().join("wide.json"), v.to_string()).unwrap();
    let out = run(dir.path(), &["check", "wide.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wide.json: sites[5].domains[0]: more than 1000 domains in the order"),
        "{err}"
    );
}

#[test]
fn import_prints_ids_and_errors_safely_and_stores_a_shared_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    // One file named by every material.
    std::fs::copy(
        examples_dir().join("materials/licence.jpg"),
        dir.path().join("scan.jpg"),
    )
    .unwrap();
    let mut v = clean_value();
    v["id"] = format!("IMP-1{OSC52}").into();
    for m in v["materials"].as_array_mut().unwrap() {
        m["file"] = "scan.jpg".into();
        m["sha256"] = serde_json::Value::Null;
    }
    let n_materials = v["materials"].as_array().unwrap().len();
    std::fs::write(dir.path().join("one.json"), v.to_string()).unwrap();
    let mut bad = clean_value();
    bad["status"] = format!("{OSC52}{}", "B".repeat(100_000)).into();
    std::fs::write(dir.path().join("bad.json"), bad.to_string()).unwrap();
    let out = run(
        dir.path(),
        &[
            "--data-dir",
            data_dir.to_str().unwrap(),
            "import",
            "one.json",
            "bad.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "bad.json fails");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_inert("stdout", &stdout);
    assert_inert("stderr", &err);
    assert!(stdout.contains("IMP-1␛]52"), "{stdout}");
    assert!(err.contains("bad.json: status:"), "{err}");
    assert!(err.len() < 1_000, "{err}");
    // Stored once: one blob, referenced by every material.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}", data_dir.join("queue.db").display());
        let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
        let id = format!("IMP-1{OSC52}");
        let refs: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM materials WHERE order_id = $1 AND sha256 IS NOT NULL",
        )
        .bind(id.clone())
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get("n");
        assert_eq!(refs as usize, n_materials);
        let blobs: i64 = sqlx::query(
            "SELECT COUNT(DISTINCT b.sha256) AS n FROM material_blobs b JOIN materials m ON m.sha256 = b.sha256 WHERE m.order_id = $1",
        )
        .bind(id)
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get("n");
        assert_eq!(blobs, 1);
    });
}
