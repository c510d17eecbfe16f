//! Identity and format rules (rules.md § Identity and format): for every rule, an order
//! made from a clean sample where it fires (id, severity, JSON path) and a near miss
//! where it stays silent.

mod common;
use common::*;
use icp_review::domain::{CertType, IdValidTo, Material, MaterialKind, Nature, Order};
use icp_review::rules::Finding;
use icp_review::rules::Severity::{Block, Warn};

const FAMILY: [&str; 12] = [
    "ID-RESIDENT-CHECKSUM",
    "ID-USCC-CHECKSUM",
    "ID-CERT-NATURE-MISMATCH",
    "NAME-HALFWIDTH-BRACKETS",
    "NAME-INDIVIDUAL-MISMATCH",
    "NAME-NOT-EXACT",
    "NAME-NATURE-MISMATCH",
    "ID-USCC-NATURE",
    "ID-ORG-CROSS-PROVINCE",
    "ID-PERSON-CROSS-PROVINCE",
    "ID-AGE-MINIMUM",
    "ID-EXPIRES-SOON",
];

/// Check `base` (which must be silent for `rule`), then check it again after `change`.
#[track_caller]
fn after(rule: &str, base: Order, change: impl FnOnce(&mut Order)) -> Vec<Finding> {
    assert_silent(&check(&base), rule);
    let mut o = base;
    change(&mut o);
    check(&o)
}

/// The individual sample with another resident id everywhere the person's id appears.
fn set_person_id(o: &mut Order, id: &str) {
    o.subject.certificate.number = id.to_string();
    o.subject.leader.id_number = id.to_string();
    for s in &mut o.sites {
        s.leader.id_number = id.to_string();
    }
}

fn date(s: &str) -> IdValidTo {
    IdValidTo::Date(s.parse().expect("a date"))
}

fn residence_permit() -> Material {
    Material {
        id: "m9".into(),
        kind: MaterialKind::ResidencePermit,
        site: None,
        file: "materials/id-front.jpg".into(),
        media_type: Some("image/jpeg".into()),
        sha256: None,
    }
}

#[test]
fn clean_samples_are_silent_for_the_whole_family() {
    for (name, o) in [
        ("enterprise", enterprise()),
        ("individual", individual()),
        ("app", app()),
    ] {
        let f = check(&o);
        for rule in FAMILY {
            assert!(
                f.iter().all(|x| x.rule != rule),
                "{name}: {rule} fired on the clean sample: {f:#?}"
            );
        }
    }
}

// ---------------------------------------------------------------- ID-RESIDENT-CHECKSUM

#[test]
fn resident_id_bad_check_character_on_subject_leader() {
    let f = check(&sample("resident-id-bad-check.json"));
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.leader.id_number",
    );
    let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
        o.subject.leader.id_number = "440305198506122134".into()
    });
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.leader.id_number",
    );
}

#[test]
fn resident_id_bad_check_character_on_site_leader() {
    let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
        o.sites[0].leader.id_number = "440106199203184266".into()
    });
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "sites[0].leader.id_number",
    );
    assert_eq!(
        of(&f, "ID-RESIDENT-CHECKSUM").len(),
        1,
        "only the changed number is flagged"
    );
}

#[test]
fn resident_id_bad_check_character_on_individual_certificate() {
    let f = after("ID-RESIDENT-CHECKSUM", individual(), |o| {
        o.subject.certificate.number = "330106199009221873".into()
    });
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.certificate.number",
    );
}

#[test]
fn resident_id_wrong_length() {
    for bad in ["44030519850612213", "4403051985061221330"] {
        let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
            o.subject.leader.id_number = bad.into()
        });
        assert_fires(
            &f,
            "ID-RESIDENT-CHECKSUM",
            Block,
            "subject.leader.id_number",
        );
    }
    // First-generation 15-digit ids are no longer valid documents.
    let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
        o.subject.leader.id_number = "440305850612213".into()
    });
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.leader.id_number",
    );
}

#[test]
fn resident_id_impossible_birth_date() {
    // Valid check characters, impossible dates: 30 February, 29 February of a common
    // year, a birth date after the submission date (2026-11-20).
    for (birth, seq) in [
        ("19850230", "213"),
        ("19850229", "213"),
        ("20261121", "213"),
    ] {
        let id = ric("440305", birth, seq);
        let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
            o.subject.leader.id_number = id.clone()
        });
        assert_fires(
            &f,
            "ID-RESIDENT-CHECKSUM",
            Block,
            "subject.leader.id_number",
        );
    }
}

#[test]
fn resident_id_real_birth_dates_near_miss() {
    // 29 February of a leap year; born on the submission date itself.
    for (birth, seq) in [("19880229", "213"), ("20261120", "213")] {
        let id = ric("440305", birth, seq);
        let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
            o.subject.leader.id_number = id.clone()
        });
        assert_silent(&f, "ID-RESIDENT-CHECKSUM");
    }
}

#[test]
fn resident_id_check_character_x() {
    // 33010619900922108 has the check character X; lower-case x is read as X.
    for ok in ["33010619900922108X", "33010619900922108x"] {
        let f = after("ID-RESIDENT-CHECKSUM", individual(), |o| {
            set_person_id(o, ok)
        });
        assert_silent(&f, "ID-RESIDENT-CHECKSUM");
    }
    let f = after("ID-RESIDENT-CHECKSUM", individual(), |o| {
        set_person_id(o, "330106199009221080")
    });
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.certificate.number",
    );
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.leader.id_number",
    );
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "sites[0].leader.id_number",
    );
    // Letters other than a final X.
    let f = after("ID-RESIDENT-CHECKSUM", individual(), |o| {
        set_person_id(o, "3301061990092210A8")
    });
    assert_fires(
        &f,
        "ID-RESIDENT-CHECKSUM",
        Block,
        "subject.certificate.number",
    );
}

#[test]
fn resident_id_rule_ignores_other_document_types() {
    // A passport number is not a resident id: not checked against GB 11643.
    let f = after("ID-RESIDENT-CHECKSUM", enterprise(), |o| {
        o.sites[0].leader.id_type = CertType::Passport;
        o.sites[0].leader.id_number = "E12345678".into();
    });
    assert_silent(&f, "ID-RESIDENT-CHECKSUM");
}

// ---------------------------------------------------------------- ID-USCC-CHECKSUM

#[test]
fn uscc_bad_check_character() {
    let f = check(&sample("uscc-bad-check.json"));
    assert_fires(&f, "ID-USCC-CHECKSUM", Block, "subject.certificate.number");
    let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
        o.subject.certificate.number = "91440300MA5F8K2Q1N".into()
    });
    assert_fires(&f, "ID-USCC-CHECKSUM", Block, "subject.certificate.number");
}

#[test]
fn uscc_letters_outside_the_alphabet() {
    // I, O, S, V, Z are not used; 'I' replaces the '1' of the clean code.
    let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
        o.subject.certificate.number = "91440300MA5F8K2QIM".into()
    });
    assert_fires(&f, "ID-USCC-CHECKSUM", Block, "subject.certificate.number");
    // Characters 3–8 (the region code) must be digits, even with a matching check character.
    let code = uscc("9144A300MA5F8K2Q1");
    let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
        o.subject.certificate.number = code.clone()
    });
    assert_fires(&f, "ID-USCC-CHECKSUM", Block, "subject.certificate.number");
}

#[test]
fn uscc_valid_codes_near_miss() {
    for code in ["91110108551385082Q".to_string(), uscc("91440300MA5F8K2Q2")] {
        let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
            o.subject.certificate.number = code.clone()
        });
        assert_silent(&f, "ID-USCC-CHECKSUM");
    }
}

#[test]
fn uscc_rule_only_reads_18_character_codes() {
    // A 15-digit registration number of an old licence is not a credit code.
    let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
        o.subject.certificate.number = "440301103456789".into()
    });
    assert_silent(&f, "ID-USCC-CHECKSUM");
}

#[test]
fn uscc_with_full_width_characters_is_flagged_not_a_crash() {
    // 18 characters, two of them full-width: the byte offsets of the region code fall
    // inside a character.
    let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
        o.subject.certificate.number = "９１440300MA5F8K2Q1M".into()
    });
    assert_fires(&f, "ID-USCC-CHECKSUM", Block, "subject.certificate.number");
    let f = after("ID-USCC-CHECKSUM", enterprise(), |o| {
        o.subject.certificate.number = "9１440300MA5F8K2Q1M".into()
    });
    assert_fires(&f, "ID-USCC-CHECKSUM", Block, "subject.certificate.number");
    // The message names the real problem: characters outside the code's alphabet.
    let msg = &of(&f, "ID-USCC-CHECKSUM")[0].message_en;
    assert!(msg.contains("alphabet"), "{msg}");
}

// ---------------------------------------------------------------- ID-CERT-NATURE-MISMATCH

#[test]
fn enterprise_with_a_resident_id() {
    let f = after("ID-CERT-NATURE-MISMATCH", enterprise(), |o| {
        o.subject.certificate.kind = CertType::ResidentId
    });
    assert_fires(
        &f,
        "ID-CERT-NATURE-MISMATCH",
        Block,
        "subject.certificate.type",
    );
}

#[test]
fn individual_with_a_business_licence() {
    let f = after("ID-CERT-NATURE-MISMATCH", individual(), |o| {
        o.subject.certificate.kind = CertType::BusinessLicence
    });
    assert_fires(
        &f,
        "ID-CERT-NATURE-MISMATCH",
        Block,
        "subject.certificate.type",
    );
}

#[test]
fn certificate_fits_nature_near_miss() {
    // An individual may file with a passport; a public institution with its certificate.
    let f = after("ID-CERT-NATURE-MISMATCH", individual(), |o| {
        o.subject.certificate.kind = CertType::Passport
    });
    assert_silent(&f, "ID-CERT-NATURE-MISMATCH");
    let f = after("ID-CERT-NATURE-MISMATCH", enterprise(), |o| {
        o.subject.nature = Nature::PublicInstitution;
        o.subject.certificate.kind = CertType::PublicInstitutionCert;
    });
    assert_silent(&f, "ID-CERT-NATURE-MISMATCH");
    // Only the nature changed: the business licence no longer fits.
    let f = after("ID-CERT-NATURE-MISMATCH", enterprise(), |o| {
        o.subject.nature = Nature::PublicInstitution
    });
    assert_fires(
        &f,
        "ID-CERT-NATURE-MISMATCH",
        Block,
        "subject.certificate.type",
    );
}

#[test]
fn leader_with_an_organisation_document() {
    let f = after("ID-CERT-NATURE-MISMATCH", enterprise(), |o| {
        o.sites[0].leader.id_type = CertType::BusinessLicence
    });
    assert_fires(
        &f,
        "ID-CERT-NATURE-MISMATCH",
        Block,
        "sites[0].leader.id_type",
    );
    let f = after("ID-CERT-NATURE-MISMATCH", enterprise(), |o| {
        o.sites[0].leader.id_type = CertType::HkMacaoPermit
    });
    assert_silent(&f, "ID-CERT-NATURE-MISMATCH");
}

// ---------------------------------------------------------------- NAME-HALFWIDTH-BRACKETS

#[test]
fn halfwidth_brackets_in_subject_name() {
    let f = check(&sample("halfwidth-brackets.json"));
    assert_fires(&f, "NAME-HALFWIDTH-BRACKETS", Block, "subject.name");
    let f = after("NAME-HALFWIDTH-BRACKETS", enterprise(), |o| {
        o.subject.name = "深圳市凌云数据科技(深圳)有限公司".into()
    });
    assert_fires(&f, "NAME-HALFWIDTH-BRACKETS", Block, "subject.name");
    // A single stray bracket counts too.
    let f = after("NAME-HALFWIDTH-BRACKETS", enterprise(), |o| {
        o.subject.name = "深圳市凌云数据科技（深圳)有限公司".into()
    });
    assert_fires(&f, "NAME-HALFWIDTH-BRACKETS", Block, "subject.name");
}

#[test]
fn fullwidth_brackets_near_miss() {
    let f = after("NAME-HALFWIDTH-BRACKETS", enterprise(), |o| {
        o.subject.name = "深圳市凌云数据科技（深圳）有限公司".into()
    });
    assert_silent(&f, "NAME-HALFWIDTH-BRACKETS");
}

// ---------------------------------------------------------------- NAME-INDIVIDUAL-MISMATCH

#[test]
fn individual_name_differs_from_leader() {
    let f = after("NAME-INDIVIDUAL-MISMATCH", individual(), |o| {
        o.subject.name = "刘晓明".into()
    });
    assert_fires(&f, "NAME-INDIVIDUAL-MISMATCH", Block, "subject.name");
    let f = after("NAME-INDIVIDUAL-MISMATCH", individual(), |o| {
        o.subject.leader.name = "刘小敏".into()
    });
    assert_fires(&f, "NAME-INDIVIDUAL-MISMATCH", Block, "subject.name");
}

#[test]
fn organisation_name_differs_from_leader_near_miss() {
    // The enterprise sample's name is not its leader's name: only individuals must match.
    let base = enterprise();
    assert_ne!(base.subject.name, base.subject.leader.name);
    assert_silent(&check(&base), "NAME-INDIVIDUAL-MISMATCH");
    // The same order as an individual (one field changed) fires.
    let f = after("NAME-INDIVIDUAL-MISMATCH", base, |o| {
        o.subject.nature = Nature::Individual
    });
    assert_fires(&f, "NAME-INDIVIDUAL-MISMATCH", Block, "subject.name");
}

// ---------------------------------------------------------------- NAME-NOT-EXACT

#[test]
fn name_with_leading_or_trailing_spaces() {
    for name in [
        " 深圳市凌云数据科技有限公司",
        "深圳市凌云数据科技有限公司 ",
        "深圳市凌云数据科技有限公司\u{3000}",
    ] {
        let f = after("NAME-NOT-EXACT", enterprise(), |o| {
            o.subject.name = name.into()
        });
        assert_fires(&f, "NAME-NOT-EXACT", Block, "subject.name");
    }
}

#[test]
fn name_with_zero_width_space_at_an_end() {
    // Invisible spaces pasted from web pages make the name differ from the certificate.
    for name in [
        "\u{200B}深圳市凌云数据科技有限公司",
        "深圳市凌云数据科技有限公司\u{FEFF}",
    ] {
        let f = after("NAME-NOT-EXACT", enterprise(), |o| {
            o.subject.name = name.into()
        });
        assert_fires(&f, "NAME-NOT-EXACT", Block, "subject.name");
    }
}

#[test]
fn name_with_control_characters() {
    for name in [
        "深圳市凌云数据\t科技有限公司",
        "深圳市凌云数据科技有限公司\u{1b}[0m",
        "深圳市\u{202E}凌云数据科技有限公司",
    ] {
        let f = after("NAME-NOT-EXACT", enterprise(), |o| {
            o.subject.name = name.into()
        });
        assert_fires(&f, "NAME-NOT-EXACT", Block, "subject.name");
    }
}

#[test]
fn name_that_is_a_domain() {
    for name in ["lingyun-data.cn", "ＬＩＮＧＹＵＮ－ＤＡＴＡ．ＣＮ"] {
        let f = after("NAME-NOT-EXACT", enterprise(), |o| {
            o.subject.name = name.into()
        });
        assert_fires(&f, "NAME-NOT-EXACT", Block, "subject.name");
    }
}

#[test]
fn exact_names_near_miss() {
    // Inner spaces of a registered Latin name, and a name that only mentions a domain.
    for name in [
        "Lingyun Data Technology Co., Ltd.",
        "凌云lingyun-data.cn数据科技有限公司",
    ] {
        let f = after("NAME-NOT-EXACT", enterprise(), |o| {
            o.subject.name = name.into()
        });
        assert_silent(&f, "NAME-NOT-EXACT");
    }
}

// ---------------------------------------------------------------- NAME-NATURE-MISMATCH

#[test]
fn company_suffix_with_a_non_enterprise_nature() {
    for nature in [
        Nature::PublicInstitution,
        Nature::SocialGroup,
        Nature::Government,
        Nature::Other,
    ] {
        let f = after("NAME-NATURE-MISMATCH", enterprise(), |o| {
            o.subject.nature = nature
        });
        assert_fires(&f, "NAME-NATURE-MISMATCH", Block, "subject.name");
    }
    let f = after("NAME-NATURE-MISMATCH", enterprise(), |o| {
        o.subject.nature = Nature::PublicInstitution;
        o.subject.name = "深圳市凌云农机合作社".into();
    });
    assert_fires(&f, "NAME-NATURE-MISMATCH", Block, "subject.name");
}

#[test]
fn individual_name_with_an_organisation_marker() {
    let f = after("NAME-NATURE-MISMATCH", individual(), |o| {
        o.subject.name = "刘晓敏商行".into()
    });
    assert_fires(&f, "NAME-NATURE-MISMATCH", Block, "subject.name");
    let f = after("NAME-NATURE-MISMATCH", individual(), |o| {
        o.subject.name = "刘晓敏花店".into()
    });
    assert_fires(&f, "NAME-NATURE-MISMATCH", Block, "subject.name");
}

#[test]
fn names_that_fit_the_nature_near_miss() {
    // A company word inside (not at the end of) an organisation's name, and an
    // institution's own kind of name.
    for (nature, name) in [
        (Nature::SocialGroup, "深圳市凌云数据科技有限公司工会委员会"),
        (Nature::PublicInstitution, "深圳市第一人民医院"),
    ] {
        let f = after("NAME-NATURE-MISMATCH", enterprise(), |o| {
            o.subject.nature = nature;
            o.subject.name = name.into();
        });
        assert_silent(&f, "NAME-NATURE-MISMATCH");
    }
}

// ---------------------------------------------------------------- ID-USCC-NATURE

#[test]
fn credit_code_category_does_not_fit_nature() {
    // An enterprise with a public institution's code (12…).
    let code = uscc("12440300MA5F8K2Q1");
    let f = after("ID-USCC-NATURE", enterprise(), |o| {
        o.subject.certificate.number = code.clone()
    });
    assert_fires(&f, "ID-USCC-NATURE", Block, "subject.certificate.number");
    assert_silent(&f, "ID-USCC-CHECKSUM");
    // A public institution with an enterprise's code (91…).
    let f = after("ID-USCC-NATURE", enterprise(), |o| {
        o.subject.nature = Nature::PublicInstitution;
        o.subject.certificate.kind = CertType::PublicInstitutionCert;
    });
    assert_fires(&f, "ID-USCC-NATURE", Block, "subject.certificate.number");
}

#[test]
fn credit_code_category_fits_nature_near_miss() {
    for (nature, kind, body) in [
        (
            Nature::PublicInstitution,
            CertType::PublicInstitutionCert,
            "12440300MA5F8K2Q1",
        ),
        (
            Nature::SocialGroup,
            CertType::SocialGroupCert,
            "51440300MA5F8K2Q1",
        ),
        (
            Nature::PrivateNonEnterprise,
            CertType::PrivateNonEnterpriseCert,
            "52440300MA5F8K2Q1",
        ),
        (
            Nature::Enterprise,
            CertType::BusinessLicence,
            "92440300MA5F8K2Q1",
        ),
        (
            Nature::Enterprise,
            CertType::BusinessLicence,
            "93440300MA5F8K2Q1",
        ),
    ] {
        let code = uscc(body);
        let f = after("ID-USCC-NATURE", enterprise(), |o| {
            o.subject.nature = nature;
            o.subject.certificate.kind = kind;
            o.subject.certificate.number = code.clone();
        });
        assert_silent(&f, "ID-USCC-NATURE");
    }
}

// ---------------------------------------------------------------- ID-ORG-CROSS-PROVINCE

#[test]
fn credit_code_registered_in_another_province() {
    // A Beijing code (11…) filed in Guangdong.
    let f = after("ID-ORG-CROSS-PROVINCE", enterprise(), |o| {
        o.subject.certificate.number = "91110108551385082Q".into()
    });
    assert_fires(
        &f,
        "ID-ORG-CROSS-PROVINCE",
        Warn,
        "subject.certificate.number",
    );
    // The Guangdong code filed in Beijing.
    let f = after("ID-ORG-CROSS-PROVINCE", enterprise(), |o| {
        o.subject.region.province = "CN-BJ".into()
    });
    assert_fires(
        &f,
        "ID-ORG-CROSS-PROVINCE",
        Warn,
        "subject.certificate.number",
    );
}

#[test]
fn credit_code_of_the_filing_province_or_national_near_miss() {
    // Another Guangdong city (Guangzhou 4401…) and a national-level code (100000).
    for body in ["91440101MA5C9W3N6", "91100000MA5F8K2Q1"] {
        let code = uscc(body);
        let f = after("ID-ORG-CROSS-PROVINCE", enterprise(), |o| {
            o.subject.certificate.number = code.clone()
        });
        assert_silent(&f, "ID-ORG-CROSS-PROVINCE");
    }
    // 110000 is Beijing, not the national code.
    let code = uscc("91110000MA5F8K2Q1");
    let f = after("ID-ORG-CROSS-PROVINCE", enterprise(), |o| {
        o.subject.certificate.number = code.clone()
    });
    assert_fires(
        &f,
        "ID-ORG-CROSS-PROVINCE",
        Warn,
        "subject.certificate.number",
    );
}

// ---------------------------------------------------------------- ID-PERSON-CROSS-PROVINCE

/// A Beijing-born person (a resident id starting 11).
fn beijing_id() -> String {
    ric("110105", "19900922", "187")
}

#[test]
fn individual_from_another_province_needs_a_residence_permit() {
    // Zhejiang accepts other provinces' individuals with a local residence permit (current).
    let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
        set_person_id(o, &beijing_id())
    });
    assert_fires(
        &f,
        "ID-PERSON-CROSS-PROVINCE",
        Block,
        "subject.certificate.number",
    );
}

#[test]
fn residence_permit_present_near_miss() {
    let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
        set_person_id(o, &beijing_id());
        o.materials.push(residence_permit());
    });
    assert_silent(&f, "ID-PERSON-CROSS-PROVINCE");
}

#[test]
fn province_without_cross_province_filing_blocks() {
    // Guangxi (current: no) with the Zhejiang person; a permit does not help.
    for with_permit in [false, true] {
        let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
            o.subject.region.province = "CN-GX".into();
            if with_permit {
                o.materials.push(residence_permit());
            }
        });
        assert_fires(
            &f,
            "ID-PERSON-CROSS-PROVINCE",
            Block,
            "subject.certificate.number",
        );
    }
}

#[test]
fn home_province_near_miss() {
    // The same Guangxi filing by a Guangxi-born person.
    let id = ric("450103", "19900922", "187");
    let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
        o.subject.region.province = "CN-GX".into();
        set_person_id(o, &id);
    });
    assert_silent(&f, "ID-PERSON-CROSS-PROVINCE");
}

#[test]
fn province_accepting_other_provinces_near_miss() {
    // Tianjin and Shaanxi accept individuals from other provinces.
    for p in ["CN-TJ", "CN-SN"] {
        let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
            o.subject.region.province = p.into()
        });
        assert_silent(&f, "ID-PERSON-CROSS-PROVINCE");
    }
}

#[test]
fn old_fact_only_warns() {
    // Chongqing "no" and Sichuan "permit" are old facts (TC-OLD): warn.
    for p in ["CN-CQ", "CN-SC"] {
        let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
            o.subject.region.province = p.into()
        });
        assert_fires(
            &f,
            "ID-PERSON-CROSS-PROVINCE",
            Warn,
            "subject.certificate.number",
        );
        assert!(
            of(&f, "ID-PERSON-CROSS-PROVINCE")
                .iter()
                .all(|x| x.severity == Warn),
            "{p}: old facts never block"
        );
    }
    // Sichuan with the permit: nothing left to check.
    let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
        o.subject.region.province = "CN-SC".into();
        o.materials.push(residence_permit());
    });
    assert_silent(&f, "ID-PERSON-CROSS-PROVINCE");
}

#[test]
fn unknown_policy_warns() {
    // Beijing's policy is not known (blank in the matrix).
    let f = after("ID-PERSON-CROSS-PROVINCE", individual(), |o| {
        o.subject.region.province = "CN-BJ".into()
    });
    assert_fires(
        &f,
        "ID-PERSON-CROSS-PROVINCE",
        Warn,
        "subject.certificate.number",
    );
}

#[test]
fn organisations_are_not_individuals_near_miss() {
    // A Zhejiang-born leader of a Guangdong enterprise: not an individual filing.
    let id = ric("330106", "19850612", "213");
    let f = after("ID-PERSON-CROSS-PROVINCE", enterprise(), |o| {
        o.subject.leader.id_number = id.clone()
    });
    assert_silent(&f, "ID-PERSON-CROSS-PROVINCE");
}

// ---------------------------------------------------------------- ID-AGE-MINIMUM

#[test]
fn individual_one_day_short_of_18() {
    // Submitted 2026-11-20 in Zhejiang (default minimum 18): born 2008-11-21 is 17.
    let id = ric("330106", "20081121", "187");
    let f = after("ID-AGE-MINIMUM", individual(), |o| set_person_id(o, &id));
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "subject.certificate.number");
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "subject.leader.id_number");
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "sites[0].leader.id_number");
}

#[test]
fn individual_exactly_18_near_miss() {
    let id = ric("330106", "20081120", "187");
    let f = after("ID-AGE-MINIMUM", individual(), |o| set_person_id(o, &id));
    assert_silent(&f, "ID-AGE-MINIMUM");
}

#[test]
fn age_is_taken_on_the_shanghai_date_of_submission() {
    let id = ric("330106", "20081120", "187");
    // 2026-11-19T16:30Z is 2026-11-20 00:30 in Shanghai: the 18th birthday.
    let f = after("ID-AGE-MINIMUM", individual(), |o| {
        set_person_id(o, &id);
        o.submitted_at = "2026-11-19T16:30:00Z".parse().unwrap();
    });
    assert_silent(&f, "ID-AGE-MINIMUM");
    // 2026-11-19T15:30Z is still 2026-11-19 in Shanghai: one day short.
    let f = after("ID-AGE-MINIMUM", individual(), |o| {
        set_person_id(o, &id);
        o.submitted_at = "2026-11-19T15:30:00Z".parse().unwrap();
    });
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "subject.leader.id_number");
}

#[test]
fn site_leader_below_the_province_minimum() {
    // Zhejiang has no own minimum: 18 applies to an organisation's site leader too.
    let id = ric("440106", "20081121", "426");
    let f = after("ID-AGE-MINIMUM", enterprise(), |o| {
        o.subject.region.province = "CN-ZJ".into();
        o.sites[0].leader.id_number = id.clone();
    });
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "sites[0].leader.id_number");
    // Guangdong's minimum is 16: the same 17-year-old passes there …
    let f = after("ID-AGE-MINIMUM", enterprise(), |o| {
        o.sites[0].leader.id_number = id.clone()
    });
    assert_silent(&f, "ID-AGE-MINIMUM");
    // … exactly 16 passes, one day short of 16 does not.
    let id16 = ric("440106", "20101120", "426");
    let f = after("ID-AGE-MINIMUM", enterprise(), |o| {
        o.sites[0].leader.id_number = id16.clone()
    });
    assert_silent(&f, "ID-AGE-MINIMUM");
    let id15 = ric("440106", "20101121", "426");
    let f = after("ID-AGE-MINIMUM", enterprise(), |o| {
        o.sites[0].leader.id_number = id15.clone()
    });
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "sites[0].leader.id_number");
}

/// The individual sample moved to Shandong with a Shandong-born person.
fn shandong_individual(birth: &str) -> impl FnOnce(&mut Order) {
    let id = ric("370102", birth, "187");
    move |o: &mut Order| {
        o.subject.region.province = "CN-SD".into();
        set_person_id(o, &id);
    }
}

#[test]
fn uncertain_province_minimum_warns() {
    // Shandong's minimum of 17 is uncertain (17 there vs 18 elsewhere): a 17-year-old
    // is a case for the reviewer, not a pass and not a block.
    let f = after(
        "ID-AGE-MINIMUM",
        individual(),
        shandong_individual("20081121"),
    );
    assert_fires(&f, "ID-AGE-MINIMUM", Warn, "subject.leader.id_number");
    assert!(of(&f, "ID-AGE-MINIMUM").iter().all(|x| x.severity == Warn));
    // 18 passes there as anywhere.
    let f = after(
        "ID-AGE-MINIMUM",
        individual(),
        shandong_individual("20081120"),
    );
    assert_silent(&f, "ID-AGE-MINIMUM");
    // Below both 17 and 18 blocks.
    let f = after(
        "ID-AGE-MINIMUM",
        individual(),
        shandong_individual("20091121"),
    );
    assert_fires(&f, "ID-AGE-MINIMUM", Block, "subject.leader.id_number");
}

// ---------------------------------------------------------------- ID-EXPIRES-SOON

#[test]
fn id_expiring_a_day_before_three_months() {
    // Submitted 2026-11-20: the limit is 2027-02-20.
    let f = after("ID-EXPIRES-SOON", enterprise(), |o| {
        o.subject.leader.id_valid_to = Some(date("2027-02-19"))
    });
    assert_fires(&f, "ID-EXPIRES-SOON", Block, "subject.leader.id_valid_to");
    let f = after("ID-EXPIRES-SOON", enterprise(), |o| {
        o.sites[0].leader.id_valid_to = Some(date("2027-02-19"))
    });
    assert_fires(&f, "ID-EXPIRES-SOON", Block, "sites[0].leader.id_valid_to");
}

#[test]
fn id_already_expired() {
    let f = after("ID-EXPIRES-SOON", individual(), |o| {
        o.subject.leader.id_valid_to = Some(date("2026-11-19"))
    });
    assert_fires(&f, "ID-EXPIRES-SOON", Block, "subject.leader.id_valid_to");
}

#[test]
fn id_valid_for_exactly_three_months_near_miss() {
    for v in [date("2027-02-20"), date("2036-05-01"), IdValidTo::LongTerm] {
        let f = after("ID-EXPIRES-SOON", enterprise(), |o| {
            o.subject.leader.id_valid_to = Some(v);
            o.sites[0].leader.id_valid_to = Some(v);
        });
        assert_silent(&f, "ID-EXPIRES-SOON");
    }
}

#[test]
fn three_months_from_the_end_of_a_month() {
    // Submitted 2026-11-30 (Shanghai): three months later is 2027-02-28.
    let base = || {
        let mut o = enterprise();
        o.submitted_at = "2026-11-30T10:00:00+08:00".parse().unwrap();
        o
    };
    let f = after("ID-EXPIRES-SOON", base(), |o| {
        o.subject.leader.id_valid_to = Some(date("2027-02-27"))
    });
    assert_fires(&f, "ID-EXPIRES-SOON", Block, "subject.leader.id_valid_to");
    let f = after("ID-EXPIRES-SOON", base(), |o| {
        o.subject.leader.id_valid_to = Some(date("2027-02-28"))
    });
    assert_silent(&f, "ID-EXPIRES-SOON");
}
