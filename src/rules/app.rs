//! App filings: icon size, platform, package, MD5, public key.

use super::{Context, MaterialState, Out, Severity, Subject, at, ids};
use crate::domain::SiteKind;
use base64::Engine;

/// One segment of an Android / HarmonyOS package name: a letter, then letters, digits, `_`.
fn java_identifier(seg: &str) -> bool {
    let mut chars = seg.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Apple platforms, whose bundle identifiers allow `-`.
fn apple_platform(plat: &str) -> bool {
    ["ios", "ipados", "macos", "tvos", "watchos"]
        .iter()
        .any(|a| plat.contains(a))
}

/// Android / HarmonyOS package or iOS bundle identifier: 2+ dot-separated segments.
pub fn valid_package(p: &str, ios: bool) -> bool {
    let segs: Vec<&str> = p.split('.').collect();
    segs.len() >= 2
        && p.len() <= 255
        && segs.iter().all(|s| {
            if ios {
                !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            } else {
                java_identifier(s)
            }
        })
}

/// 32 hex digits; colons may separate groups of digits (`3F:A2:…`, `3FA2:9C11:…`), but
/// not start, end or repeat.
pub fn valid_md5(s: &str) -> bool {
    let groups: Vec<&str> = s.trim().split(':').collect();
    if groups.iter().any(|g| g.is_empty()) {
        return false;
    }
    let hex = groups.concat();
    hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Base64 (PEM armour allowed) or hex key material of at least 16 bytes.
pub fn valid_public_key(s: &str) -> bool {
    let body: String = s
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    if body.is_empty() {
        return false;
    }
    let hex = body.strip_prefix("0x").unwrap_or(&body);
    if hex.len() >= 32 && hex.len().is_multiple_of(2) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return true;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&body)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&body));
    decoded.is_ok_and(|d| d.len() >= 16)
}

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    if o.filing_type.is_cancel() {
        return;
    }
    let apps = &ctx.data.app;
    for (i, site) in o.sites.iter().enumerate() {
        if site.kind != SiteKind::App {
            continue;
        }
        let Some(app) = &site.app else { continue };
        if let Some(icon) = app.icon_material.as_deref()
            && let Some((k, _)) = o.material(icon)
            && let MaterialState::Inspected(ins) = s.material_state(k)
            && ins.size > ctx.data.limits.icon_max_bytes
        {
            out.push(
                ids::APP_ICON_TOO_LARGE,
                Severity::Block,
                format!("materials[{k}]"),
                format!(
                    "APP图标为{:.0}KB，超过{}KB上限。",
                    ins.size as f64 / 1024.0,
                    ctx.data.limits.icon_max_bytes / 1024
                ),
                format!(
                    "The app icon is {:.0} KB, over the {} KB limit.",
                    ins.size as f64 / 1024.0,
                    ctx.data.limits.icon_max_bytes / 1024
                ),
            );
        }
        for (k, p) in app.platforms.iter().enumerate() {
            let path = at("sites", i).then("app.platforms", k);
            let plat = p.platform.trim().to_lowercase();
            let runtime = apps.runtimes.contains(&plat);
            let store = !runtime
                && (apps.stores.contains(&plat)
                    || apps.store_markers.iter().any(|m| plat.contains(m.as_str())));
            if store {
                let shown = crate::domain::safe::sanitize(&p.platform).into_owned();
                out.push(ids::APP_PLATFORM_NOT_RUNTIME, Severity::Block, format!("{path}.platform"),
                    format!("平台应填写运行平台（安卓、iOS、鸿蒙等），“{shown}”是应用分发市场。"),
                    format!("The platform must be a runtime (Android, iOS, HarmonyOS…); {shown:?} is an app market."));
            }
            if !valid_package(p.package.trim(), apple_platform(&plat)) {
                out.push(
                    ids::APP_PACKAGE_FORMAT,
                    Severity::Block,
                    format!("{path}.package"),
                    "APP包名格式不正确（应为com.example.app形式）。",
                    "The package / bundle id is not valid (expected a form like com.example.app).",
                );
            }
            if !valid_md5(&p.md5) {
                out.push(
                    ids::APP_MD5_FORMAT,
                    Severity::Block,
                    format!("{path}.md5"),
                    "签名MD5须为32位十六进制数（可用冒号分隔）。",
                    "The signing MD5 must be 32 hex digits (colons allowed).",
                );
            }
            if !valid_public_key(&p.public_key) {
                out.push(
                    ids::APP_PUBLIC_KEY_FORMAT,
                    Severity::Block,
                    format!("{path}.public_key"),
                    "APP公钥为空或不是有效的Base64/十六进制密钥。",
                    "The public key is empty or not valid base64/hex key material.",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(valid_package("cn.beichenyun.reader", false));
        assert!(!valid_package("reader", false));
        assert!(!valid_package("cn.1abc.reader", false));
        assert!(valid_package("com.example.My-App", true));
        assert!(valid_md5("3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D:6F"));
        assert!(valid_md5("3fa29c117b60d4e2085ac19e44b72d6f"));
        assert!(!valid_md5("3fa29c117b60d4e2085ac19e44b72d6"));
        assert!(valid_md5("3FA2:9C11:7B60:D4E2:085A:C19E:44B7:2D6F"));
        assert!(!valid_md5(
            "3F:A2:9C:11:7B:60:D4:E2:08:5A:C1:9E:44:B7:2D::6F"
        ));
        assert!(valid_public_key(
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo"
        ));
        assert!(!valid_public_key(""));
        assert!(!valid_public_key("not a key!"));
    }
}
