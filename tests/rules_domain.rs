//! Domain rules (rules.md § Domains): each rule fires on an order made for it and stays
//! silent on the nearest order where its condition does not hold.

mod common;
use common::*;

use icp_review::domain::{Domain, Nature, Order, SiteKind};
use icp_review::rules::Severity;

const NAME: &str = "sites[0].domains[0].name";
const HOLDER: &str = "sites[0].domains[0].holder";
const EXPIRES: &str = "sites[0].domains[0].expires_on";

/// The clean enterprise sample with its only domain renamed.
fn ent_domain(name: &str) -> Order {
    let mut o = enterprise();
    o.sites[0].domains[0].name = name.to_string();
    o
}

/// The clean app sample with its only domain renamed.
fn app_domain(name: &str) -> Order {
    let mut o = app();
    o.sites[0].domains[0].name = name.to_string();
    o
}

fn with_expiry(mut o: Order, date: &str) -> Order {
    o.sites[0].domains[0].expires_on = date.parse().unwrap();
    o
}

/// A second domain on the first site, same holder and expiry as the first.
fn add_domain(o: &mut Order, name: &str) {
    let first = o.sites[0].domains[0].clone();
    o.sites[0].domains.push(Domain {
        name: name.to_string(),
        ..first
    });
}

#[test]
fn clean_samples_are_silent_for_every_domain_rule() {
    for o in [enterprise(), individual(), app()] {
        let f = check(&o);
        for rule in [
            "DOMAIN-WWW",
            "DOMAIN-FORMAT",
            "DOMAIN-DUPLICATE",
            "DOMAIN-HOLDER-MISMATCH",
            "DOMAIN-EXPIRES-SOON",
            "DOMAIN-GOV-NO-FILING",
            "DOMAIN-TLD-NOT-APPROVED",
        ] {
            assert_silent(&f, rule);
        }
    }
}

// ---------------------------------------------------------------- DOMAIN-WWW

#[test]
fn www_prefix_fires() {
    let f = check(&ent_domain("www.lingyun-data.cn"));
    assert_fires(&f, "DOMAIN-WWW", Severity::Block, NAME);
    // The name below www. is a fine registrable domain: only the prefix is the problem.
    assert_silent(&f, "DOMAIN-FORMAT");
}

#[test]
fn www_prefix_fires_in_upper_case() {
    let f = check(&ent_domain("WWW.lingyun-data.cn"));
    assert_fires(&f, "DOMAIN-WWW", Severity::Block, NAME);
}

#[test]
fn www_without_dot_is_a_plain_label() {
    let f = check(&ent_domain("wwwlingyun-data.cn"));
    assert_silent(&f, "DOMAIN-WWW");
    assert_silent(&f, "DOMAIN-FORMAT");
}

// ---------------------------------------------------------------- DOMAIN-FORMAT

#[test]
fn format_fires_on_scheme_path_port_and_bad_labels() {
    for bad in [
        "https://lingyun-data.cn",
        "lingyun-data.cn/index.html",
        "lingyun-data.cn:8080",
        "lingyun_data.cn",
        "-lingyun-data.cn",
        "lingyun-data-.cn",
        "lingyun data.cn",
        "lingyun-data.cn.",
        "lingyun..cn",
        "lingyundata",
        "",
    ] {
        let f = check(&ent_domain(bad));
        assert_fires(&f, "DOMAIN-FORMAT", Severity::Block, NAME);
    }
}

#[test]
fn format_fires_on_a_label_longer_than_63() {
    let long = format!("{}.cn", "a".repeat(64));
    assert_fires(
        &check(&ent_domain(&long)),
        "DOMAIN-FORMAT",
        Severity::Block,
        NAME,
    );
    let max = format!("{}.cn", "a".repeat(63));
    assert_silent(&check(&ent_domain(&max)), "DOMAIN-FORMAT");
}

#[test]
fn format_fires_on_an_ip_address_or_a_numeric_tld() {
    for bad in ["121.36.48.17", "lingyun-data.123"] {
        let f = check(&ent_domain(bad));
        assert_fires(&f, "DOMAIN-FORMAT", Severity::Block, NAME);
    }
    // Digits are fine in the labels below the TLD.
    assert_silent(&check(&ent_domain("123.cn")), "DOMAIN-FORMAT");
}

#[test]
fn format_fires_on_a_website_sub_domain() {
    let f = check(&ent_domain("blog.lingyun-data.cn"));
    assert_fires(&f, "DOMAIN-FORMAT", Severity::Block, NAME);
}

#[test]
fn format_accepts_a_registrable_name_under_a_two_label_suffix() {
    // com.cn is a public suffix: lingyun-data.com.cn is the registrable domain itself.
    let f = check(&ent_domain("lingyun-data.com.cn"));
    assert_silent(&f, "DOMAIN-FORMAT");
}

#[test]
fn format_fires_on_a_bare_public_suffix() {
    let f = check(&ent_domain("com.cn"));
    assert_fires(&f, "DOMAIN-FORMAT", Severity::Block, NAME);
}

#[test]
fn format_accepts_an_idn_in_unicode_and_in_punycode() {
    for ok in ["例子.中国", "xn--fsqu00a.xn--fiqs8s", "凌云数据.cn"] {
        let f = check(&ent_domain(ok));
        assert_silent(&f, "DOMAIN-FORMAT");
        assert_silent(&f, "DOMAIN-TLD-NOT-APPROVED");
    }
}

#[test]
fn format_fires_on_a_broken_idn() {
    for bad in ["例 子.中国", "例子..中国", "例子。.中国", "xn--zz.cn"] {
        let f = check(&ent_domain(bad));
        assert_fires(&f, "DOMAIN-FORMAT", Severity::Block, NAME);
    }
}

#[test]
fn app_may_list_up_to_two_levels_below_the_registrable_domain() {
    for ok in ["api.lingyun-data.cn", "a.api.lingyun-data.cn"] {
        assert_silent(&check(&app_domain(ok)), "DOMAIN-FORMAT");
    }
    let f = check(&app_domain("b.a.api.lingyun-data.cn"));
    assert_fires(&f, "DOMAIN-FORMAT", Severity::Block, NAME);
}

// ---------------------------------------------------------------- DOMAIN-DUPLICATE

#[test]
fn duplicate_in_one_site_fires_on_the_second() {
    let mut o = enterprise();
    add_domain(&mut o, "lingyun-data.cn");
    let f = check(&o);
    assert_fires(
        &f,
        "DOMAIN-DUPLICATE",
        Severity::Block,
        "sites[0].domains[1].name",
    );
    assert!(
        of(&f, "DOMAIN-DUPLICATE").iter().all(|x| x.path != NAME),
        "the first entry is not the duplicate"
    );
}

#[test]
fn duplicate_ignores_case_and_idn_spelling() {
    let mut o = enterprise();
    add_domain(&mut o, "LingYun-Data.CN");
    assert_fires(
        &check(&o),
        "DOMAIN-DUPLICATE",
        Severity::Block,
        "sites[0].domains[1].name",
    );

    let mut o = ent_domain("例子.中国");
    add_domain(&mut o, "xn--fsqu00a.xn--fiqs8s");
    assert_fires(
        &check(&o),
        "DOMAIN-DUPLICATE",
        Severity::Block,
        "sites[0].domains[1].name",
    );
}

#[test]
fn duplicate_across_two_sites_fires() {
    let mut o = enterprise();
    let mut second = o.sites[0].clone();
    second.name = "凌云数据文档".to_string();
    o.sites.push(second);
    let f = check(&o);
    assert_fires(
        &f,
        "DOMAIN-DUPLICATE",
        Severity::Block,
        "sites[1].domains[0].name",
    );
}

#[test]
fn duplicate_near_miss_two_different_domains() {
    let mut o = enterprise();
    add_domain(&mut o, "lingyun-data.com.cn");
    assert_silent(&check(&o), "DOMAIN-DUPLICATE");
}

// ---------------------------------------------------------------- DOMAIN-HOLDER-MISMATCH

#[test]
fn holder_other_company_fires() {
    let mut o = enterprise();
    o.sites[0].domains[0].holder = "深圳市凌云网络科技有限公司".to_string();
    assert_fires(
        &check(&o),
        "DOMAIN-HOLDER-MISMATCH",
        Severity::Block,
        HOLDER,
    );
}

#[test]
fn holder_empty_fires() {
    let mut o = enterprise();
    o.sites[0].domains[0].holder = String::new();
    assert_fires(
        &check(&o),
        "DOMAIN-HOLDER-MISMATCH",
        Severity::Block,
        HOLDER,
    );
}

#[test]
fn holder_same_name_with_other_brackets_and_spaces_is_silent() {
    let mut o = enterprise();
    o.subject.name = "凌云数据（深圳）科技有限公司".to_string();
    o.sites[0].domains[0].holder = " 凌云数据(深圳)科技有限公司 ".to_string();
    assert_silent(&check(&o), "DOMAIN-HOLDER-MISMATCH");
}

#[test]
fn holder_other_person_for_individual_fires() {
    let mut o = individual();
    o.sites[0].domains[0].holder = "刘晓明".to_string();
    assert_fires(
        &check(&o),
        "DOMAIN-HOLDER-MISMATCH",
        Severity::Block,
        HOLDER,
    );
}

#[test]
fn holder_leader_name_is_fine_for_individual() {
    // The subject name differs from the leader (a NAME-* problem, not a domain one):
    // the leader's own name as holder is accepted for an individual.
    let mut o = individual();
    o.subject.name = "刘晓敏（个人）".to_string();
    o.sites[0].domains[0].holder = "刘晓敏".to_string();
    assert_silent(&check(&o), "DOMAIN-HOLDER-MISMATCH");
}

#[test]
fn holder_leader_name_is_not_enough_for_an_organisation() {
    // The site leader (not the legal representative) holds the domain.
    let mut o = enterprise();
    o.sites[0].domains[0].holder = "陈思雨".to_string();
    let f = check(&o);
    assert_fires(&f, "DOMAIN-HOLDER-MISMATCH", Severity::Block, HOLDER);
    assert_silent(&f, "PROV-DOMAIN-HOLDER-LEGALREP");
}

#[test]
fn holder_legal_representative_of_an_organisation_is_left_to_the_province_rule() {
    // 王海涛 is the subject leader and legal representative.
    let mut o = enterprise();
    o.sites[0].domains[0].holder = "王海涛".to_string();
    assert_silent(&check(&o), "DOMAIN-HOLDER-MISMATCH");
}

// ---------------------------------------------------------------- DOMAIN-EXPIRES-SOON
// submitted_at 2026-11-20T09:30+08:00: three months later is 2027-02-20.

#[test]
fn expiry_three_months_minus_one_day_fires() {
    let f = check(&with_expiry(enterprise(), "2027-02-19"));
    assert_fires(&f, "DOMAIN-EXPIRES-SOON", Severity::Block, EXPIRES);
}

#[test]
fn expiry_exactly_three_months_is_silent() {
    assert_silent(
        &check(&with_expiry(enterprise(), "2027-02-20")),
        "DOMAIN-EXPIRES-SOON",
    );
}

#[test]
fn expiry_in_the_past_fires() {
    let f = check(&with_expiry(individual(), "2026-11-19"));
    assert_fires(&f, "DOMAIN-EXPIRES-SOON", Severity::Block, EXPIRES);
}

#[test]
fn expiry_uses_the_shanghai_date_of_submitted_at() {
    // 2026-08-31T20:00Z is 2026-09-01 04:00 in Shanghai: three months later is 2026-12-01.
    let mut o = with_expiry(enterprise(), "2026-11-30");
    o.submitted_at = "2026-08-31T20:00:00Z".parse().unwrap();
    assert_fires(&check(&o), "DOMAIN-EXPIRES-SOON", Severity::Block, EXPIRES);
    let mut o = with_expiry(enterprise(), "2026-12-01");
    o.submitted_at = "2026-08-31T20:00:00Z".parse().unwrap();
    assert_silent(&check(&o), "DOMAIN-EXPIRES-SOON");
}

#[test]
fn expiry_at_month_end_clamps() {
    // 2026-11-30 + 3 months = 2027-02-28.
    let mut o = with_expiry(enterprise(), "2027-02-27");
    o.submitted_at = "2026-11-30T10:00:00+08:00".parse().unwrap();
    assert_fires(&check(&o), "DOMAIN-EXPIRES-SOON", Severity::Block, EXPIRES);
    let mut o = with_expiry(enterprise(), "2027-02-28");
    o.submitted_at = "2026-11-30T10:00:00+08:00".parse().unwrap();
    assert_silent(&check(&o), "DOMAIN-EXPIRES-SOON");
}

#[test]
fn expiry_fires_on_the_spec_example() {
    let o = sample("domain-expires-in-2-months.json");
    assert_fires(&check(&o), "DOMAIN-EXPIRES-SOON", Severity::Block, EXPIRES);
}

// ---------------------------------------------------------------- DOMAIN-GOV-NO-FILING

fn government(domain: &str) -> Order {
    let mut o = ent_domain(domain);
    o.subject.nature = Nature::Government;
    o
}

#[test]
fn gov_cn_third_level_warns() {
    let f = check(&government("shapingba.gov.cn"));
    assert_fires(&f, "DOMAIN-GOV-NO-FILING", Severity::Warn, NAME);
    assert_silent(&f, "DOMAIN-FORMAT");
    assert_silent(&f, "DOMAIN-TLD-NOT-APPROVED");
}

#[test]
fn gov_cn_in_unicode_case_still_warns() {
    let f = check(&government("ShaPingBa.GOV.cn"));
    assert_fires(&f, "DOMAIN-GOV-NO-FILING", Severity::Warn, NAME);
}

#[test]
fn gov_near_misses_are_silent() {
    // A label ending in "gov" is not the gov.cn zone; nor is gov.com.cn.
    for d in ["shapingbagov.cn", "shapingba.gov.com.cn", "gov-cn.com"] {
        assert_silent(&check(&government(d)), "DOMAIN-GOV-NO-FILING");
    }
}

// ---------------------------------------------------------------- DOMAIN-TLD-NOT-APPROVED

#[test]
fn tld_not_on_the_list_fires() {
    for d in ["lingyun-data.io", "lingyun-data.me", "例子.香港"] {
        let f = check(&ent_domain(d));
        assert_fires(&f, "DOMAIN-TLD-NOT-APPROVED", Severity::Block, NAME);
    }
}

#[test]
fn tld_on_the_list_is_silent_in_any_spelling() {
    for d in [
        "lingyun-data.xyz",
        "lingyun-data.COM",
        "例子.公司",
        "例子.xn--55qx5d",
        "凌云.网络",
    ] {
        assert_silent(&check(&ent_domain(d)), "DOMAIN-TLD-NOT-APPROVED");
    }
}

#[test]
fn tld_checks_apps_too() {
    let f = check(&app_domain("api.lingyun-data.io"));
    assert_fires(&f, "DOMAIN-TLD-NOT-APPROVED", Severity::Block, NAME);
    assert_eq!(app().sites[0].kind, SiteKind::App);
}
