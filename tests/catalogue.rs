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

/// The severity column of rules.md per id (`block`, `warn`, `block / warn`), with the
/// severities a row's other cells name for some cases (`` `warn` for `new_access` ``) and
/// those the version 2 clarifications add.
fn spec_severities() -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(examples_dir().join("../rules.md")).expect("rules.md");
    let mut out: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    let mut clarifications = false;
    for line in text.lines() {
        if line.starts_with("## ") {
            clarifications = line.contains("clarifications");
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !spec_ids().contains(cells[1]) {
            continue;
        }
        let set = out.entry(cells[1].to_string()).or_default();
        if clarifications {
            // `| ID | clarified condition |`: severities named in the text.
            for sev in ["block", "warn"] {
                if cells[2].contains(&format!("`{sev}`")) {
                    set.insert(sev.to_string());
                }
            }
        } else {
            for sev in cells[2].split('/') {
                set.insert(sev.trim().to_string());
            }
            // A condition (or province cell) that names another severity for some cases.
            for cell in &cells[3..] {
                for sev in ["block", "warn"] {
                    if cell.contains(&format!("`{sev}`")) {
                        set.insert(sev.to_string());
                    }
                }
            }
        }
    }
    out
}

#[test]
fn catalogue_severities_are_those_of_rules_md() {
    let spec = spec_severities();
    for m in CATALOGUE {
        let code: BTreeSet<String> = m.severity.split('/').map(str::to_string).collect();
        let want = spec
            .get(m.id)
            .unwrap_or_else(|| panic!("{} not in rules.md", m.id));
        assert_eq!(&code, want, "{}: catalogue says {}", m.id, m.severity);
    }
}

#[test]
fn rule_id_constants_are_the_ids() {
    use icp_review::rules::{CONST_NAMES, ids};
    assert_eq!(CONST_NAMES.len(), CATALOGUE.len());
    for (name, m) in CONST_NAMES.iter().zip(CATALOGUE) {
        assert_eq!(name.replace('_', "-"), m.id);
    }
    assert_eq!(ids::DOMAIN_WWW.as_str(), "DOMAIN-WWW");
    assert_eq!(ids::ORDER_INCOMPLETE.meta().id, "ORDER-INCOMPLETE");
}

/// The examples, and the samples in every province with findings in most families.
fn corpus() -> Vec<icp_review::domain::Order> {
    use icp_review::domain::{CertType, ContentCategory, FilingType, MaterialKind};
    let mut orders: Vec<icp_review::domain::Order> = Vec::new();
    for e in std::fs::read_dir(examples_dir()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json")
            && !p.ends_with("expected.json")
            && let Ok(o) = icp_review::domain::parse_order(&std::fs::read_to_string(&p).unwrap())
        {
            orders.push(o);
        }
    }
    for base in [enterprise(), individual(), app()] {
        for p in &data().provinces {
            let mut o = base.clone();
            o.id = format!("SYN-{}", o.id);
            o.subject.region.province = p.code.clone();
            o.subject.leader.is_legal_representative = false;
            let holder = o.subject.leader.name.clone();
            o.sites[0]
                .domains
                .iter_mut()
                .for_each(|d| d.holder = holder.clone());
            o.subject.leader.office_phone = Some(o.subject.leader.mobile.clone());
            orders.push(o.clone());
            // Materials, categories and certificate types in messages.
            o.materials
                .retain(|m| m.kind != MaterialKind::SubjectLeaderIdFront);
            o.sites[0].content_categories = vec![ContentCategory::OnlineGame];
            o.subject.certificate.kind = CertType::Passport;
            o.subject.leader.id_type = CertType::BusinessLicence;
            o.filing_type = FilingType::CancelSite;
            orders.push(o.clone());
            o.filing_type = FilingType::NewFiling;
            o.subject.name = "凌云网络科技有限公司".into();
            orders.push(o);
        }
    }
    orders
}

/// English messages name materials, fields and values in words, never by wire name
/// (`subject_leader_id_front`, `change_filing`, `is_legal_representative`).
#[test]
fn english_messages_use_words_not_wire_names() {
    let snake = |s: &str| {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| w.contains('_') && w.chars().any(|c| c.is_ascii_lowercase()))
    };
    let mut seen = 0;
    for o in corpus() {
        for f in check_bytes_if_examples(&o) {
            assert!(!snake(&f.message_en), "{}: {}", f.rule, f.message_en);
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} findings read");
}

/// Materials of the example orders are read (their bytes fire the material rules); the
/// synthetic variants are checked without bytes, which keeps the test fast.
fn check_bytes_if_examples(o: &icp_review::domain::Order) -> Vec<icp_review::rules::Finding> {
    if o.id.starts_with("SYN-") {
        check(o)
    } else {
        check_bytes(o)
    }
}

/// Every finding any order of the examples, the samples and their variants produces
/// carries a severity the catalogue allows for its rule (`block`, `warn`, either, or a
/// `block` that old or uncertain province data softens to `warn`). Every push also checks
/// this in debug builds, so the rule tests check it for every rule they fire.
#[test]
fn every_pushed_severity_is_one_the_catalogue_allows() {
    let mut seen = 0;
    for o in corpus() {
        for f in check_bytes_if_examples(&o) {
            let m = icp_review::rules::meta(&f.rule).expect("known rule");
            assert!(
                m.allows(f.severity),
                "{} pushed {:?}; the catalogue allows {}",
                f.rule,
                f.severity,
                m.severity
            );
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} findings checked");
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
