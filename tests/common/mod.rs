//! Shared helpers for the rule tests: start from the spec's clean sample orders,
//! change one thing, check, and look at the findings.
#![allow(dead_code)]

use icp_review::domain::{Order, parse_order};
use icp_review::material::inspect_file;
use icp_review::rules::{
    self, Finding, MaterialState, MemoryIndex, ProviderSettings, RuleData, Severity,
};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `../shared/spec/examples`.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples")
}

pub fn data() -> &'static RuleData {
    static DATA: OnceLock<RuleData> = OnceLock::new();
    DATA.get_or_init(|| RuleData::embedded().expect("embedded rule data loads"))
}

pub fn provider() -> &'static ProviderSettings {
    static P: OnceLock<ProviderSettings> = OnceLock::new();
    P.get_or_init(|| {
        icp_review::config::Config::defaults()
            .provider_settings()
            .unwrap()
    })
}

/// A sample order from the examples folder.
pub fn sample(name: &str) -> Order {
    let text = std::fs::read_to_string(examples_dir().join(name)).expect("sample exists");
    parse_order(&text).expect("sample parses")
}

/// The clean enterprise sample (CN-GD, one website, all materials).
pub fn enterprise() -> Order {
    sample("clean-enterprise.json")
}

/// The clean individual sample (CN-ZJ, one website).
pub fn individual() -> Order {
    sample("clean-individual.json")
}

/// The clean app sample (CN-GD).
pub fn app() -> Order {
    sample("app-clean.json")
}

/// Inspect the order's materials as `check` would (paths relative to the examples folder).
pub fn inspect(order: &Order) -> Vec<MaterialState> {
    order
        .materials
        .iter()
        .map(|m| MaterialState::from(inspect_file(&examples_dir().join(&m.file))))
        .collect()
}

/// Check one order alone, without material bytes.
pub fn check(order: &Order) -> Vec<Finding> {
    check_with(order, &[], &[])
}

/// Check one order alone, with its material bytes.
pub fn check_bytes(order: &Order) -> Vec<Finding> {
    let states = inspect(order);
    check_with(order, &states, &[])
}

/// Check `order` with `others` in the cross-order index (the order itself is indexed too).
pub fn check_with(order: &Order, materials: &[MaterialState], others: &[Order]) -> Vec<Finding> {
    let index = MemoryIndex::build(others.iter().chain(std::iter::once(order)));
    let ctx = rules::Context {
        data: data(),
        provider: provider(),
        others: &index,
    };
    rules::check_order(order, materials, &ctx)
}

/// Findings of one rule.
pub fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

/// Assert the rule fires with this severity on this path.
#[track_caller]
pub fn assert_fires(findings: &[Finding], rule: &str, severity: Severity, path: &str) {
    assert!(
        findings
            .iter()
            .any(|f| f.rule == rule && f.severity == severity && f.path == path),
        "expected {rule} ({severity:?}) at {path}; got {:#?}",
        findings
            .iter()
            .map(|f| (&f.rule, f.severity, &f.path))
            .collect::<Vec<_>>()
    );
}

/// Assert the rule does not fire at all.
#[track_caller]
pub fn assert_silent(findings: &[Finding], rule: &str) {
    let hits = of(findings, rule);
    assert!(hits.is_empty(), "expected {rule} silent; got {hits:#?}");
}

/// A resident id with a valid check character for the body (6-digit area, birth date, 3-digit sequence).
pub fn ric(area: &str, birth: &str, seq: &str) -> String {
    let body = format!("{area}{birth}{seq}");
    let c = icp_review::domain::person::resident_id_check_char(&body).expect("17 digits");
    format!("{body}{c}")
}

/// A unified social credit code with a valid check character.
pub fn uscc(body17: &str) -> String {
    let c = icp_review::domain::person::uscc_check_char(body17).expect("17 chars");
    format!("{body17}{c}")
}
