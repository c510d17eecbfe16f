//! App rules (rules.md § Sites and apps, APP-*): each rule fires on an order made for it
//! and stays silent on the nearest order where its condition does not hold.

mod common;
use common::*;

use icp_review::domain::{AppPlatform, Order};
use icp_review::rules::Severity;

const APP_RULES: [&str; 5] = [
    "APP-ICON-TOO-LARGE",
    "APP-PLATFORM-NOT-RUNTIME",
    "APP-PACKAGE-FORMAT",
    "APP-MD5-FORMAT",
    "APP-PUBLIC-KEY-FORMAT",
];

const P0: &str = "sites[0].app.platforms[0]";

/// The index of the app icon material (m10) in the clean app sample.
fn icon_index(o: &Order) -> usize {
    o.materials
        .iter()
        .position(|m| m.id == "m10")
        .expect("app sample has its icon")
}

fn with_icon_file(file: &str) -> Order {
    let mut o = app();
    let k = icon_index(&o);
    o.materials[k].file = file.to_string();
    o
}

fn platform(o: &mut Order) -> &mut AppPlatform {
    &mut o.sites[0]
        .app
        .as_mut()
        .expect("app sample has app data")
        .platforms[0]
}

fn with_platform(name: &str) -> Order {
    let mut o = app();
    platform(&mut o).platform = name.to_string();
    o
}

fn with_package(platform_name: &str, package: &str) -> Order {
    let mut o = app();
    let p = platform(&mut o);
    p.platform = platform_name.to_string();
    p.package = package.to_string();
    o
}

fn with_md5(md5: &str) -> Order {
    let mut o = app();
    platform(&mut o).md5 = md5.to_string();
    o
}

fn with_key(key: &str) -> Order {
    let mut o = app();
    platform(&mut o).public_key = key.to_string();
    o
}

#[test]
fn clean_app_is_silent_for_every_app_rule_with_and_without_bytes() {
    for f in [check(&app()), check_bytes(&app())] {
        for rule in APP_RULES {
            assert_silent(&f, rule);
        }
    }
}

#[test]
fn websites_are_not_checked_as_apps() {
    // A website with app data left over is not an app filing.
    let mut o = app();
    o.sites[0].kind = icp_review::domain::SiteKind::Website;
    platform(&mut o).platform = "华为应用市场".to_string();
    platform(&mut o).md5 = "nope".to_string();
    let f = check(&o);
    assert_silent(&f, "APP-PLATFORM-NOT-RUNTIME");
    assert_silent(&f, "APP-MD5-FORMAT");
}

// ---------------------------------------------------------------- APP-ICON-TOO-LARGE

#[test]
fn icon_of_470_kb_fires() {
    let o = with_icon_file("materials/icon-big.png");
    let path = format!("materials[{}]", icon_index(&o));
    assert_fires(
        &check_bytes(&o),
        "APP-ICON-TOO-LARGE",
        Severity::Block,
        &path,
    );
}

#[test]
fn icon_size_needs_the_bytes() {
    // Without material inspection the size is unknown: no finding.
    assert_silent(
        &check(&with_icon_file("materials/icon-big.png")),
        "APP-ICON-TOO-LARGE",
    );
}

#[test]
fn icon_small_is_silent() {
    assert_silent(
        &check_bytes(&with_icon_file("materials/icon.png")),
        "APP-ICON-TOO-LARGE",
    );
}

/// A PNG of exactly `len` bytes (the small sample icon, padded after its end).
fn icon_of_size(dir: &std::path::Path, len: usize) -> String {
    let mut bytes = std::fs::read(examples_dir().join("materials/icon.png")).unwrap();
    assert!(bytes.len() < len);
    bytes.resize(len, 0);
    let p = dir.join(format!("icon-{len}.png"));
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn icon_boundary_100_kb_is_fine_one_byte_more_fires() {
    let dir = tempfile::tempdir().unwrap();
    let at = with_icon_file(&icon_of_size(dir.path(), 100 * 1024));
    assert_silent(&check_bytes(&at), "APP-ICON-TOO-LARGE");
    let over = with_icon_file(&icon_of_size(dir.path(), 100 * 1024 + 1));
    let path = format!("materials[{}]", icon_index(&over));
    assert_fires(
        &check_bytes(&over),
        "APP-ICON-TOO-LARGE",
        Severity::Block,
        &path,
    );
}

#[test]
fn icon_fires_on_the_spec_example() {
    let o = sample("app-icon-too-large.json");
    let f = check_bytes(&o);
    assert!(!of(&f, "APP-ICON-TOO-LARGE").is_empty(), "{f:#?}");
    assert!(
        of(&f, "APP-ICON-TOO-LARGE")
            .iter()
            .all(|x| x.severity == Severity::Block)
    );
}

// ---------------------------------------------------------------- APP-PLATFORM-NOT-RUNTIME

#[test]
fn platform_naming_an_app_market_fires() {
    for store in [
        "华为应用市场",
        "应用宝",
        "Google Play",
        "App Store",
        "小米应用商店",
        "AppGallery",
        "Android Market",
    ] {
        let f = check(&with_platform(store));
        assert_fires(
            &f,
            "APP-PLATFORM-NOT-RUNTIME",
            Severity::Block,
            &format!("{P0}.platform"),
        );
    }
}

#[test]
fn platform_naming_a_runtime_is_silent() {
    for rt in ["android", "iOS", "HarmonyOS", "鸿蒙", "安卓", " Android "] {
        assert_silent(&check(&with_platform(rt)), "APP-PLATFORM-NOT-RUNTIME");
    }
}

#[test]
fn platform_second_entry_is_flagged_on_its_own_path() {
    let mut o = app();
    let mut second = o.sites[0].app.as_ref().unwrap().platforms[0].clone();
    second.platform = "Google Play".to_string();
    o.sites[0].app.as_mut().unwrap().platforms.push(second);
    let f = check(&o);
    assert_fires(
        &f,
        "APP-PLATFORM-NOT-RUNTIME",
        Severity::Block,
        "sites[0].app.platforms[1].platform",
    );
    assert_eq!(of(&f, "APP-PLATFORM-NOT-RUNTIME").len(), 1);
}

// ---------------------------------------------------------------- APP-PACKAGE-FORMAT

#[test]
fn package_not_an_identifier_fires() {
    let path = format!("{P0}.package");
    for (plat, pkg) in [
        ("android", "reader"),
        ("android", ""),
        ("android", "cn.1abc.reader"),
        ("android", "cn.beichenyun..reader"),
        ("android", "cn.beichenyun.reader."),
        ("android", "cn.beichen-yun.reader"),
        ("android", "cn.beichenyun.阅读"),
        ("android", "cn._beichenyun.reader"),
        ("harmonyos", "com.example.my-app"),
        ("ios", "reader"),
        ("ios", "com.example..app"),
        ("ios", "com.example.my app"),
        ("harmonyos", "com example app"),
    ] {
        assert_fires(
            &check(&with_package(plat, pkg)),
            "APP-PACKAGE-FORMAT",
            Severity::Block,
            &path,
        );
    }
}

#[test]
fn package_valid_identifiers_are_silent() {
    for (plat, pkg) in [
        ("android", "cn.beichenyun.reader"),
        ("android", "com.example.my_app2"),
        ("harmonyos", "com.example.reader"),
        ("ios", "com.example.My-App"),
        ("ios", "com.example.app2"),
        ("iPadOS", "com.example.My-App"),
        ("watchOS", "com.example.My-App.watchkit"),
    ] {
        assert_silent(&check(&with_package(plat, pkg)), "APP-PACKAGE-FORMAT");
    }
}

// ---------------------------------------------------------------- APP-MD5-FORMAT

#[test]
fn md5_not_32_hex_digits_fires() {
    let path = format!("{P0}.md5");
    for bad in [
        "",
        "3fa29c117b60d4e2085ac19e44b72d6",   // 31
        "3fa29c117b60d4e2085ac19e44b72d6f0", // 33
        "3fa29c117b60d4e2085ac19e44b72d6g",
        "3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D",
        "3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D:6F:00",
        "3F A2 9C 11 7B 60 D4 E2 08 5A C1 9E 44 B7 2D 6F",
        ":3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D:6F",
        "3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D::6F",
    ] {
        assert_fires(
            &check(&with_md5(bad)),
            "APP-MD5-FORMAT",
            Severity::Block,
            &path,
        );
    }
}

#[test]
fn md5_32_hex_digits_with_or_without_colons_is_silent() {
    for ok in [
        "3fa29c117b60d4e2085ac19e44b72d6f",
        "3FA29C117B60D4E2085AC19E44B72D6F",
        "3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D:6F",
        "3FA2:9C11:7B60:D4E2:085A:C19E:44B7:2D6F",
        " 3fa29c117b60d4e2085ac19e44b72d6f ",
    ] {
        assert_silent(&check(&with_md5(ok)), "APP-MD5-FORMAT");
    }
}

// ---------------------------------------------------------------- APP-PUBLIC-KEY-FORMAT

#[test]
fn public_key_empty_or_not_key_material_fires() {
    let path = format!("{P0}.public_key");
    for bad in [
        "",
        "   ",
        "not a key!",
        "公钥",
        "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----",
        "AAAA",
    ] {
        assert_fires(
            &check(&with_key(bad)),
            "APP-PUBLIC-KEY-FORMAT",
            Severity::Block,
            &path,
        );
    }
}

#[test]
fn public_key_base64_pem_or_hex_is_silent() {
    let pem = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----";
    let hex = "b1a4c0ffee00112233445566778899aabbccddeeff00112233445566778899aa";
    for ok in [pem, hex, "0x00b1a4c0ffee00112233445566778899"] {
        assert_silent(&check(&with_key(ok)), "APP-PUBLIC-KEY-FORMAT");
    }
}
