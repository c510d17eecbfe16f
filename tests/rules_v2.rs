//! Catalogue version 2 (rules.md, "Version 2: clarifications" and "Version 2: new rules"):
//! for every clarified and every new rule, orders made for it where it fires (id, severity,
//! path) and near misses where it stays silent, per province where the rule is per
//! province. Each order is a clean sample with as little changed as possible; among them
//! the orders version 1 missed (IDN names, a legal representative holding a domain where
//! the province has no data, one province's age applied to every kind of leader, mobiles
//! written in digit groups).

mod common;
use common::*;

use icp_review::domain::{
    CertType, ContentCategory, FilingType, Material, MaterialKind, Nature, Order, PreApproval,
    SiteKind, Status,
};
use icp_review::rules::Severity::{Block, Warn};

// ---------------------------------------------------------------------------------------
// helpers

fn in_province(mut o: Order, code: &str) -> Order {
    o.subject.region.province = code.to_string();
    o
}

/// The individual sample (one person: applicant, subject leader, site leader) in a
/// province, born on `birth` (YYYYMMDD) with an id issued in `area`.
fn individual_born(code: &str, area: &str, birth: &str) -> Order {
    let mut o = in_province(individual(), code);
    let id = ric(area, birth, "213");
    o.subject.certificate.number = id.clone();
    o.subject.leader.id_number = id.clone();
    o.sites[0].leader.id_number = id;
    o
}

/// The enterprise sample in a province, its site leader born on `birth`.
fn enterprise_site_leader_born(code: &str, area: &str, birth: &str) -> Order {
    let mut o = in_province(enterprise(), code);
    o.sites[0].leader.id_number = ric(area, birth, "226");
    o
}

/// Another company's order: another certificate, name, domain and other people.
fn other_subject() -> Order {
    let mut o = enterprise();
    o.id = "EX-2026-09001".into();
    o.account = "acct-ex-2026-09001".into();
    o.subject.name = "广州远图物流有限公司".into();
    o.subject.certificate.number = uscc("91440101MA5C9W3N6");
    o.sites[0].name = "远图物流".into();
    o.sites[0].domains[0].name = "yuantu56.cn".into();
    o.sites[0].domains[0].holder = "广州远图物流有限公司".into();
    let l = &mut o.subject.leader;
    l.name = "钱文博".into();
    l.id_number = ric("440104", "19700909", "115");
    l.mobile = "13904111234".into();
    l.emergency_phone = "13998765432".into();
    l.email = "qianwb@yuantu56.cn".into();
    let l = &mut o.sites[0].leader;
    l.name = "孙丽".into();
    l.id_number = ric("440104", "19880512", "226");
    l.mobile = "13602245588".into();
    l.emergency_phone = "13602245599".into();
    l.email = "sunli@yuantu56.cn".into();
    o
}

fn with<T>(mut o: T, change: impl FnOnce(&mut T)) -> T {
    change(&mut o);
    o
}

// ---------------------------------------------------------------------------------------
// ID-AGE-MINIMUM (clarified): a minimum per kind of filing, a proof band that warns

const AGE: &str = "ID-AGE-MINIMUM";
// Submitted 2026-11-20: born 2009-06-01 is 17, 2011-06-01 is 15, 2008-06-01 is 18.
const AGED_17: &str = "20090601";
const AGED_15: &str = "20110601";
const AGED_18: &str = "20080601";

#[test]
fn age_jiangsu_individual_of_17_warns_for_proof_of_income() {
    let f = check(&individual_born("CN-JS", "320102", AGED_17));
    assert_fires(&f, AGE, Warn, "subject.certificate.number");
    assert_fires(&f, AGE, Warn, "sites[0].leader.id_number");
    assert!(of(&f, AGE).iter().all(|x| x.severity == Warn), "{f:#?}");
}

#[test]
fn age_jiangsu_individual_of_15_blocks() {
    let f = check(&individual_born("CN-JS", "320102", AGED_15));
    assert_fires(&f, AGE, Block, "subject.leader.id_number");
}

#[test]
fn age_jiangsu_individual_of_18_is_silent() {
    assert_silent(&check(&individual_born("CN-JS", "320102", AGED_18)), AGE);
}

#[test]
fn age_jiangsu_minimum_is_not_applied_to_an_organisations_leader() {
    // Version 1 read Jiangsu's 16 for every leader; organisations' leaders use 18.
    let f = check(&enterprise_site_leader_born("CN-JS", "320102", AGED_17));
    assert_fires(&f, AGE, Block, "sites[0].leader.id_number");
    // Near miss: 18.
    let f = check(&enterprise_site_leader_born("CN-JS", "320102", AGED_18));
    assert_silent(&f, AGE);
}

#[test]
fn age_guangdong_organisation_leader_of_17_is_silent_of_15_blocks() {
    let f = check(&enterprise_site_leader_born("CN-GD", "440305", AGED_17));
    assert_silent(&f, AGE);
    let f = check(&enterprise_site_leader_born("CN-GD", "440305", AGED_15));
    assert_fires(&f, AGE, Block, "sites[0].leader.id_number");
}

#[test]
fn age_guangdong_individual_under_18_warns_old_rule_under_16_blocks() {
    let f = check(&individual_born("CN-GD", "440305", AGED_17));
    assert_fires(&f, AGE, Warn, "subject.leader.id_number");
    assert!(of(&f, AGE).iter().all(|x| x.severity == Warn), "{f:#?}");
    let f = check(&individual_born("CN-GD", "440305", AGED_15));
    assert_fires(&f, AGE, Block, "subject.leader.id_number");
    assert_silent(&check(&individual_born("CN-GD", "440305", AGED_18)), AGE);
}

#[test]
fn age_without_province_data_is_18_for_both_kinds() {
    // Zhejiang gives no minimum: 17 blocks for an individual and for a leader.
    let f = check(&individual_born("CN-ZJ", "330106", AGED_17));
    assert_fires(&f, AGE, Block, "subject.leader.id_number");
    let f = check(&enterprise_site_leader_born("CN-ZJ", "330106", AGED_17));
    assert_fires(&f, AGE, Block, "sites[0].leader.id_number");
    assert_silent(&check(&individual_born("CN-ZJ", "330106", AGED_18)), AGE);
}

// ---------------------------------------------------------------------------------------
// DOMAIN-HOLDER-MISMATCH (clarified): the legal representative as holder

const HOLDER_RULE: &str = "DOMAIN-HOLDER-MISMATCH";
const HOLDER: &str = "sites[0].domains[0].holder";

fn held_by_legal_rep(code: &str) -> Order {
    let mut o = in_province(enterprise(), code);
    o.sites[0].domains[0].holder = o.subject.leader.name.clone();
    o
}

#[test]
fn holder_legal_rep_without_province_data_blocks() {
    // Version 1 stayed silent here and only warned through the province rule.
    let f = check(&held_by_legal_rep("CN-ZJ"));
    assert_fires(&f, HOLDER_RULE, Block, HOLDER);
}

#[test]
fn holder_legal_rep_where_acceptance_is_old_warns() {
    // Jiangsu's acceptance comes from old sources only.
    let f = check(&held_by_legal_rep("CN-JS"));
    assert_fires(&f, HOLDER_RULE, Warn, HOLDER);
    assert!(of(&f, HOLDER_RULE).iter().all(|x| x.severity == Warn));
}

#[test]
fn holder_legal_rep_where_refused_blocks_beside_the_province_rule() {
    let f = check(&held_by_legal_rep("CN-NX"));
    assert_fires(&f, HOLDER_RULE, Block, HOLDER);
    assert_fires(&f, "PROV-DOMAIN-HOLDER-LEGALREP", Block, HOLDER);
}

#[test]
fn holder_legal_rep_where_accepted_now_is_silent() {
    for code in ["CN-GD", "CN-QH"] {
        assert_silent(&check(&held_by_legal_rep(code)), HOLDER_RULE);
    }
    // And the company itself holding it is silent anywhere.
    assert_silent(&check(&in_province(enterprise(), "CN-ZJ")), HOLDER_RULE);
}

// ---------------------------------------------------------------------------------------
// NAME-NOT-EXACT and SITE-NAME-DOMAIN (clarified): internationalised domain names

#[test]
fn subject_name_that_is_an_idn_fires() {
    for name in [
        "鹭江数码.com",
        "鹭江数码.中国",
        "https://www.鹭江数码.cn/",
        "鹭江数码。公司",
    ] {
        let o = with(enterprise(), |o| o.subject.name = name.into());
        assert_fires(&check(&o), "NAME-NOT-EXACT", Block, "subject.name");
    }
}

#[test]
fn subject_name_near_misses_are_silent() {
    for name in ["厦门鹭江数码科技有限公司", "鹭江数码2.0科技有限公司"] {
        let o = with(enterprise(), |o| o.subject.name = name.into());
        assert_silent(&check(&o), "NAME-NOT-EXACT");
    }
}

#[test]
fn site_name_containing_an_idn_fires() {
    for name in [
        "鹭江数码.com官方网站",
        "访问鹭江数码.中国",
        "鹭江数码.网络服务",
    ] {
        let o = with(enterprise(), |o| o.sites[0].name = name.into());
        assert_fires(&check(&o), "SITE-NAME-DOMAIN", Block, "sites[0].name");
    }
}

#[test]
fn site_name_without_a_domain_is_silent() {
    for name in ["鹭江数码官方网站", "凌云2.0数据平台", "凌云.数据"] {
        let o = with(enterprise(), |o| o.sites[0].name = name.into());
        assert_silent(&check(&o), "SITE-NAME-DOMAIN");
    }
}

// ---------------------------------------------------------------------------------------
// CONTACT-MOBILE-FORMAT (clarified): digit groups and country codes

#[test]
fn mobiles_in_digit_groups_or_with_a_country_code_pass() {
    for m in [
        "138 2654 1298",
        "138-2654-1298",
        "+86 138 2654 1298",
        "0086 13826541298",
        "86 138-2654-1298",
    ] {
        let o = with(enterprise(), |o| o.subject.leader.mobile = m.into());
        assert_silent(&check(&o), "CONTACT-MOBILE-FORMAT");
    }
}

#[test]
fn mobiles_with_other_separators_or_digits_fire() {
    for m in [
        "138.2654.1298",
        "138 2654 129",
        "+1 138 2654 1298",
        "12826541298",
    ] {
        let o = with(enterprise(), |o| o.subject.leader.mobile = m.into());
        assert_fires(
            &check(&o),
            "CONTACT-MOBILE-FORMAT",
            Block,
            "subject.leader.mobile",
        );
    }
}

#[test]
fn phone_comparisons_use_the_normalised_form() {
    // The site leader writes the subject leader's mobile in groups: still the same number.
    let mut o = enterprise();
    o.sites[0].leader.mobile = "+86 138-2654-1298".into();
    assert_fires(
        &check(&o),
        "CONTACT-LEADERS-SHARE-MOBILE",
        Block,
        "sites[0].leader.mobile",
    );
    let mut o = enterprise();
    o.subject.leader.emergency_phone = "138 2654 1298".into();
    assert_fires(
        &check(&o),
        "CONTACT-EMERGENCY-SAME",
        Block,
        "subject.leader.emergency_phone",
    );
}

// ---------------------------------------------------------------------------------------
// ID-LEGACY-CERTNO

const LEGACY: &str = "ID-LEGACY-CERTNO";

#[test]
fn legacy_registration_number_in_a_new_filing_blocks() {
    let o = with(enterprise(), |o| {
        o.subject.certificate.number = "440301103456789".into()
    });
    assert_fires(&check(&o), LEGACY, Block, "subject.certificate.number");
    let o = with(enterprise(), |o| {
        o.subject.certificate.number = "MA5F8K2Q-1".into()
    });
    assert_fires(&check(&o), LEGACY, Block, "subject.certificate.number");
    let o = with(enterprise(), |o| {
        o.subject.certificate.kind = CertType::OrganizationCode
    });
    assert_fires(&check(&o), LEGACY, Block, "subject.certificate.type");
}

#[test]
fn legacy_number_in_a_new_access_warns() {
    let o = with(enterprise(), |o| {
        o.subject.certificate.number = "440301103456789".into();
        o.filing_type = FilingType::NewAccess;
    });
    assert_fires(&check(&o), LEGACY, Warn, "subject.certificate.number");
}

#[test]
fn legacy_near_misses_are_silent() {
    // The current 18-character code; a change order; an individual's 18-digit id.
    assert_silent(&check(&enterprise()), LEGACY);
    let o = with(enterprise(), |o| {
        o.subject.certificate.number = "440301103456789".into();
        o.filing_type = FilingType::ChangeFiling;
    });
    assert_silent(&check(&o), LEGACY);
    assert_silent(&check(&individual()), LEGACY);
}

// ---------------------------------------------------------------------------------------
// LEAD-PERSONAL-SELF

const SELF: &str = "LEAD-PERSONAL-SELF";

#[test]
fn individual_with_another_person_leading_the_site_blocks() {
    let o = with(individual(), |o| {
        o.sites[0].leader.id_number = ric("330106", "19881111", "442")
    });
    assert_fires(&check(&o), SELF, Block, "sites[0].leader.id_number");
    let o = with(individual(), |o| {
        o.subject.leader.id_number = ric("330106", "19881111", "442")
    });
    assert_fires(&check(&o), SELF, Block, "subject.leader.id_number");
}

#[test]
fn individual_led_by_the_individual_is_silent() {
    assert_silent(&check(&individual()), SELF);
    // The same id in lower case with spaces is the same person.
    let o = with(individual(), |o| {
        let id = format!(" {} ", o.subject.certificate.number.to_lowercase());
        o.sites[0].leader.id_number = id;
    });
    assert_silent(&check(&o), SELF);
    // Organisations may have different leaders.
    assert_silent(&check(&enterprise()), SELF);
}

// ---------------------------------------------------------------------------------------
// LEAD-SUBJ-REUSE-HA

const REUSE_HA: &str = "LEAD-SUBJ-REUSE-HA";

/// Another company whose subject leader is the enterprise sample's subject leader.
fn other_subject_same_boss(status: Status) -> Order {
    let mut o = other_subject();
    o.subject.leader = enterprise().subject.leader;
    o.status = status;
    o
}

#[test]
fn henan_subject_leader_of_another_subject_blocks_whatever_its_status() {
    for status in [Status::Completed, Status::Withdrawn, Status::Pending] {
        let o = in_province(enterprise(), "CN-HA");
        let f = check_with(&o, &[], &[other_subject_same_boss(status)]);
        assert_fires(&f, REUSE_HA, Block, "subject.leader.id_number");
    }
    let o = with(in_province(enterprise(), "CN-HA"), |o| {
        o.filing_type = FilingType::ChangeSubject
    });
    let f = check_with(&o, &[], &[other_subject_same_boss(Status::Completed)]);
    assert_fires(&f, REUSE_HA, Block, "subject.leader.id_number");
}

#[test]
fn henan_reuse_near_misses_are_silent() {
    let boss = other_subject_same_boss(Status::Completed);
    // Another province.
    let f = check_with(&enterprise(), &[], std::slice::from_ref(&boss));
    assert_silent(&f, REUSE_HA);
    // A filing type the rule does not cover.
    let o = with(in_province(enterprise(), "CN-HA"), |o| {
        o.filing_type = FilingType::NewSite
    });
    assert_silent(&check_with(&o, &[], std::slice::from_ref(&boss)), REUSE_HA);
    // The same subject's earlier order.
    let mut same = in_province(enterprise(), "CN-HA");
    same.id = "EX-2026-09002".into();
    same.status = Status::Completed;
    let o = in_province(enterprise(), "CN-HA");
    assert_silent(&check_with(&o, &[], &[same]), REUSE_HA);
    // He is only a site leader of the other subject.
    let mut other = other_subject();
    other.sites[0].leader = enterprise().subject.leader;
    assert_silent(&check_with(&o, &[], &[other]), REUSE_HA);
}

// ---------------------------------------------------------------------------------------
// CONTACT-EMAIL-REUSED

const EMAIL_REUSED: &str = "CONTACT-EMAIL-REUSED";

/// Another company whose site leader (another person) uses the sample's subject leader's
/// e-mail, written in capitals.
fn other_subject_with_our_email() -> Order {
    let mut o = other_subject();
    o.sites[0].leader.email = enterprise().subject.leader.email.to_uppercase();
    o
}

#[test]
fn email_of_another_person_of_another_subject_blocks_in_hebei() {
    let o = in_province(enterprise(), "CN-HE");
    let f = check_with(&o, &[], &[other_subject_with_our_email()]);
    assert_fires(&f, EMAIL_REUSED, Block, "subject.leader.email");
}

#[test]
fn email_of_another_person_of_another_subject_warns_elsewhere() {
    let f = check_with(&enterprise(), &[], &[other_subject_with_our_email()]);
    assert_fires(&f, EMAIL_REUSED, Warn, "subject.leader.email");
    assert!(of(&f, EMAIL_REUSED).iter().all(|x| x.severity == Warn));
}

#[test]
fn email_reuse_near_misses_are_silent() {
    let o = in_province(enterprise(), "CN-HE");
    // The same person (same id) serving another subject.
    let mut same_person = other_subject();
    same_person.sites[0].leader = enterprise().subject.leader;
    assert_silent(&check_with(&o, &[], &[same_person]), EMAIL_REUSED);
    // Another person of the same subject (an earlier order of the same company).
    let mut same_subject = other_subject_with_our_email();
    same_subject.subject.certificate.number = enterprise().subject.certificate.number;
    assert_silent(&check_with(&o, &[], &[same_subject]), EMAIL_REUSED);
    // Nobody else uses it.
    assert_silent(&check_with(&o, &[], &[other_subject()]), EMAIL_REUSED);
}

// ---------------------------------------------------------------------------------------
// CONTACT-OFFICE-PHONE

const OFFICE: &str = "CONTACT-OFFICE-PHONE";
const OFFICE_PATH: &str = "subject.leader.office_phone";

fn office(code: &str, phone: &str) -> Order {
    with(in_province(enterprise(), code), |o| {
        o.subject.leader.office_phone = Some(phone.into())
    })
}

#[test]
fn jiangsu_office_phone_must_be_a_landline() {
    for phone in ["13826541298", "4008208820", "025-8456"] {
        assert_fires(&check(&office("CN-JS", phone)), OFFICE, Block, OFFICE_PATH);
    }
    for phone in [
        "025-84561234",
        "025 8456 1234-801",
        "0512-6868 1234",
        "+86 25 8456 1234",
    ] {
        assert_silent(&check(&office("CN-JS", phone)), OFFICE);
    }
}

#[test]
fn liaoning_jilin_beijing_office_phone_differs_from_the_mobile() {
    for code in ["CN-LN", "CN-JL", "CN-BJ"] {
        // The leader's own mobile, written in groups.
        let f = check(&office(code, "138 2654 1298"));
        assert_fires(&f, OFFICE, Block, OFFICE_PATH);
        // Near misses: a landline; another mobile.
        assert_silent(&check(&office(code, "024-2345 6789")), OFFICE);
        assert_silent(&check(&office(code, "13926541377")), OFFICE);
    }
}

#[test]
fn gansu_chongqing_tianjin_mobile_as_office_phone_warns_even_with_remarks() {
    for code in ["CN-GS", "CN-CQ", "CN-TJ"] {
        let mut o = office(code, "13926541377");
        o.remarks = Some("办公电话由行政主管王海涛接听".into());
        let f = check(&o);
        assert_fires(&f, OFFICE, Warn, OFFICE_PATH);
        assert!(of(&f, OFFICE).iter().all(|x| x.severity == Warn));
        assert_silent(&check(&office(code, "023-6789 1234")), OFFICE);
    }
}

#[test]
fn service_numbers_warn_anywhere() {
    let f = check(&office("CN-GD", "400-820-8820"));
    assert_fires(&f, OFFICE, Warn, OFFICE_PATH);
    // A mobile or landline office phone in a province without an office-phone rule.
    assert_silent(&check(&office("CN-GD", "13926541377")), OFFICE);
    assert_silent(&check(&office("CN-GD", "0755-8888 6666")), OFFICE);
    // No office phone at all.
    assert_silent(&check(&in_province(enterprise(), "CN-JS")), OFFICE);
}

// ---------------------------------------------------------------------------------------
// SUBJ-ADDR-IN-REGION

const IN_REGION: &str = "SUBJ-ADDR-IN-REGION";

fn address(a: &str) -> Order {
    with(enterprise(), |o| o.subject.address = a.into())
}

#[test]
fn address_in_another_province_or_city_blocks() {
    for a in [
        "浙江省杭州市西湖区文三路90号",
        "杭州市西湖区文三路90号",
        "广东省广州市天河区体育西路1号",
        "广州市天河区体育西路1号",
        "中国湖北武汉洪山区珞喻路1号",
    ] {
        assert_fires(&check(&address(a)), IN_REGION, Block, "subject.address");
    }
}

#[test]
fn address_in_the_region_or_naming_no_division_is_silent() {
    for a in [
        "深圳市南山区科技园8栋",
        "广东省深圳市南山区北京路1号",
        "广东深圳南山区科技园",
        "南山区北京路88号",
        "北京路88号3楼",
    ] {
        assert_silent(&check(&address(a)), IN_REGION);
    }
    // Without a city in the region, any city of the province is in it.
    let o = with(address("广州市天河区体育西路1号"), |o| {
        o.subject.region.city = None
    });
    assert_silent(&check(&o), IN_REGION);
    // A municipality: a district that shares its name with a city elsewhere.
    let o = with(in_province(enterprise(), "CN-BJ"), |o| {
        o.subject.region.city = Some("北京市".into());
        o.subject.address = "北京市朝阳区建国路88号".into();
    });
    assert_silent(&check(&o), IN_REGION);
}

// ---------------------------------------------------------------------------------------
// SUBJ-ADDR-SAME-CITY (Hebei, Henan, Guizhou)

const SAME_CITY: &str = "SUBJ-ADDR-SAME-CITY";

fn two_addresses(code: &str, address: &str, certificate: &str) -> Order {
    with(in_province(enterprise(), code), |o| {
        o.subject.region.city = None;
        o.subject.address = address.into();
        o.subject.certificate.address = Some(certificate.into());
    })
}

#[test]
fn address_and_certificate_in_different_cities_block_in_hebei_henan_guizhou() {
    for (code, a, c) in [
        (
            "CN-HE",
            "河北省石家庄市长安区中山东路1号",
            "河北省保定市竞秀区朝阳大街2号",
        ),
        (
            "CN-HA",
            "郑州市金水区花园路3号",
            "河南省洛阳市西工区中州路4号",
        ),
        (
            "CN-GZ",
            "贵州贵阳南明区中华南路5号",
            "遵义市红花岗区中华路6号",
        ),
    ] {
        let f = check(&two_addresses(code, a, c));
        assert_fires(&f, SAME_CITY, Block, "subject.address");
        assert_silent(&f, IN_REGION);
    }
}

#[test]
fn same_city_near_misses_are_silent() {
    for (code, a, c) in [
        (
            "CN-HE",
            "河北省石家庄市长安区中山东路1号",
            "石家庄市桥西区自强路2号",
        ),
        (
            "CN-HA",
            "郑州市金水区花园路3号",
            "河南省郑州市中原区建设路4号",
        ),
        (
            "CN-GZ",
            "贵阳市南明区中华南路5号",
            "贵州省贵阳市云岩区延安路6号",
        ),
        // Guangdong has no such rule.
        ("CN-GD", "深圳市南山区科技园", "广州市天河区体育西路1号"),
    ] {
        assert_silent(&check(&two_addresses(code, a, c)), SAME_CITY);
    }
    // The certificate's address names no city.
    let o = two_addresses(
        "CN-HE",
        "河北省石家庄市长安区中山东路1号",
        "长安区中山东路1号",
    );
    assert_silent(&check(&o), SAME_CITY);
}

// ---------------------------------------------------------------------------------------
// FILING-NUMBER-FORMAT

const NUMBER: &str = "FILING-NUMBER-FORMAT";

fn numbered(code: &str, subject: &str, site: Option<&str>) -> Order {
    with(in_province(enterprise(), code), |o| {
        o.filing_type = FilingType::NewSite;
        o.subject.icp_number = Some(subject.into());
        o.sites[0].icp_number = site.map(str::to_string);
    })
}

#[test]
fn filing_number_grammar_and_abbreviation_block() {
    let f = check(&numbered("CN-GD", "粤ICP2020001234", None));
    assert_fires(&f, NUMBER, Block, "subject.icp_number");
    let f = check(&numbered("CN-GD", "浙ICP备2020001234号", None));
    assert_fires(&f, NUMBER, Block, "subject.icp_number");
    // The site's number belongs to another subject.
    let f = check(&numbered(
        "CN-GD",
        "粤ICP备2020001234号",
        Some("粤ICP备2020009999号-1"),
    ));
    assert_fires(&f, NUMBER, Block, "sites[0].icp_number");
    // A website with an app's suffix.
    let f = check(&numbered(
        "CN-GD",
        "粤ICP备2020001234号",
        Some("粤ICP备2020001234号-1A"),
    ));
    assert_fires(&f, NUMBER, Block, "sites[0].icp_number");
}

#[test]
fn filing_number_typo_abbreviation_warns_alone() {
    for (code, number) in [
        ("CN-SC", "川ICP备2021012345号"),
        ("CN-GZ", "贵ICP备2021012345号"),
        ("CN-YN", "云ICP备2021012345号"),
        ("CN-GS", "甘ICP备2021012345号"),
    ] {
        let f = check(&numbered(code, number, None));
        assert_fires(&f, NUMBER, Warn, "subject.icp_number");
        assert!(of(&f, NUMBER).iter().all(|x| x.severity == Warn), "{f:#?}");
    }
    // A typo naming another province's abbreviation still blocks.
    let f = check(&numbered("CN-GD", "川ICP备2021012345号", None));
    assert_fires(&f, NUMBER, Block, "subject.icp_number");
}

#[test]
fn app_number_needs_the_a_suffix() {
    let o = with(app(), |o| {
        o.filing_type = FilingType::NewSite;
        o.subject.icp_number = Some("粤ICP备2020001234号".into());
        o.sites[0].icp_number = Some("粤ICP备2020001234号-2".into());
    });
    assert_fires(&check(&o), NUMBER, Block, "sites[0].icp_number");
    let o = with(o, |o| {
        o.sites[0].icp_number = Some("粤ICP备2020001234号-2A".into())
    });
    assert_silent(&check(&o), NUMBER);
}

#[test]
fn filing_number_near_misses_are_silent() {
    for (code, subject, site) in [
        (
            "CN-GD",
            "粤ICP备2020001234号",
            Some("粤ICP备2020001234号-1"),
        ),
        ("CN-GD", "粤B2-20090059", Some("粤B2-20090059-1626")),
        ("CN-BJ", "京ICP证030173号", Some("京ICP证030173号-1")),
        ("CN-SC", "蜀ICP备2021012345号", None),
    ] {
        assert_silent(&check(&numbered(code, subject, site)), NUMBER);
    }
    // No numbers at all (a first filing).
    assert_silent(&check(&enterprise()), NUMBER);
}

// ---------------------------------------------------------------------------------------
// DOMAIN-GOV-SUFFIX

const GOV_SUFFIX: &str = "DOMAIN-GOV-SUFFIX";
const DOMAIN0: &str = "sites[0].domains[0].name";

fn public_sector(nature: Nature, domain: &str) -> Order {
    with(enterprise(), |o| {
        o.subject.nature = nature;
        o.sites[0].domains[0].name = domain.into();
    })
}

#[test]
fn public_sector_domain_with_another_suffix_warns() {
    let f = check(&public_sector(Nature::PublicInstitution, "szlib.com"));
    assert_fires(&f, GOV_SUFFIX, Warn, DOMAIN0);
    let f = check(&public_sector(Nature::Government, "szgov.cn"));
    assert_fires(&f, GOV_SUFFIX, Warn, DOMAIN0);
}

#[test]
fn public_sector_domain_suffix_near_misses_are_silent() {
    for (nature, domain) in [
        (Nature::PublicInstitution, "szlib.cn"),
        (Nature::PublicInstitution, "深圳图书馆.公益"),
        (Nature::Government, "sz.gov.cn"),
        (Nature::Government, "深圳.政务"),
        (Nature::Enterprise, "lingyun-data.com"),
    ] {
        assert_silent(&check(&public_sector(nature, domain)), GOV_SUFFIX);
    }
    // A change order files no new domain.
    let o = with(public_sector(Nature::PublicInstitution, "szlib.com"), |o| {
        o.filing_type = FilingType::ChangeFiling
    });
    assert_silent(&check(&o), GOV_SUFFIX);
}

// ---------------------------------------------------------------------------------------
// SITE-PREAPPROVAL-ENTRY

const ENTRY: &str = "SITE-PREAPPROVAL-ENTRY";

fn news_approved() -> Order {
    with(enterprise(), |o| {
        o.sites[0].content_categories = vec![ContentCategory::News];
        o.materials.push(Material {
            id: "pa1".into(),
            kind: MaterialKind::PreApproval,
            site: Some(0),
            file: "materials/preapproval.jpg".into(),
            media_type: Some("image/jpeg".into()),
            sha256: None,
        });
        o.sites[0].pre_approvals.push(PreApproval {
            category: ContentCategory::News,
            number: "粤新闻许字2026001号".into(),
            material: "pa1".into(),
        });
    })
}

#[test]
fn preapproval_entry_without_number_foreign_category_or_twice_blocks() {
    let o = with(news_approved(), |o| {
        o.sites[0].pre_approvals[0].number = "".into()
    });
    assert_fires(&check(&o), ENTRY, Block, "sites[0].pre_approvals[0].number");
    let o = with(news_approved(), |o| {
        o.sites[0].pre_approvals[0].category = ContentCategory::Medical
    });
    assert_fires(
        &check(&o),
        ENTRY,
        Block,
        "sites[0].pre_approvals[0].category",
    );
    let o = with(news_approved(), |o| {
        let again = o.sites[0].pre_approvals[0].clone();
        o.sites[0].pre_approvals.push(again);
    });
    assert_fires(
        &check(&o),
        ENTRY,
        Block,
        "sites[0].pre_approvals[1].category",
    );
}

#[test]
fn preapproval_entry_complete_is_silent() {
    assert_silent(&check(&news_approved()), ENTRY);
    assert_silent(&check(&enterprise()), ENTRY);
}

// ---------------------------------------------------------------------------------------
// ORDER-INCOMPLETE

const INCOMPLETE: &str = "ORDER-INCOMPLETE";

#[test]
fn order_missing_what_its_type_needs_blocks() {
    let o = with(enterprise(), |o| o.sites.clear());
    assert_fires(&check(&o), INCOMPLETE, Block, "sites");
    let o = with(enterprise(), |o| o.sites[0].domains.clear());
    assert_fires(&check(&o), INCOMPLETE, Block, "sites[0].domains");
    let o = with(app(), |o| o.sites[0].app = None);
    assert_fires(&check(&o), INCOMPLETE, Block, "sites[0].app");
    let o = with(enterprise(), |o| o.subject.address = " ".into());
    assert_fires(&check(&o), INCOMPLETE, Block, "subject.address");
    let o = with(enterprise(), |o| o.subject.certificate.number = "".into());
    assert_fires(&check(&o), INCOMPLETE, Block, "subject.certificate.number");
    let o = with(enterprise(), |o| {
        o.subject.leader.name = "".into();
        o.subject.leader.id_number = "".into();
    });
    assert_fires(&check(&o), INCOMPLETE, Block, "subject.leader");
}

#[test]
fn complete_orders_and_cancellations_are_silent() {
    for o in [enterprise(), individual(), app()] {
        assert_silent(&check(&o), INCOMPLETE);
    }
    // Cancelling the subject names no site.
    let o = with(enterprise(), |o| {
        o.filing_type = FilingType::CancelSubject;
        o.sites.clear();
    });
    assert_silent(&check(&o), INCOMPLETE);
    // An app carries no domain of its own as a website would.
    let o = with(app(), |o| {
        o.sites[0].domains.clear();
        assert_eq!(o.sites[0].kind, SiteKind::App);
    });
    assert_silent(&check(&o), INCOMPLETE);
}

// ---------------------------------------------------------------------------------------
// The clean samples stay clean under version 2.

#[test]
fn clean_samples_are_silent_for_every_version_2_rule() {
    let v2 = [
        "ID-LEGACY-CERTNO",
        "LEAD-PERSONAL-SELF",
        "LEAD-SUBJ-REUSE-HA",
        "CONTACT-EMAIL-REUSED",
        "CONTACT-OFFICE-PHONE",
        "SUBJ-ADDR-IN-REGION",
        "SUBJ-ADDR-SAME-CITY",
        "FILING-NUMBER-FORMAT",
        "DOMAIN-GOV-SUFFIX",
        "SITE-PREAPPROVAL-ENTRY",
        "ORDER-INCOMPLETE",
    ];
    for o in [enterprise(), individual(), app()] {
        let f = check_bytes(&o);
        for rule in v2 {
            assert_silent(&f, rule);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The clarified per-province rules, province by province (expectations written from the
// matrix of domain-research.md §1.10, not read from the data).

const ALL_PROVINCES: [&str; 31] = [
    "BJ", "TJ", "HE", "SX", "NM", "LN", "JL", "HL", "SH", "JS", "ZJ", "AH", "FJ", "JX", "SD", "HA",
    "HB", "HN", "GD", "GX", "HI", "CQ", "SC", "GZ", "YN", "XZ", "SN", "GS", "QH", "NX", "XJ",
];

/// `None`: silent; otherwise the severity of every finding of `rule`.
fn severity_of(
    f: &[icp_review::rules::Finding],
    rule: &str,
) -> Option<icp_review::rules::Severity> {
    let hits = of(f, rule);
    let first = hits.first()?.severity;
    assert!(hits.iter().all(|x| x.severity == first), "{hits:#?}");
    Some(first)
}

#[test]
fn age_of_17_in_every_province_for_both_kinds() {
    for code in ALL_PROVINCES {
        let province = format!("CN-{code}");
        // Individuals: Jiangsu asks proof at 16–17, Guangdong did (old), Shandong's 17 is
        // uncertain: a warning; every other province refuses under 18.
        let individual = match code {
            "JS" | "GD" | "SD" => Warn,
            _ => Block,
        };
        let f = check(&individual_born(&province, "320102", AGED_17));
        assert_eq!(
            severity_of(&f, AGE),
            Some(individual),
            "{province} individual"
        );
        // Organisations' leaders: only Guangdong accepts 16.
        let leader = match code {
            "GD" => None,
            _ => Some(Block),
        };
        let f = check(&enterprise_site_leader_born(&province, "320102", AGED_17));
        assert_eq!(severity_of(&f, AGE), leader, "{province} leader");
        // Near miss everywhere: 18.
        let f = check(&individual_born(&province, "320102", AGED_18));
        assert_silent(&f, AGE);
    }
}

#[test]
fn domain_held_by_the_legal_representative_in_every_province() {
    for code in ALL_PROVINCES {
        let province = format!("CN-{code}");
        let expected = match code {
            // Accepted, current.
            "FJ" | "GD" | "HI" | "QH" => None,
            // Accepted in old sources only.
            "JL" | "HL" | "SH" | "JS" | "AH" | "GX" | "CQ" | "SC" | "GZ" | "GS" => Some(Warn),
            // Refused, or no data.
            _ => Some(Block),
        };
        let f = check(&held_by_legal_rep(&province));
        assert_eq!(severity_of(&f, HOLDER_RULE), expected, "{province}");
        // Near miss everywhere: the company holds it.
        assert_silent(&check(&in_province(enterprise(), &province)), HOLDER_RULE);
    }
}

#[test]
fn email_reuse_in_every_province() {
    for code in ALL_PROVINCES {
        let province = format!("CN-{code}");
        let expected = if code == "HE" { Block } else { Warn };
        let o = in_province(enterprise(), &province);
        let f = check_with(&o, &[], &[other_subject_with_our_email()]);
        assert_eq!(severity_of(&f, EMAIL_REUSED), Some(expected), "{province}");
        assert_silent(&check_with(&o, &[], &[other_subject()]), EMAIL_REUSED);
    }
}

#[test]
fn office_phone_in_every_province() {
    for code in ALL_PROVINCES {
        let province = format!("CN-{code}");
        // The leader's own mobile as office phone, then another mobile.
        let (own, other) = match code {
            "JS" => (Some(Block), Some(Block)),
            "LN" | "JL" | "BJ" => (Some(Block), None),
            "GS" | "CQ" | "TJ" => (Some(Warn), Some(Warn)),
            _ => (None, None),
        };
        let f = check(&office(&province, "13826541298"));
        assert_eq!(severity_of(&f, OFFICE), own, "{province} own mobile");
        let f = check(&office(&province, "13926541377"));
        assert_eq!(severity_of(&f, OFFICE), other, "{province} other mobile");
        // A landline passes everywhere.
        assert_silent(&check(&office(&province, "0755-8888 6666")), OFFICE);
    }
}

#[test]
fn addresses_in_two_cities_in_every_province() {
    use icp_review::rules::divisions::Level;
    for code in ALL_PROVINCES {
        let province = format!("CN-{code}");
        let gb = data().province(&province).unwrap().gb;
        let cities: Vec<&str> = data()
            .divisions
            .iter()
            .filter(|d| d.level == Level::Prefecture && d.province_gb() == gb)
            .map(|d| d.name.as_str())
            .take(2)
            .collect();
        if cities.len() < 2 {
            // Municipalities have no prefectures.
            assert!(matches!(code, "BJ" | "TJ" | "SH" | "CQ"), "{province}");
            continue;
        }
        let o = two_addresses(
            &province,
            &format!("{}中心路1号", cities[0]),
            &format!("{}中心路2号", cities[1]),
        );
        let f = check(&o);
        let expected = matches!(code, "HE" | "HA" | "GZ").then_some(Block);
        assert_eq!(severity_of(&f, SAME_CITY), expected, "{province}");
        assert_silent(&f, IN_REGION);
        let o = two_addresses(
            &province,
            &format!("{}中心路1号", cities[0]),
            &format!("{}中心路2号", cities[0]),
        );
        assert_silent(&check(&o), SAME_CITY);
    }
}
