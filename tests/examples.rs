//! `check` over every case of ../shared/spec/examples/expected.json must agree with it,
//! in-process and through the real binary (the same verdict the scorer gives).

mod common;
use common::*;
use icp_review::check::{check_orders, read_orders};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::process::Command;

#[derive(Deserialize)]
struct Case {
    files: Vec<String>,
    order: String,
    expect_block: Vec<String>,
    expect_warn: Vec<String>,
    forbid: Vec<String>,
}

fn cases() -> Vec<Case> {
    let text =
        std::fs::read_to_string(examples_dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json parses")
}

fn verdict(case: &Case, findings: &[(String, String)]) -> Vec<String> {
    let blocks: BTreeSet<&str> = findings
        .iter()
        .filter(|(_, s)| s == "block")
        .map(|(r, _)| r.as_str())
        .collect();
    let all: BTreeSet<&str> = findings.iter().map(|(r, _)| r.as_str()).collect();
    let mut problems = Vec::new();
    for r in &case.expect_block {
        if !blocks.contains(r.as_str()) {
            problems.push(format!("missing block {r}"));
        }
    }
    for r in &case.expect_warn {
        if !all.contains(r.as_str()) {
            problems.push(format!("missing {r}"));
        }
    }
    for r in &case.forbid {
        if all.contains(r.as_str()) {
            problems.push(format!("forbidden {r}"));
        }
    }
    let name = case.files[0]
        .split('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".json");
    if name.starts_with("clean-") && !blocks.is_empty() {
        problems.push(format!("clean case has blocks {blocks:?}"));
    }
    problems
}

#[test]
fn every_example_case_agrees_in_process() {
    let cases = cases();
    assert!(cases.len() >= 18, "expected.json has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let files: Vec<_> = case.files.iter().map(|f| examples_dir().join(f)).collect();
        let (orders, bad) = read_orders(&files);
        assert!(bad.is_empty(), "{bad:?}");
        let checked = check_orders(orders, true, data(), provider());
        let c = checked
            .iter()
            .find(|c| c.order.id == case.order)
            .expect("case order checked");
        let found: Vec<(String, String)> = c
            .findings
            .iter()
            .map(|f| (f.rule.clone(), f.severity.as_str().to_string()))
            .collect();
        let problems = verdict(case, &found);
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.files[0], problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_example_case_agrees_through_the_binary() {
    let bin = env!("CARGO_BIN_EXE_icp-review");
    for case in cases() {
        let out = Command::new(bin)
            .current_dir(examples_dir())
            .args(["check", "--format", "json"])
            .args(&case.files)
            .env_remove("ICP_REVIEW_CONFIG")
            .output()
            .expect("binary runs");
        let stdout = String::from_utf8(out.stdout).expect("utf-8");
        let line = stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("each line is JSON"))
            .find(|v| v["order"] == case.order.as_str())
            .unwrap_or_else(|| panic!("no result for {}", case.order));
        let found: Vec<(String, String)> = line["findings"]
            .as_array()
            .expect("findings array")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let problems = verdict(&case, &found);
        assert!(problems.is_empty(), "{}: {problems:?}", case.files[0]);
        let blocks = found.iter().any(|(_, s)| s == "block");
        assert_eq!(
            out.status.code(),
            Some(if blocks { 1 } else { 0 }),
            "exit status for {}",
            case.files[0]
        );
        for f in line["findings"].as_array().unwrap() {
            for key in ["rule", "severity", "path", "message"] {
                assert!(f[key].is_string(), "finding lacks {key}: {f}");
            }
        }
    }
}

#[test]
fn the_scorer_gives_the_same_verdict() {
    // The scorer is the outside view of the same contract; run it when python3 is here.
    let scorer = examples_dir().join("../../tools/score_rules.py");
    let Ok(out) = Command::new("python3")
        .arg(&scorer)
        .arg(env!("CARGO_BIN_EXE_icp-review"))
        .arg(examples_dir())
        .output()
    else {
        eprintln!("python3 not available; scorer skipped");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "scorer: {text}");
    assert!(
        text.contains("forbidden hits 0, clean-with-block 0"),
        "{text}"
    );
}
