//! `icp-review check` as a command: exit codes, errors naming file and JSON path,
//! text and JSON output.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icp-review"))
        .current_dir(dir)
        .env_remove("ICP_REVIEW_CONFIG")
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("binary runs")
}

fn write(dir: &Path, name: &str, value: &serde_json::Value) {
    std::fs::write(dir.join(name), serde_json::to_string_pretty(value).unwrap()).unwrap();
}

fn clean_value() -> serde_json::Value {
    let text = std::fs::read_to_string(examples_dir().join("clean-enterprise.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn invalid_input_exits_2_naming_file_and_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = clean_value();
    v["sites"][0]["leader"]["mobile"] = serde_json::json!(13826541298u64);
    write(dir.path(), "wrong-type.json", &v);
    let out = run(dir.path(), &["check", "wrong-type.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("wrong-type.json: sites[0].leader.mobile:"),
        "{err}"
    );
    assert!(err.contains("expected a string"), "{err}");

    let mut v = clean_value();
    v["subject"].as_object_mut().unwrap().remove("leader");
    write(dir.path(), "missing.json", &v);
    let err =
        String::from_utf8_lossy(&run(dir.path(), &["check", "missing.json"]).stderr).to_string();
    assert!(
        err.contains("missing.json: subject.leader: missing required field"),
        "{err}"
    );

    let mut v = clean_value();
    v["format"] = serde_json::json!("icp-order/2");
    write(dir.path(), "format.json", &v);
    let out = run(dir.path(), &["check", "format.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("format.json: format: unsupported order format")
    );

    std::fs::write(dir.path().join("garbage.json"), b"\xff\xfe not json").unwrap();
    let out = run(dir.path(), &["check", "garbage.json", "nope.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("garbage.json"), "{err}");
    assert!(err.contains("nope.json"), "{err}");
}

#[test]
fn unknown_fields_are_tolerated() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = clean_value();
    v["x_vendor_extension"] = serde_json::json!({"anything": [1, 2, 3]});
    v["sites"][0]["x_note"] = serde_json::json!("kept and ignored");
    write(dir.path(), "extra.json", &v);
    let out = run(
        dir.path(),
        &["check", "--no-materials", "--format", "json", "extra.json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn exit_1_on_blocks_and_json_lines() {
    let out = run(
        &examples_dir(),
        &[
            "check",
            "--format",
            "json",
            "domain-www.json",
            "clean-individual.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["order"], "EX-2026-00025");
    assert_eq!(lines[0]["findings"][0]["rule"], "DOMAIN-WWW");
    assert_eq!(lines[0]["findings"][0]["path"], "sites[0].domains[0].name");
    assert_eq!(lines[1]["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn text_output_is_plain_when_piped_and_grouped_by_order() {
    let out = run(
        &examples_dir(),
        &[
            "check",
            "--lang",
            "en",
            "domain-www.json",
            "clean-individual.json",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal: {text:?}"
    );
    let www = text.find("EX-2026-00025").unwrap();
    let app = text.find("EX-2026-00002").unwrap();
    let rule = text.find("DOMAIN-WWW").unwrap();
    assert!(
        www < rule && rule < app,
        "findings are listed under their order: {text}"
    );
    assert!(text.contains("✖ block"));
}

#[test]
fn hostile_strings_are_not_sent_raw() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = clean_value();
    v["id"] = serde_json::json!("EVIL\u{1b}[2J\u{1b}]0;pwned\u{7}");
    v["subject"]["name"] = serde_json::json!("坏\u{1b}[31m公司\u{9b}");
    write(dir.path(), "evil.json", &v);
    let out = run(dir.path(), &["check", "--no-materials", "evil.json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("EVIL␛[2J"), "{text}");
}

#[test]
fn import_into_a_named_database_copies_the_order_and_its_materials() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("team.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_icp-review"))
        .env_remove("ICP_REVIEW_CONFIG")
        .args([
            "--data-dir",
            &dir.path().join("unused").display().to_string(),
            "--database-url",
            &url,
            "import",
        ])
        .arg(examples_dir().join("clean-enterprise.json"))
        .output()
        .expect("binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("EX-2026-00001 imported as pending"));
    // The named database holds exactly that order (no demo seeding there) and its bytes.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = icp_review::queue::store::Store::open(
            &url,
            std::sync::Arc::new(data().clone()),
            std::sync::Arc::new(provider().clone()),
        )
        .await
        .unwrap();
        assert_eq!(store.stats().await.unwrap().total, 1);
        let bytes = store.material("EX-2026-00001", "m1").await.unwrap().bytes;
        assert_eq!(
            bytes,
            std::fs::read(examples_dir().join("materials/licence.jpg")).unwrap()
        );
    });
    assert!(
        !dir.path().join("unused/queue.db").exists(),
        "the embedded store is not touched"
    );
}

#[test]
fn rules_lists_catalogue_version_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["rules"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let n = icp_review::rules::CATALOGUE.len();
    assert!(
        text.starts_with(&format!(
            "# review rules, catalogue version 2 ({n} rules)\n"
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), n + 1);
    for id in [
        "ORDER-INCOMPLETE",
        "SUBJ-ADDR-IN-REGION",
        "CONTACT-EMAIL-REUSED",
    ] {
        assert!(text.contains(id), "{id} missing");
    }
    let out = run(dir.path(), &["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(n));
}
