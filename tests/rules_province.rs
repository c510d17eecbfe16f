//! Province rules (rules.md "Province rules", data in assets/rules/provinces.toml): for every
//! rule, an order made for it where the rule fires (id, severity, path) and a near miss where
//! it stays silent, each built from a clean sample by changing as little as possible. Facts
//! the research marks old or uncertain warn, current ones block.

mod common;
use common::*;

use icp_review::domain::{Domain, FilingType, Material, MaterialKind, Order};
use icp_review::rules::Severity::{Block, Warn};

const LEADER_LEGALREP: &str = "PROV-LEADER-LEGALREP";
const NONLEGAL_SAME: &str = "PROV-NONLEGAL-SAME-LEADER";
const HOLDER_LEGALREP: &str = "PROV-DOMAIN-HOLDER-LEGALREP";
const DOMAIN_CAP: &str = "PROV-DOMAIN-CAP";
const LN_FINANCE: &str = "PROV-LN-FINANCE-LEGALREP";
const LOCAL_MOBILE: &str = "PROV-LOCAL-MOBILE";
const HI_SEAL: &str = "PROV-HI-SEAL";
const ONE_DOMAIN: &str = "PROV-ONE-DOMAIN";
const ORG_TLD: &str = "PROV-ORG-TLD";

const ALL: [&str; 9] = [
    LEADER_LEGALREP,
    NONLEGAL_SAME,
    HOLDER_LEGALREP,
    DOMAIN_CAP,
    LN_FINANCE,
    LOCAL_MOBILE,
    HI_SEAL,
    ONE_DOMAIN,
    ORG_TLD,
];

const SUBJECT_LR: &str = "subject.leader.is_legal_representative";

// ---------------------------------------------------------------------------------------
// helpers

fn in_province(mut o: Order, code: &str) -> Order {
    o.subject.region.province = code.to_string();
    o
}

/// The enterprise sample in a province, its subject leader not the legal representative and
/// with no authorisation letter at all.
fn enterprise_nonlegal(code: &str) -> Order {
    let mut o = in_province(enterprise(), code);
    o.subject.leader.is_legal_representative = false;
    o.materials
        .retain(|m| m.kind != MaterialKind::AuthorizationLetter);
    o
}

/// An authorisation letter for the subject leader (bound to no site).
fn subject_letter() -> Material {
    Material {
        id: "m9".to_string(),
        kind: MaterialKind::AuthorizationLetter,
        site: None,
        file: "materials/auth-letter.jpg".to_string(),
        media_type: None,
        sha256: None,
    }
}

/// The subject leader leads the site too.
fn same_leader(mut o: Order) -> Order {
    o.sites[0].leader = o.subject.leader.clone();
    o
}

/// Give site `i` this many domains in all (`<label>-<n>.cn`, held like the first one).
fn with_domains(mut o: Order, i: usize, n: usize) -> Order {
    let first = o.sites[i].domains[0].clone();
    o.sites[i].domains = (0..n)
        .map(|k| Domain {
            name: if k == 0 {
                first.name.clone()
            } else {
                format!("site{i}-extra{k}.cn")
            },
            ..first.clone()
        })
        .collect();
    o
}

/// Add `n` more sites, each a copy of site 0 with its own name and domain.
fn with_more_sites(mut o: Order, n: usize) -> Order {
    for k in 1..=n {
        let mut s = o.sites[0].clone();
        s.name = format!("{}{k}号", s.name);
        s.domains[0].name = format!("more-site-{k}.cn");
        o.sites.push(s);
    }
    o
}

/// Set the mobiles of the subject leader and of site 0's leader.
fn mobiles(mut o: Order, subject: &str, site: &str) -> Order {
    o.subject.leader.mobile = subject.to_string();
    o.sites[0].leader.mobile = site.to_string();
    o
}

fn set_domain(mut o: Order, name: &str) -> Order {
    o.sites[0].domains[0].name = name.to_string();
    o
}

// ---------------------------------------------------------------------------------------
// clean bases

#[test]
fn clean_samples_are_silent_for_every_province_rule() {
    for o in [enterprise(), individual(), app()] {
        let f = check(&o);
        for rule in ALL {
            assert_silent(&f, rule);
        }
    }
}

// ---------------------------------------------------------------------------------------
// PROV-LEADER-LEGALREP

#[test]
fn leader_legalrep_must_province_blocks() {
    let o = sample("chongqing-subject-leader-not-legal.json");
    assert_fires(&check(&o), LEADER_LEGALREP, Block, SUBJECT_LR);
    // A letter does not help where the legal representative must lead.
    let mut o = enterprise_nonlegal("CN-CQ");
    o.materials.push(subject_letter());
    assert_fires(&check(&o), LEADER_LEGALREP, Block, SUBJECT_LR);
}

#[test]
fn leader_legalrep_must_province_silent_for_the_legal_rep_an_individual_or_a_cancellation() {
    // The same Chongqing order with the legal representative as subject leader.
    let mut o = sample("chongqing-subject-leader-not-legal.json");
    o.subject.leader.is_legal_representative = true;
    assert_silent(&check(&o), LEADER_LEGALREP);
    // An individual has no legal representative.
    let mut o = in_province(individual(), "CN-CQ");
    o.subject.leader.is_legal_representative = false;
    assert_silent(&check(&o), LEADER_LEGALREP);
    // Cancelling re-validates nothing.
    let mut o = sample("chongqing-subject-leader-not-legal.json");
    o.filing_type = FilingType::CancelSite;
    assert_silent(&check(&o), LEADER_LEGALREP);
}

#[test]
fn leader_legalrep_letter_province_without_a_letter_blocks() {
    for code in ["CN-SC", "CN-LN", "CN-JL", "CN-AH", "CN-GS"] {
        let o = enterprise_nonlegal(code);
        assert_fires(&check(&o), LEADER_LEGALREP, Block, SUBJECT_LR);
    }
}

#[test]
fn leader_legalrep_letter_for_a_site_leader_is_not_the_subject_leaders_letter() {
    // The sample's letter m8 is bound to site 0: it authorises the site leader.
    let mut o = in_province(enterprise(), "CN-SC");
    o.subject.leader.is_legal_representative = false;
    assert!(
        o.materials
            .iter()
            .any(|m| m.kind == MaterialKind::AuthorizationLetter && m.site == Some(0))
    );
    assert_fires(&check(&o), LEADER_LEGALREP, Block, SUBJECT_LR);
}

#[test]
fn leader_legalrep_letter_province_with_the_subject_letter_is_silent() {
    let mut o = enterprise_nonlegal("CN-SC");
    o.materials.push(subject_letter());
    assert_silent(&check(&o), LEADER_LEGALREP);
    // A letter bound to a site whose leader is the subject leader authorises that person too.
    let mut o = same_leader(enterprise_nonlegal("CN-AH"));
    o.materials.push(Material {
        site: Some(0),
        ..subject_letter()
    });
    assert_silent(&check(&o), LEADER_LEGALREP);
}

#[test]
fn leader_legalrep_optional_province_is_silent() {
    let o = enterprise_nonlegal("CN-JS");
    assert_silent(&check(&o), LEADER_LEGALREP);
}

#[test]
fn leader_legalrep_uncertain_provinces_only_warn() {
    // Beijing: MUST in one source, optional in another.
    let f = check(&enterprise_nonlegal("CN-BJ"));
    assert_fires(&f, LEADER_LEGALREP, Warn, SUBJECT_LR);
    assert!(
        of(&f, LEADER_LEGALREP).iter().all(|x| x.severity == Warn),
        "{f:#?}"
    );
    // Hainan: LETTER in one source, optional in another.
    let f = check(&enterprise_nonlegal("CN-HI"));
    assert_fires(&f, LEADER_LEGALREP, Warn, SUBJECT_LR);
    assert!(
        of(&f, LEADER_LEGALREP).iter().all(|x| x.severity == Warn),
        "{f:#?}"
    );
    let mut o = enterprise_nonlegal("CN-HI");
    o.materials.push(subject_letter());
    assert_silent(&check(&o), LEADER_LEGALREP);
}

// ---------------------------------------------------------------------------------------
// PROV-NONLEGAL-SAME-LEADER

#[test]
fn nonlegal_same_leader_other_site_leader_blocks_in_jiangsu_and_anhui() {
    for code in ["CN-JS", "CN-AH"] {
        let o = enterprise_nonlegal(code);
        assert_fires(&check(&o), NONLEGAL_SAME, Block, "sites[0].leader");
    }
}

#[test]
fn nonlegal_same_leader_old_in_hainan_warns() {
    let f = check(&enterprise_nonlegal("CN-HI"));
    assert_fires(&f, NONLEGAL_SAME, Warn, "sites[0].leader");
    assert!(
        of(&f, NONLEGAL_SAME).iter().all(|x| x.severity == Warn),
        "{f:#?}"
    );
}

#[test]
fn nonlegal_same_leader_silent_for_the_same_person_a_legal_rep_or_another_province() {
    // The subject leader leads the site.
    let o = same_leader(enterprise_nonlegal("CN-JS"));
    assert_silent(&check(&o), NONLEGAL_SAME);
    // The same person with the id written in lower case and padded is still the same person.
    let mut o = same_leader(enterprise_nonlegal("CN-AH"));
    o.sites[0].leader.id_number = format!(" {} ", o.sites[0].leader.id_number.to_lowercase());
    assert_silent(&check(&o), NONLEGAL_SAME);
    // The subject leader is the legal representative (clean sample in Jiangsu).
    assert_silent(&check(&in_province(enterprise(), "CN-JS")), NONLEGAL_SAME);
    // Zhejiang has no such rule.
    assert_silent(&check(&enterprise_nonlegal("CN-ZJ")), NONLEGAL_SAME);
}

// ---------------------------------------------------------------------------------------
// PROV-DOMAIN-HOLDER-LEGALREP

/// The enterprise sample in a province with its domain held by the legal representative
/// (the subject leader, 王海涛) instead of the company.
fn held_by_legal_rep(code: &str) -> Order {
    let mut o = in_province(enterprise(), code);
    o.sites[0].domains[0].holder = o.subject.leader.name.clone();
    o
}

const HOLDER: &str = "sites[0].domains[0].holder";

#[test]
fn holder_legalrep_refused_where_current_blocks() {
    for code in ["CN-NX", "CN-SX", "CN-XZ"] {
        assert_fires(
            &check(&held_by_legal_rep(code)),
            HOLDER_LEGALREP,
            Block,
            HOLDER,
        );
    }
}

#[test]
fn holder_legalrep_refused_where_old_warns_beside_a_holder_block() {
    // Henan refuses it in old sources only: the province rule warns, and the holder rule
    // blocks beside it (rules.md v2: one rule never silences another).
    let f = check(&held_by_legal_rep("CN-HA"));
    assert_fires(&f, HOLDER_LEGALREP, Warn, HOLDER);
    assert!(
        of(&f, HOLDER_LEGALREP).iter().all(|x| x.severity == Warn),
        "{f:#?}"
    );
    assert_fires(&f, "DOMAIN-HOLDER-MISMATCH", Block, HOLDER);
}

#[test]
fn holder_legalrep_without_province_data_is_a_holder_block_only() {
    // Zhejiang has no information (v2 clarification): the holder rule blocks, the
    // province rule, which speaks for provinces in the data, stays silent.
    let f = check(&held_by_legal_rep("CN-ZJ"));
    assert_silent(&f, HOLDER_LEGALREP);
    assert_fires(&f, "DOMAIN-HOLDER-MISMATCH", Block, HOLDER);
}

#[test]
fn holder_legalrep_silent_where_accepted_or_held_by_the_company_or_a_stranger() {
    // Guangdong and Qinghai accept the legal representative.
    for code in ["CN-GD", "CN-QH"] {
        assert_silent(&check(&held_by_legal_rep(code)), HOLDER_LEGALREP);
    }
    // Held by the company in Ningxia.
    assert_silent(&check(&in_province(enterprise(), "CN-NX")), HOLDER_LEGALREP);
    // Held by the subject leader who is not the legal representative: a plain holder mismatch.
    let mut o = held_by_legal_rep("CN-NX");
    o.subject.leader.is_legal_representative = false;
    let f = check(&o);
    assert_silent(&f, HOLDER_LEGALREP);
    assert_fires(&f, "DOMAIN-HOLDER-MISMATCH", Block, HOLDER);
}

// ---------------------------------------------------------------------------------------
// PROV-DOMAIN-CAP

#[test]
fn domain_cap_two_sites_in_hubei_or_hunan_blocks() {
    for code in ["CN-HB", "CN-HN"] {
        let o = with_more_sites(in_province(enterprise(), code), 1);
        assert_fires(&check(&o), DOMAIN_CAP, Block, "sites");
    }
}

#[test]
fn domain_cap_one_site_in_hubei_or_two_sites_elsewhere_or_in_a_change_is_silent() {
    assert_silent(&check(&in_province(enterprise(), "CN-HB")), DOMAIN_CAP);
    assert_silent(
        &check(&with_more_sites(in_province(enterprise(), "CN-ZJ"), 1)),
        DOMAIN_CAP,
    );
    let mut o = with_more_sites(in_province(enterprise(), "CN-HB"), 1);
    o.filing_type = FilingType::ChangeFiling;
    assert_silent(&check(&o), DOMAIN_CAP);
}

#[test]
fn domain_cap_shanxi_four_domains_blocks_three_is_silent() {
    let o = with_domains(in_province(enterprise(), "CN-SX"), 0, 4);
    assert_fires(&check(&o), DOMAIN_CAP, Block, "sites");
    let o = with_domains(in_province(enterprise(), "CN-SX"), 0, 3);
    assert_silent(&check(&o), DOMAIN_CAP);
    // Counted over the whole order: 2 + 2 domains on two sites.
    let o = with_domains(
        with_domains(with_more_sites(in_province(enterprise(), "CN-SX"), 1), 0, 2),
        1,
        2,
    );
    assert_fires(&check(&o), DOMAIN_CAP, Block, "sites");
}

#[test]
fn domain_cap_henan_organisations_six_domains_block_five_or_individuals_silent() {
    let o = with_domains(in_province(enterprise(), "CN-HA"), 0, 6);
    assert_fires(&check(&o), DOMAIN_CAP, Block, "sites");
    let o = with_domains(in_province(enterprise(), "CN-HA"), 0, 5);
    assert_silent(&check(&o), DOMAIN_CAP);
    let o = with_domains(in_province(individual(), "CN-HA"), 0, 6);
    assert_silent(&check(&o), DOMAIN_CAP);
}

#[test]
fn domain_cap_hainan_individual_first_filing_two_domains_blocks() {
    let o = with_domains(in_province(individual(), "CN-HI"), 0, 2);
    assert_fires(&check(&o), DOMAIN_CAP, Block, "sites");
}

#[test]
fn domain_cap_hainan_one_domain_or_new_site_or_organisation_is_silent() {
    assert_silent(&check(&in_province(individual(), "CN-HI")), DOMAIN_CAP);
    let mut o = with_domains(in_province(individual(), "CN-HI"), 0, 2);
    o.filing_type = FilingType::NewSite;
    assert_silent(&check(&o), DOMAIN_CAP);
    let o = with_domains(in_province(enterprise(), "CN-HI"), 0, 2);
    assert_silent(&check(&o), DOMAIN_CAP);
}

// ---------------------------------------------------------------------------------------
// PROV-LN-FINANCE-LEGALREP

/// The enterprise sample in Liaoning with a finance-type name.
fn liaoning_finance(name: &str) -> Order {
    let mut o = in_province(enterprise(), "CN-LN");
    o.subject.name = name.to_string();
    for s in &mut o.sites {
        for d in &mut s.domains {
            d.holder = name.to_string();
        }
    }
    o
}

#[test]
fn ln_finance_site_leader_not_legal_rep_blocks() {
    let o = liaoning_finance("大连凌云投资管理有限公司");
    assert_fires(
        &check(&o),
        LN_FINANCE,
        Block,
        "sites[0].leader.is_legal_representative",
    );
    for word in ["担保", "典当", "贷款", "理财"] {
        let o = liaoning_finance(&format!("大连凌云{word}有限公司"));
        assert_fires(
            &check(&o),
            LN_FINANCE,
            Block,
            "sites[0].leader.is_legal_representative",
        );
    }
}

#[test]
fn ln_finance_subject_leader_not_legal_rep_blocks() {
    let mut o = same_leader(liaoning_finance("大连凌云投资管理有限公司"));
    o.subject.leader.is_legal_representative = false;
    o.sites[0].leader.is_legal_representative = false;
    let f = check(&o);
    assert_fires(&f, LN_FINANCE, Block, SUBJECT_LR);
    assert_fires(
        &f,
        LN_FINANCE,
        Block,
        "sites[0].leader.is_legal_representative",
    );
}

#[test]
fn ln_finance_silent_for_legal_rep_leaders_other_names_or_other_provinces() {
    // The legal representative leads subject and site.
    let o = same_leader(liaoning_finance("大连凌云投资管理有限公司"));
    assert_silent(&check(&o), LN_FINANCE);
    // "投资" alone is not one of the words.
    let o = liaoning_finance("大连凌云投资有限公司");
    assert_silent(&check(&o), LN_FINANCE);
    // The sample's own name in Liaoning.
    assert_silent(&check(&in_province(enterprise(), "CN-LN")), LN_FINANCE);
    // The same finance name in Jilin.
    let mut o = liaoning_finance("大连凌云投资管理有限公司");
    o.subject.region.province = "CN-JL".to_string();
    assert_silent(&check(&o), LN_FINANCE);
    // Cancelling the site re-validates nothing.
    let mut o = liaoning_finance("大连凌云投资管理有限公司");
    o.filing_type = FilingType::CancelSite;
    assert_silent(&check(&o), LN_FINANCE);
}

// ---------------------------------------------------------------------------------------
// PROV-LOCAL-MOBILE

// 139 0411 xxxx: Dalian, Liaoning. 138 2654 xxxx / 137 1345 xxxx: Shenzhen, Guangdong (the
// enterprise sample's numbers). 137 3111 xxxx: Shijiazhuang, Hebei. 138 0731 xxxx: Changsha,
// Hunan. 138 5712 xxxx: Hangzhou, Zhejiang (the individual sample's). 138 0101 xxxx: Beijing.

#[test]
fn local_mobile_liaoning_blocks_for_every_leader() {
    let o = in_province(enterprise(), "CN-LN");
    let f = check(&o);
    assert_fires(&f, LOCAL_MOBILE, Block, "subject.leader.mobile");
    assert_fires(&f, LOCAL_MOBILE, Block, "sites[0].leader.mobile");
    // Only the subject leader's number from elsewhere.
    let o = mobiles(
        in_province(enterprise(), "CN-LN"),
        "13826541298",
        "13904110001",
    );
    let f = check(&o);
    assert_fires(&f, LOCAL_MOBILE, Block, "subject.leader.mobile");
    assert!(
        of(&f, LOCAL_MOBILE)
            .iter()
            .all(|x| x.path == "subject.leader.mobile"),
        "{f:#?}"
    );
}

#[test]
fn local_mobile_liaoning_numbers_are_silent() {
    let o = mobiles(
        in_province(enterprise(), "CN-LN"),
        "13904111234",
        "+86 139-0411-0001",
    );
    assert_silent(&check(&o), LOCAL_MOBILE);
}

#[test]
fn local_mobile_hebei_blocks_for_site_leaders_only() {
    let o = in_province(enterprise(), "CN-HE");
    let f = check(&o);
    assert_fires(&f, LOCAL_MOBILE, Block, "sites[0].leader.mobile");
    assert!(
        of(&f, LOCAL_MOBILE)
            .iter()
            .all(|x| x.path == "sites[0].leader.mobile"),
        "{f:#?}"
    );
    // A Hebei site leader: silent, though the subject leader's number is from Guangdong.
    let o = mobiles(
        in_province(enterprise(), "CN-HE"),
        "13826541298",
        "13731112345",
    );
    assert_silent(&check(&o), LOCAL_MOBILE);
}

#[test]
fn local_mobile_hunan_blocks_for_individuals_only() {
    let o = in_province(individual(), "CN-HN");
    let f = check(&o);
    assert_fires(&f, LOCAL_MOBILE, Block, "subject.leader.mobile");
    assert_fires(&f, LOCAL_MOBILE, Block, "sites[0].leader.mobile");
    // The same individual with a Hunan number.
    let o = mobiles(
        in_province(individual(), "CN-HN"),
        "13807311234",
        "13807311234",
    );
    assert_silent(&check(&o), LOCAL_MOBILE);
    // An enterprise in Hunan with Guangdong numbers.
    assert_silent(&check(&in_province(enterprise(), "CN-HN")), LOCAL_MOBILE);
}

#[test]
fn local_mobile_old_list_province_only_warns() {
    // Beijing and Ningxia are only on the old (about 2017) list.
    for code in ["CN-BJ", "CN-NX"] {
        let f = check(&in_province(enterprise(), code));
        assert_fires(&f, LOCAL_MOBILE, Warn, "subject.leader.mobile");
        assert!(
            of(&f, LOCAL_MOBILE).iter().all(|x| x.severity == Warn),
            "{f:#?}"
        );
    }
    let o = mobiles(
        in_province(enterprise(), "CN-BJ"),
        "13801011234",
        "13910001234",
    );
    assert_silent(&check(&o), LOCAL_MOBILE);
}

#[test]
fn local_mobile_silent_where_the_province_has_no_such_rule() {
    // Zhejiang (the individual's province) with a Guangdong number.
    let o = mobiles(individual(), "13826541298", "13826541298");
    assert_silent(&check(&o), LOCAL_MOBILE);
    // Qinghai and Chongqing state that any number will do.
    for code in ["CN-QH", "CN-CQ"] {
        assert_silent(&check(&in_province(enterprise(), code)), LOCAL_MOBILE);
    }
}

#[test]
fn local_mobile_silent_for_a_cancellation() {
    for ft in [
        FilingType::CancelSite,
        FilingType::CancelAccess,
        FilingType::CancelSubject,
    ] {
        let mut o = in_province(enterprise(), "CN-LN");
        o.filing_type = ft;
        assert_silent(&check(&o), LOCAL_MOBILE);
    }
}

// ---------------------------------------------------------------------------------------
// PROV-HI-SEAL

#[test]
fn hainan_seal_warns_for_a_business_licence() {
    let f = check(&in_province(enterprise(), "CN-HI"));
    assert_fires(&f, HI_SEAL, Warn, "subject.certificate");
    assert!(of(&f, HI_SEAL).iter().all(|x| x.severity == Warn), "{f:#?}");
}

#[test]
fn hainan_seal_silent_elsewhere_or_for_an_individual() {
    assert_silent(&check(&in_province(enterprise(), "CN-GD")), HI_SEAL);
    assert_silent(&check(&in_province(individual(), "CN-HI")), HI_SEAL);
    // A cancellation uploads no licence to look at.
    let mut o = in_province(enterprise(), "CN-HI");
    o.filing_type = FilingType::CancelSubject;
    assert_silent(&check(&o), HI_SEAL);
}

// ---------------------------------------------------------------------------------------
// PROV-ONE-DOMAIN

#[test]
fn one_domain_xinjiang_two_domains_on_a_site_blocks() {
    let o = with_domains(in_province(enterprise(), "CN-XJ"), 0, 2);
    assert_fires(&check(&o), ONE_DOMAIN, Block, "sites[0].domains");
}

#[test]
fn one_domain_sichuan_old_rule_warns() {
    let f = check(&with_domains(in_province(enterprise(), "CN-SC"), 0, 2));
    assert_fires(&f, ONE_DOMAIN, Warn, "sites[0].domains");
    assert!(
        of(&f, ONE_DOMAIN).iter().all(|x| x.severity == Warn),
        "{f:#?}"
    );
}

#[test]
fn one_domain_silent_for_one_domain_per_site_other_provinces_or_a_cancellation() {
    assert_silent(&check(&in_province(enterprise(), "CN-XJ")), ONE_DOMAIN);
    // Two sites with one domain each.
    assert_silent(
        &check(&with_more_sites(in_province(enterprise(), "CN-XJ"), 1)),
        ONE_DOMAIN,
    );
    assert_silent(
        &check(&with_domains(in_province(enterprise(), "CN-GD"), 0, 2)),
        ONE_DOMAIN,
    );
    let mut o = with_domains(in_province(enterprise(), "CN-XJ"), 0, 2);
    o.filing_type = FilingType::CancelSite;
    assert_silent(&check(&o), ONE_DOMAIN);
}

// ---------------------------------------------------------------------------------------
// PROV-ORG-TLD

const DOMAIN_NAME: &str = "sites[0].domains[0].name";

#[test]
fn org_tld_beijing_blocks() {
    let o = set_domain(in_province(enterprise(), "CN-BJ"), "lingyun-data.org");
    assert_fires(&check(&o), ORG_TLD, Block, DOMAIN_NAME);
}

#[test]
fn org_tld_old_or_uncertain_provinces_warn() {
    // Chongqing (old): individuals only.
    let f = check(&set_domain(
        in_province(individual(), "CN-CQ"),
        "xiaomin-photo.org",
    ));
    assert_fires(&f, ORG_TLD, Warn, DOMAIN_NAME);
    // Ningxia (uncertain): everyone.
    let f2 = check(&set_domain(
        in_province(enterprise(), "CN-NX"),
        "lingyun-data.org",
    ));
    assert_fires(&f2, ORG_TLD, Warn, DOMAIN_NAME);
    for f in [f, f2] {
        assert!(of(&f, ORG_TLD).iter().all(|x| x.severity == Warn), "{f:#?}");
    }
}

#[test]
fn org_tld_silent_for_other_tlds_other_provinces_or_out_of_scope_subjects() {
    // .cn in Beijing.
    assert_silent(&check(&in_province(enterprise(), "CN-BJ")), ORG_TLD);
    // A name merely containing "org" in Beijing.
    assert_silent(
        &check(&set_domain(
            in_province(enterprise(), "CN-BJ"),
            "lingyun-org.cn",
        )),
        ORG_TLD,
    );
    // .org in Guangdong.
    assert_silent(
        &check(&set_domain(enterprise(), "lingyun-data.org")),
        ORG_TLD,
    );
    // .org for an enterprise in Chongqing (the rule there is for individuals).
    assert_silent(
        &check(&set_domain(
            in_province(enterprise(), "CN-CQ"),
            "lingyun-data.org",
        )),
        ORG_TLD,
    );
}
