//! Text helpers shared by the naming rules.

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalised, trimmed text (full-width letters and brackets become ASCII).
pub fn norm(s: &str) -> String {
    if s.is_ascii() {
        return s.trim().to_string();
    }
    s.nfkc().collect::<String>().trim().to_string()
}

/// Names compared as the registry would: NFKC, whitespace removed.
pub fn same_name(a: &str, b: &str) -> bool {
    let strip = |s: &str| -> String { norm(s).chars().filter(|c| !c.is_whitespace()).collect() };
    let (a, b) = (strip(a), strip(b));
    !a.is_empty() && a == b
}

/// The first word of `words` that `s` contains (case-insensitive for ASCII words).
pub fn find_word<'w>(s: &str, words: &'w [String]) -> Option<&'w str> {
    words.iter().map(String::as_str).find(|w| contains_ci(s, w))
}

/// `haystack` contains `needle`, ignoring ASCII case.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    if needle.bytes().any(|b| b.is_ascii_alphabetic()) {
        haystack.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())
    } else {
        haystack.contains(needle)
    }
}

/// A Han ideograph (CJK unified ideographs and extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF | 0x30000..=0x3134F | 0x3007)
}

/// Looks like a domain name: `label(.label)+` ending in an alphabetic label of 2+ letters.
pub fn looks_like_domain(s: &str) -> bool {
    let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| crate::domain::person::is_ldh_label(l))
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Tokens in `s` that look like domain names (`label.tld` runs of ASCII).
pub fn domain_tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .filter(|t| t.contains('.') && looks_like_domain(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(norm("（深圳）"), "(深圳)");
        assert!(same_name("深圳市凌云（深圳）有限公司", "深圳市凌云(深圳)有限公司"));
        assert!(!same_name("", ""));
        assert!(looks_like_domain("lingyun-data.cn"));
        assert!(!looks_like_domain("凌云.数据"));
        assert_eq!(domain_tokens("访问abc.com官网").collect::<Vec<_>>(), vec!["abc.com"]);
        assert!(contains_ci("Best P2P site", "p2p"));
    }
}
