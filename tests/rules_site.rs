//! Site rules (rules.md § Sites and apps: pre-approvals, names, IPs, languages) and the
//! access-resource rules (§ Access resources). Each rule fires on an order made for it and
//! stays silent on the nearest order where its condition does not hold.

mod common;
use common::*;

use icp_review::domain::{
    AccessMethod, ContentCategory, Material, MaterialKind, Nature, Order, PreApproval, Status,
};
use icp_review::rules::Severity;

const SITE_NAME: &str = "sites[0].name";
const CAT0: &str = "sites[0].content_categories[0]";

const SITE_RULES: [&str; 16] = [
    "SITE-PREAPPROVAL-MISSING",
    "SITE-NAME-INDIVIDUAL",
    "SITE-NAME-PERSON",
    "SITE-NAME-FORMAT",
    "SITE-NAME-DOMAIN",
    "SITE-NAME-NATIONAL",
    "SITE-NAME-PUBLIC-AFFAIRS",
    "SITE-NAME-SENSITIVE",
    "SITE-NAME-PREAPPROVAL-WORD",
    "SITE-PREAPPROVAL-INDIVIDUAL",
    "SITE-FINANCE-WORDS",
    "SITE-IP-FORMAT",
    "SITE-IP-NOT-PROVIDER",
    "SITE-LANGUAGES-MANY",
    "ACCESS-PREPAID-SHORT",
    "ACCESS-AUTHCODE-REUSED",
];

fn named(mut o: Order, name: &str) -> Order {
    o.sites[0].name = name.to_string();
    o
}

fn ent_named(name: &str) -> Order {
    named(enterprise(), name)
}

fn ind_named(name: &str) -> Order {
    named(individual(), name)
}

/// Declare content categories on the first site.
fn categories(mut o: Order, cats: &[ContentCategory]) -> Order {
    o.sites[0].content_categories = cats.to_vec();
    o
}

/// Add a complete pre-approval (number and uploaded document) to the first site.
fn approve(mut o: Order, c: ContentCategory) -> Order {
    let id = format!("pa{}", o.materials.len());
    o.materials.push(Material {
        id: id.clone(),
        kind: MaterialKind::PreApproval,
        site: Some(0),
        file: "materials/preapproval.jpg".to_string(),
        media_type: Some("image/jpeg".to_string()),
        sha256: None,
    });
    o.sites[0].pre_approvals.push(PreApproval {
        category: c,
        number: "粤B2-20260001".to_string(),
        material: id,
    });
    o
}

#[test]
fn clean_samples_are_silent_for_every_site_and_access_rule() {
    for o in [enterprise(), individual(), app()] {
        let f = check(&o);
        for rule in SITE_RULES.iter().chain(&["ACCESS-AUTHCODE-LIMIT"]) {
            assert_silent(&f, rule);
        }
    }
}

// ---------------------------------------------------------------- SITE-PREAPPROVAL-MISSING

#[test]
fn preapproval_missing_fires_for_each_national_category() {
    use ContentCategory::*;
    for c in [News, Publishing, Medical, Culture, Broadcasting, OnlineGame] {
        let f = check(&categories(enterprise(), &[c]));
        assert_fires(&f, "SITE-PREAPPROVAL-MISSING", Severity::Block, CAT0);
    }
}

#[test]
fn preapproval_missing_flags_the_category_entry_that_lacks_it() {
    use ContentCategory::*;
    let o = approve(categories(enterprise(), &[News, OnlineGame]), News);
    let f = check(&o);
    assert_fires(
        &f,
        "SITE-PREAPPROVAL-MISSING",
        Severity::Block,
        "sites[0].content_categories[1]",
    );
    assert_eq!(of(&f, "SITE-PREAPPROVAL-MISSING").len(), 1);
}

#[test]
fn preapproval_present_with_its_document_is_silent() {
    let o = approve(
        categories(enterprise(), &[ContentCategory::News]),
        ContentCategory::News,
    );
    assert_silent(&check(&o), "SITE-PREAPPROVAL-MISSING");
}

#[test]
fn preapproval_whose_document_does_not_exist_fires() {
    let mut o = approve(
        categories(enterprise(), &[ContentCategory::News]),
        ContentCategory::News,
    );
    o.sites[0].pre_approvals[0].material = "m99".to_string();
    assert_fires(
        &check(&o),
        "SITE-PREAPPROVAL-MISSING",
        Severity::Block,
        CAT0,
    );
}

#[test]
fn preapproval_without_a_number_fires() {
    let mut o = approve(
        categories(enterprise(), &[ContentCategory::News]),
        ContentCategory::News,
    );
    o.sites[0].pre_approvals[0].number = " ".to_string();
    assert_fires(
        &check(&o),
        "SITE-PREAPPROVAL-MISSING",
        Severity::Block,
        CAT0,
    );
}

#[test]
fn preapproval_of_another_category_does_not_count() {
    let o = approve(
        categories(enterprise(), &[ContentCategory::News]),
        ContentCategory::Culture,
    );
    assert_fires(
        &check(&o),
        "SITE-PREAPPROVAL-MISSING",
        Severity::Block,
        CAT0,
    );
}

#[test]
fn preapproval_not_needed_for_education_or_none() {
    // Education approvals were abolished: legacy, not required.
    for c in [ContentCategory::Education, ContentCategory::None] {
        assert_silent(
            &check(&categories(enterprise(), &[c])),
            "SITE-PREAPPROVAL-MISSING",
        );
    }
}

#[test]
fn preapproval_religion_is_required_in_tibet() {
    // Religion is on Tibet's list in province data (the assets' national list has it too,
    // so no province is a near miss for it: the near miss is the approval being present).
    let mut o = categories(enterprise(), &[ContentCategory::Religion]);
    o.subject.region.province = "CN-XZ".to_string();
    assert_fires(
        &check(&o),
        "SITE-PREAPPROVAL-MISSING",
        Severity::Block,
        CAT0,
    );
    let mut o = approve(
        categories(enterprise(), &[ContentCategory::Religion]),
        ContentCategory::Religion,
    );
    o.subject.region.province = "CN-XZ".to_string();
    assert_silent(&check(&o), "SITE-PREAPPROVAL-MISSING");
}

#[test]
fn preapproval_fires_on_the_spec_example() {
    let f = check(&sample("news-without-preapproval.json"));
    assert!(!of(&f, "SITE-PREAPPROVAL-MISSING").is_empty());
}

// ---------------------------------------------------------------- SITE-PREAPPROVAL-INDIVIDUAL

#[test]
fn individual_with_a_category_needing_approval_fires() {
    let f = check(&categories(individual(), &[ContentCategory::News]));
    assert_fires(&f, "SITE-PREAPPROVAL-INDIVIDUAL", Severity::Block, CAT0);
}

#[test]
fn individual_fires_even_with_an_approval_entry() {
    let o = approve(
        categories(individual(), &[ContentCategory::OnlineGame]),
        ContentCategory::OnlineGame,
    );
    assert_fires(
        &check(&o),
        "SITE-PREAPPROVAL-INDIVIDUAL",
        Severity::Block,
        CAT0,
    );
}

#[test]
fn individual_near_misses_are_silent() {
    // An organisation with the same category; an individual with a category that needs none.
    assert_silent(
        &check(&categories(enterprise(), &[ContentCategory::News])),
        "SITE-PREAPPROVAL-INDIVIDUAL",
    );
    assert_silent(
        &check(&categories(individual(), &[ContentCategory::Education])),
        "SITE-PREAPPROVAL-INDIVIDUAL",
    );
}

// ---------------------------------------------------------------- SITE-NAME-INDIVIDUAL

#[test]
fn individual_site_name_with_company_words_blocks() {
    for n in [
        "山野花草公司",
        "山野花草有限",
        "山野花草集团",
        "山野花草企业",
    ] {
        let f = check(&ind_named(n));
        assert_fires(&f, "SITE-NAME-INDIVIDUAL", Severity::Block, SITE_NAME);
    }
}

#[test]
fn individual_site_name_with_soft_words_warns() {
    for n in [
        "山野花草官网",
        "山野花草官方",
        "山野花草商城",
        "山野花草工作室",
        "山野花草平台",
        "山野花草中心",
    ] {
        let f = check(&ind_named(n));
        assert_fires(&f, "SITE-NAME-INDIVIDUAL", Severity::Warn, SITE_NAME);
        assert!(
            of(&f, "SITE-NAME-INDIVIDUAL")
                .iter()
                .all(|x| x.severity == Severity::Warn),
            "{n}: warn only"
        );
    }
}

#[test]
fn individual_site_name_with_both_lists_blocks_once() {
    let f = check(&ind_named("山野花草工作室公司"));
    assert_fires(&f, "SITE-NAME-INDIVIDUAL", Severity::Block, SITE_NAME);
    assert_eq!(of(&f, "SITE-NAME-INDIVIDUAL").len(), 1);
}

#[test]
fn individual_site_name_near_misses_are_silent() {
    // 公园 is not 公司; an organisation may call its site 官网 or 工作室.
    assert_silent(&check(&ind_named("山野花草公园")), "SITE-NAME-INDIVIDUAL");
    assert_silent(&check(&ent_named("凌云数据工作室")), "SITE-NAME-INDIVIDUAL");
    assert_silent(
        &check(&ent_named("凌云数据有限公司")),
        "SITE-NAME-INDIVIDUAL",
    );
}

// ---------------------------------------------------------------- SITE-NAME-PERSON

#[test]
fn individual_site_name_with_own_full_name_fires() {
    let f = check(&ind_named("刘晓敏的花草日志"));
    assert_fires(&f, "SITE-NAME-PERSON", Severity::Block, SITE_NAME);
}

#[test]
fn individual_site_name_with_part_of_the_name_is_silent() {
    assert_silent(&check(&ind_named("晓敏的花草日志")), "SITE-NAME-PERSON");
}

#[test]
fn organisation_site_name_with_a_leader_name_is_silent() {
    assert_silent(&check(&ent_named("王海涛数据官网")), "SITE-NAME-PERSON");
}

// ---------------------------------------------------------------- SITE-NAME-FORMAT

#[test]
fn name_with_fewer_than_three_counted_characters_fires() {
    for n in ["花草", "花草()", "（花草）", "花-草", "A1"] {
        assert_fires(
            &check(&ind_named(n)),
            "SITE-NAME-FORMAT",
            Severity::Block,
            SITE_NAME,
        );
    }
}

#[test]
fn name_with_exactly_three_counted_characters_is_silent() {
    for n in [
        "花草园",
        "花(草)园",
        "花-草-园",
        "（花草园）",
        "花草1",
        "ＡＢ花",
    ] {
        assert_silent(&check(&ind_named(n)), "SITE-NAME-FORMAT");
    }
}

#[test]
fn name_of_digits_only_fires() {
    for n in ["12345", "123", "１２３４５", "123-456", "(2026)"] {
        assert_fires(
            &check(&ind_named(n)),
            "SITE-NAME-FORMAT",
            Severity::Block,
            SITE_NAME,
        );
    }
    assert_silent(&check(&ind_named("12345花草")), "SITE-NAME-FORMAT");
}

#[test]
fn name_of_latin_letters_only_fires() {
    for n in ["FlowerDiary", "Flower Diary", "ＦｌｏｗｅｒＤｉａｒｙ"] {
        assert_fires(
            &check(&ind_named(n)),
            "SITE-NAME-FORMAT",
            Severity::Block,
            SITE_NAME,
        );
    }
    // Allowed but uncounted brackets and hyphens do not make a Latin name acceptable.
    for n in [
        "Flower-Diary",
        "(FlowerDiary)",
        "ＦＬＯＷＥＲ（Ｄｉａｒｙ）",
    ] {
        assert_fires(
            &check(&ind_named(n)),
            "SITE-NAME-FORMAT",
            Severity::Block,
            SITE_NAME,
        );
    }
    for n in ["Flower花草", "Flower2026", "Flower-2026"] {
        assert_silent(&check(&ind_named(n)), "SITE-NAME-FORMAT");
    }
}

#[test]
fn name_with_other_symbols_fires() {
    for n in [
        "山野花草!",
        "山野·花草",
        "山野_花草",
        "山野&花草",
        "山野花草。",
        "山野花草🌸",
        "山野《花草》",
        "山野/花草",
    ] {
        assert_fires(
            &check(&ind_named(n)),
            "SITE-NAME-FORMAT",
            Severity::Block,
            SITE_NAME,
        );
    }
}

#[test]
fn name_with_allowed_brackets_and_hyphen_is_silent() {
    for n in ["山野花草(日志)", "山野花草（日志）", "山野-花草"] {
        assert_silent(&check(&ind_named(n)), "SITE-NAME-FORMAT");
    }
}

// ---------------------------------------------------------------- SITE-NAME-DOMAIN

#[test]
fn name_that_is_or_contains_a_domain_fires() {
    for n in [
        "lingyun-data.cn",
        "凌云lingyun-data.cn官网",
        "访问example.com",
        "凌云数据.中国",
        "来例子.中国官网",
    ] {
        assert_fires(
            &check(&ent_named(n)),
            "SITE-NAME-DOMAIN",
            Severity::Block,
            SITE_NAME,
        );
    }
}

#[test]
fn name_that_is_the_listed_domain_label_fires() {
    assert_fires(
        &check(&ent_named("lingyun-data")),
        "SITE-NAME-DOMAIN",
        Severity::Block,
        SITE_NAME,
    );
}

#[test]
fn name_containing_the_listed_idn_in_another_spelling_fires() {
    let mut o = ent_named("例子.中国");
    o.sites[0].domains[0].name = "xn--fsqu00a.xn--fiqs8s".to_string();
    assert_fires(&check(&o), "SITE-NAME-DOMAIN", Severity::Block, SITE_NAME);
}

#[test]
fn name_domain_near_misses_are_silent() {
    // A version number and a dotted Chinese phrase are no domains.
    for n in ["凌云数据官网", "凌云数据2.0", "凌云.数据", "lingyun数据"] {
        assert_silent(&check(&ent_named(n)), "SITE-NAME-DOMAIN");
    }
}

// ---------------------------------------------------------------- SITE-NAME-NATIONAL

#[test]
fn national_prefix_fires_for_non_government() {
    for p in ["中国", "中华", "中央", "国家", "全国", "人民", "华夏"] {
        let f = check(&ent_named(&format!("{p}凌云数据")));
        assert_fires(&f, "SITE-NAME-NATIONAL", Severity::Block, SITE_NAME);
    }
    let f = check(&ind_named("中华花草日志"));
    assert_fires(&f, "SITE-NAME-NATIONAL", Severity::Block, SITE_NAME);
}

#[test]
fn national_prefix_after_leading_space_still_fires() {
    assert_fires(
        &check(&ent_named(" 中国凌云数据")),
        "SITE-NAME-NATIONAL",
        Severity::Block,
        SITE_NAME,
    );
}

#[test]
fn national_word_not_at_the_start_is_silent() {
    assert_silent(&check(&ent_named("凌云中国数据")), "SITE-NAME-NATIONAL");
}

#[test]
fn national_prefix_is_fine_for_government() {
    let mut o = ent_named("中国凌云数据");
    o.subject.nature = Nature::Government;
    assert_silent(&check(&o), "SITE-NAME-NATIONAL");
}

// ---------------------------------------------------------------- SITE-NAME-PUBLIC-AFFAIRS

#[test]
fn public_affairs_word_fires_for_non_government() {
    for w in ["政府", "公安", "法院", "检察", "纪检", "信访"] {
        let f = check(&ent_named(&format!("凌云{w}服务")));
        assert_fires(&f, "SITE-NAME-PUBLIC-AFFAIRS", Severity::Block, SITE_NAME);
    }
    let mut o = ent_named("凌云信访服务");
    o.subject.nature = Nature::PublicInstitution;
    assert_fires(
        &check(&o),
        "SITE-NAME-PUBLIC-AFFAIRS",
        Severity::Block,
        SITE_NAME,
    );
}

#[test]
fn public_affairs_near_misses_are_silent() {
    assert_silent(
        &check(&ent_named("凌云公共服务")),
        "SITE-NAME-PUBLIC-AFFAIRS",
    );
    let mut o = ent_named("凌云公安服务");
    o.subject.nature = Nature::Government;
    assert_silent(&check(&o), "SITE-NAME-PUBLIC-AFFAIRS");
}

// ---------------------------------------------------------------- SITE-NAME-SENSITIVE

#[test]
fn sensitive_word_fires() {
    for w in ["赌博", "博彩", "彩票", "色情"] {
        let f = check(&ent_named(&format!("凌云{w}资讯")));
        assert_fires(&f, "SITE-NAME-SENSITIVE", Severity::Block, SITE_NAME);
    }
    // Whatever the subject.
    let mut o = ent_named("凌云彩票资讯");
    o.subject.nature = Nature::Government;
    assert_fires(
        &check(&o),
        "SITE-NAME-SENSITIVE",
        Severity::Block,
        SITE_NAME,
    );
}

#[test]
fn sensitive_near_miss_is_silent() {
    assert_silent(&check(&ent_named("凌云彩虹资讯")), "SITE-NAME-SENSITIVE");
}

// ---------------------------------------------------------------- SITE-NAME-PREAPPROVAL-WORD

#[test]
fn category_word_without_approval_blocks() {
    for w in [
        "新闻",
        "视频",
        "影视",
        "直播",
        "电台",
        "游戏",
        "药品",
        "医疗器械",
        "金融",
        "理财",
        "基金",
        "贷款",
        "支付",
        "保险",
        "证券",
    ] {
        let f = check(&ent_named(&format!("凌云{w}")));
        assert_fires(&f, "SITE-NAME-PREAPPROVAL-WORD", Severity::Block, SITE_NAME);
    }
}

#[test]
fn category_word_with_matching_approval_is_silent() {
    use ContentCategory::*;
    for (w, c) in [
        ("新闻", News),
        ("视频", Broadcasting),
        ("游戏", OnlineGame),
        ("药品", Medical),
        ("保险", Finance),
    ] {
        let o = approve(ent_named(&format!("凌云{w}")), c);
        assert_silent(&check(&o), "SITE-NAME-PREAPPROVAL-WORD");
    }
}

#[test]
fn category_word_with_another_approval_blocks() {
    let o = approve(ent_named("凌云新闻"), ContentCategory::OnlineGame);
    assert_fires(
        &check(&o),
        "SITE-NAME-PREAPPROVAL-WORD",
        Severity::Block,
        SITE_NAME,
    );
}

#[test]
fn legacy_category_word_warns() {
    for w in ["教育", "医疗保健", "论坛"] {
        let f = check(&ent_named(&format!("凌云{w}")));
        assert_fires(&f, "SITE-NAME-PREAPPROVAL-WORD", Severity::Warn, SITE_NAME);
        assert!(
            of(&f, "SITE-NAME-PREAPPROVAL-WORD")
                .iter()
                .all(|x| x.severity == Severity::Warn)
        );
    }
}

#[test]
fn legacy_word_with_its_approval_is_silent() {
    let o = approve(ent_named("凌云教育"), ContentCategory::Education);
    assert_silent(&check(&o), "SITE-NAME-PREAPPROVAL-WORD");
}

#[test]
fn block_word_wins_over_legacy_word() {
    let f = check(&ent_named("凌云教育新闻"));
    assert_fires(&f, "SITE-NAME-PREAPPROVAL-WORD", Severity::Block, SITE_NAME);
    assert_eq!(of(&f, "SITE-NAME-PREAPPROVAL-WORD").len(), 1);
}

#[test]
fn name_without_category_word_is_silent() {
    assert_silent(
        &check(&ent_named("凌云新材料")),
        "SITE-NAME-PREAPPROVAL-WORD",
    );
}

// ---------------------------------------------------------------- SITE-FINANCE-WORDS

#[test]
fn finance_word_in_subject_name_fires() {
    for w in [
        "金融",
        "理财",
        "基金",
        "资产管理",
        "投资管理",
        "网贷",
        "众筹",
        "支付",
        "交易所",
    ] {
        let mut o = enterprise();
        o.subject.name = format!("深圳市凌云{w}科技有限公司");
        assert_fires(
            &check(&o),
            "SITE-FINANCE-WORDS",
            Severity::Block,
            "subject.name",
        );
    }
}

#[test]
fn finance_word_in_subject_name_with_finance_approval_is_silent() {
    let mut o = approve(enterprise(), ContentCategory::Finance);
    o.subject.name = "深圳市凌云金融科技有限公司".to_string();
    assert_silent(&check(&o), "SITE-FINANCE-WORDS");
}

#[test]
fn finance_word_in_subject_name_with_another_approval_fires() {
    let mut o = approve(enterprise(), ContentCategory::News);
    o.subject.name = "深圳市凌云金融科技有限公司".to_string();
    assert_fires(
        &check(&o),
        "SITE-FINANCE-WORDS",
        Severity::Block,
        "subject.name",
    );
}

#[test]
fn finance_word_in_site_name_fires() {
    let f = check(&ent_named("凌云支付"));
    assert_fires(&f, "SITE-FINANCE-WORDS", Severity::Block, SITE_NAME);
    let f = check(&ent_named("凌云P2P平台"));
    assert_fires(&f, "SITE-FINANCE-WORDS", Severity::Block, SITE_NAME);
}

#[test]
fn finance_word_in_site_name_with_finance_approval_is_silent() {
    let o = approve(ent_named("凌云支付"), ContentCategory::Finance);
    assert_silent(&check(&o), "SITE-FINANCE-WORDS");
}

#[test]
fn finance_near_misses_are_silent() {
    // 资产 alone and 投资 alone are not the listed terms 资产管理 / 投资管理.
    let mut o = ent_named("凌云资产数据");
    o.subject.name = "深圳市凌云投资科技有限公司".to_string();
    assert_silent(&check(&o), "SITE-FINANCE-WORDS");
}

// ---------------------------------------------------------------- SITE-IP-FORMAT / SITE-IP-NOT-PROVIDER

fn with_ip(ip: &str) -> Order {
    let mut o = enterprise();
    o.sites[0].ips = vec![ip.to_string()];
    o
}

const IP0: &str = "sites[0].ips[0]";

#[test]
fn ip_private_loopback_documentation_and_reserved_fire() {
    for ip in [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "127.0.0.1",
        "169.254.1.1",
        "100.64.0.1",
        "0.0.0.0",
        "192.0.2.10",
        "198.51.100.7",
        "203.0.113.9",
        "198.18.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
    ] {
        let f = check(&with_ip(ip));
        assert_fires(&f, "SITE-IP-FORMAT", Severity::Block, IP0);
        assert_silent(&f, "SITE-IP-NOT-PROVIDER");
    }
}

#[test]
fn ip_garbage_fires() {
    for ip in [
        "",
        "abc",
        "121.36.48",
        "121.36.48.256",
        "121.036.048.017",
        "121.36.48.17/24",
        "121.36.48.17:80",
    ] {
        assert_fires(&check(&with_ip(ip)), "SITE-IP-FORMAT", Severity::Block, IP0);
    }
}

#[test]
fn ip_v6_non_public_fire() {
    for ip in [
        "::",
        "::1",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "2001:db8::1",
        "::ffff:121.36.48.17",
        "2407:c080::1%eth0",
        "2407:c080:::1",
        "::2",
        "::121.36.48.17",
        "4000::1",
        "64:ff9b::1",
    ] {
        assert_fires(&check(&with_ip(ip)), "SITE-IP-FORMAT", Severity::Block, IP0);
    }
}

#[test]
fn ip_public_near_misses_are_silent() {
    // Just outside 172.16/12, 100.64/10 and 192.168/16, and a public IPv6 address.
    for ip in [
        "172.32.0.1",
        "100.128.0.1",
        "192.169.0.1",
        "121.36.48.17",
        " 121.36.48.17 ",
        "2407:c080::1",
    ] {
        assert_silent(&check(&with_ip(ip)), "SITE-IP-FORMAT");
    }
}

#[test]
fn ip_outside_the_provider_ranges_fires() {
    for ip in [
        "8.8.8.8",
        "121.38.0.1",
        "172.32.0.1",
        "2407:c088::1",
        "240e::1",
    ] {
        let f = check(&with_ip(ip));
        assert_fires(&f, "SITE-IP-NOT-PROVIDER", Severity::Block, IP0);
        assert_silent(&f, "SITE-IP-FORMAT");
    }
}

#[test]
fn ip_inside_the_provider_ranges_is_silent() {
    // Edges of 121.37.0.0/16, 139.159.128.0/17 and 2407:c080::/29.
    for ip in [
        "121.37.0.0",
        "121.37.255.255",
        "139.159.128.1",
        "2407:c087:ffff::1",
    ] {
        assert_silent(&check(&with_ip(ip)), "SITE-IP-NOT-PROVIDER");
    }
    assert_fires(
        &check(&with_ip("139.159.127.255")),
        "SITE-IP-NOT-PROVIDER",
        Severity::Block,
        IP0,
    );
}

#[test]
fn ip_second_entry_is_flagged_on_its_own_path() {
    let mut o = enterprise();
    o.sites[0].ips.push("8.8.4.4".to_string());
    let f = check(&o);
    assert_fires(
        &f,
        "SITE-IP-NOT-PROVIDER",
        Severity::Block,
        "sites[0].ips[1]",
    );
    assert!(
        of(&f, "SITE-IP-NOT-PROVIDER")
            .iter()
            .all(|x| x.path == "sites[0].ips[1]")
    );
}

// ---------------------------------------------------------------- SITE-LANGUAGES-MANY

fn with_langs(langs: &[&str]) -> Order {
    let mut o = enterprise();
    o.sites[0].languages = langs.iter().map(|l| l.to_string()).collect();
    o
}

#[test]
fn two_languages_warn() {
    let f = check(&with_langs(&["zh-CN", "en"]));
    assert_fires(
        &f,
        "SITE-LANGUAGES-MANY",
        Severity::Warn,
        "sites[0].languages",
    );
}

#[test]
fn one_language_is_silent_even_if_repeated() {
    assert_silent(
        &check(&with_langs(&["zh-CN", "zh-cn", " zh-CN "])),
        "SITE-LANGUAGES-MANY",
    );
    assert_silent(&check(&with_langs(&["en"])), "SITE-LANGUAGES-MANY");
}

// ---------------------------------------------------------------- ACCESS-PREPAID-SHORT

fn prepaid(mut o: Order, months: u32) -> Order {
    o.sites[0].access.prepaid_months = months;
    o
}

#[test]
fn prepaid_less_than_three_months_fires() {
    for m in [0, 1, 2] {
        let f = check(&prepaid(enterprise(), m));
        assert_fires(
            &f,
            "ACCESS-PREPAID-SHORT",
            Severity::Block,
            "sites[0].access.prepaid_months",
        );
    }
}

#[test]
fn prepaid_exactly_three_months_is_silent() {
    assert_silent(&check(&prepaid(enterprise(), 3)), "ACCESS-PREPAID-SHORT");
}

#[test]
fn prepaid_applies_to_an_authorisation_code_server() {
    let o = prepaid(auth_code(enterprise(), "ecs-auth-1", "AC-0001"), 2);
    assert_fires(
        &check(&o),
        "ACCESS-PREPAID-SHORT",
        Severity::Block,
        "sites[0].access.prepaid_months",
    );
    let o = prepaid(auth_code(enterprise(), "ecs-auth-1", "AC-0001"), 3);
    assert_silent(&check(&o), "ACCESS-PREPAID-SHORT");
}

// ---------------------------------------------------------------- ACCESS-AUTHCODE-REUSED / -LIMIT

const CODE0: &str = "sites[0].access.auth_code";

/// File the first site with an authorisation code from `server`.
fn auth_code(mut o: Order, server: &str, code: &str) -> Order {
    o.sites[0].access.method = AccessMethod::AuthCode;
    o.sites[0].access.resource_id = server.to_string();
    o.sites[0].access.auth_code = Some(code.to_string());
    o
}

/// Another customer's order (different id, account and subject) using `code` from `server`.
fn other_order(n: usize, server: &str, code: &str) -> Order {
    let mut o = auth_code(individual(), server, code);
    o.id = format!("EX-2026-9{n:04}");
    o.account = format!("acct-other-{n}");
    o
}

#[test]
fn authcode_used_by_another_order_fires() {
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0001");
    let f = check_with(&me, &[], &[other_order(1, "ecs-auth-1", "AC-0001")]);
    assert_fires(&f, "ACCESS-AUTHCODE-REUSED", Severity::Block, CODE0);
}

#[test]
fn authcode_used_twice_in_one_order_fires_on_the_second() {
    let mut me = auth_code(enterprise(), "ecs-auth-1", "AC-0001");
    let mut second = me.sites[0].clone();
    second.name = "凌云数据文档".to_string();
    second.domains[0].name = "lingyun-data.com.cn".to_string();
    me.sites.push(second);
    let f = check(&me);
    assert_fires(
        &f,
        "ACCESS-AUTHCODE-REUSED",
        Severity::Block,
        "sites[1].access.auth_code",
    );
    assert!(
        of(&f, "ACCESS-AUTHCODE-REUSED")
            .iter()
            .all(|x| x.path == "sites[1].access.auth_code")
    );
}

#[test]
fn authcode_near_misses_are_silent() {
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0001");
    // Alone; another order with another code from the same server; the same code in a
    // withdrawn order (it holds nothing any more); the same code entered as an ECS id.
    assert_silent(&check(&me), "ACCESS-AUTHCODE-REUSED");
    let f = check_with(&me, &[], &[other_order(1, "ecs-auth-1", "AC-0002")]);
    assert_silent(&f, "ACCESS-AUTHCODE-REUSED");
    let mut withdrawn = other_order(1, "ecs-auth-1", "AC-0001");
    withdrawn.status = Status::Withdrawn;
    assert_silent(
        &check_with(&me, &[], &[withdrawn]),
        "ACCESS-AUTHCODE-REUSED",
    );
    let mut ecs = other_order(1, "ecs-auth-1", "AC-0001");
    ecs.sites[0].access.method = AccessMethod::Ecs;
    assert_silent(&check_with(&me, &[], &[ecs]), "ACCESS-AUTHCODE-REUSED");
}

/// `n` other orders, each with its own code from `server`.
fn others_with_codes(n: usize, server: &str) -> Vec<Order> {
    (1..=n)
        .map(|k| other_order(k, server, &format!("AC-{k:04}")))
        .collect()
}

#[test]
fn authcode_limit_six_codes_from_one_server_fires() {
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0100");
    let f = check_with(&me, &[], &others_with_codes(5, "ecs-auth-1"));
    assert_fires(&f, "ACCESS-AUTHCODE-LIMIT", Severity::Block, CODE0);
}

#[test]
fn authcode_limit_exactly_five_codes_is_silent() {
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0100");
    let f = check_with(&me, &[], &others_with_codes(4, "ecs-auth-1"));
    assert_silent(&f, "ACCESS-AUTHCODE-LIMIT");
}

#[test]
fn authcode_limit_counts_only_the_same_server() {
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0100");
    let mut others = others_with_codes(4, "ecs-auth-1");
    others.push(other_order(5, "ecs-auth-2", "AC-0005"));
    assert_silent(&check_with(&me, &[], &others), "ACCESS-AUTHCODE-LIMIT");
}

#[test]
fn authcode_limit_counts_a_code_once() {
    // Five distinct codes; one of them used by two orders (REUSED's business, not LIMIT's).
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0001");
    let others = others_with_codes(5, "ecs-auth-1");
    let f = check_with(&me, &[], &others);
    assert_silent(&f, "ACCESS-AUTHCODE-LIMIT");
    assert_fires(&f, "ACCESS-AUTHCODE-REUSED", Severity::Block, CODE0);
}

#[test]
fn authcode_limit_ignores_withdrawn_orders() {
    let me = auth_code(enterprise(), "ecs-auth-1", "AC-0100");
    let mut others = others_with_codes(5, "ecs-auth-1");
    others[0].status = Status::Abandoned;
    assert_silent(&check_with(&me, &[], &others), "ACCESS-AUTHCODE-LIMIT");
}
