//! The catalogue in the code is the catalogue of rules.md: same ids, each mapped to a
//! standard rejection reason, each exercised by the rule tests.

mod common;
use common::*;
use icp_review::rules::CATALOGUE;
use std::collections::BTreeSet;

fn spec_ids() -> BTreeSet<String> {
    let text = std::fs::read_to_string(examples_dir().join("../rules.md")).expect("rules.md");
    text.lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next())
        .filter(|id| {
            id.contains('-')
                && !id.starts_with("CN-")
                && id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn code_and_spec_list_the_same_rules() {
    let spec = spec_ids();
    let code: BTreeSet<String> = CATALOGUE.iter().map(|m| m.id.to_string()).collect();
    assert_eq!(
        code.len(),
        CATALOGUE.len(),
        "duplicate ids in the catalogue"
    );
    assert!(spec.len() >= 70, "rules.md parsed to {} ids", spec.len());
    assert_eq!(spec, code);
}

#[test]
fn every_rule_maps_to_one_rejection_reason() {
    for m in CATALOGUE {
        let r = data()
            .reason_for(m.id)
            .unwrap_or_else(|| panic!("{} has no rejection reason", m.id));
        assert!(!r.zh.is_empty() && !r.en.is_empty());
    }
    for r in &data().reasons {
        for id in &r.rules {
            assert!(
                CATALOGUE.iter().any(|m| m.id == id),
                "reason {} names unknown rule {id}",
                r.code
            );
        }
    }
}

#[test]
fn every_rule_has_tests() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut text = String::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("rules_")
        {
            text.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    let missing: Vec<&str> = CATALOGUE
        .iter()
        .map(|m| m.id)
        .filter(|id| !text.contains(&format!("\"{id}\"")))
        .collect();
    assert!(missing.is_empty(), "rules without tests: {missing:?}");
}

#[test]
fn every_province_is_in_the_data() {
    let codes = [
        "BJ", "TJ", "HE", "SX", "NM", "LN", "JL", "HL", "SH", "JS", "ZJ", "AH", "FJ", "JX", "SD",
        "HA", "HB", "HN", "GD", "GX", "HI", "CQ", "SC", "GZ", "YN", "XZ", "SN", "GS", "QH", "NX",
        "XJ",
    ];
    for c in codes {
        let p = data()
            .province(&format!("CN-{c}"))
            .unwrap_or_else(|| panic!("CN-{c} missing"));
        assert_eq!(data().province_by_gb(p.gb).unwrap().code, p.code);
    }
    assert!(data().mobile_prefixes.len() > 10_000);
    assert_eq!(
        data().mobile_prefixes.province_of("13904111234").as_deref(),
        Some("CN-LN")
    );
    assert_eq!(
        data().mobile_prefixes.province_of("13826541298").as_deref(),
        Some("CN-GD")
    );
}

#[test]
fn every_data_file_names_its_source() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/rules");
    for name in icp_review::rules::data::FILES {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            text.starts_with("# source:"),
            "{name} lacks its source header"
        );
    }
    // The directory form loads the same data as the embedded one.
    let from_dir = icp_review::rules::RuleData::from_dir(&dir).unwrap();
    assert_eq!(from_dir.provinces.len(), data().provinces.len());
}
