//! Text helpers shared by the naming rules.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// NFKC-normalised, trimmed text (full-width letters and brackets become ASCII).
pub fn norm(s: &str) -> String {
    if s.chars().all(nfkc_stable) || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        return s.trim().to_string();
    }
    s.nfkc().collect::<String>().trim().to_string()
}

/// A word list matched in one pass (Aho-Corasick, ASCII case-insensitive).
#[derive(Debug, Clone)]
pub struct WordList {
    words: Vec<String>,
    matcher: AhoCorasick,
}

impl WordList {
    pub fn new(words: Vec<String>) -> Result<Self, String> {
        let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostFirst)
            .build(&words)
            .map_err(|e| e.to_string())?;
        Ok(WordList { words, matcher })
    }

    /// The leftmost word of the list found in `s`.
    pub fn find(&self, s: &str) -> Option<&str> {
        self.matcher
            .find(s)
            .map(|m| self.words[m.pattern().as_usize()].as_str())
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }
}

impl<'de> serde::Deserialize<'de> for WordList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WordList::new(Vec::<String>::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Characters NFKC leaves alone (ASCII and the common CJK blocks): the fast path.
fn nfkc_stable(c: char) -> bool {
    c.is_ascii() || matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

/// Names compared as the registry would: NFKC, whitespace removed.
pub fn same_name(a: &str, b: &str) -> bool {
    if a.chars().all(nfkc_stable) && b.chars().all(nfkc_stable) {
        let mut x = a.chars().filter(|c| !c.is_whitespace()).peekable();
        let y = b.chars().filter(|c| !c.is_whitespace());
        return x.peek().is_some() && x.eq(y);
    }
    let strip = |s: &str| -> String { norm(s).chars().filter(|c| !c.is_whitespace()).collect() };
    let (a, b) = (strip(a), strip(b));
    !a.is_empty() && a == b
}

/// The leftmost word of `words` that `s` contains (case-insensitive for ASCII words).
pub fn find_word<'w>(s: &str, words: &'w WordList) -> Option<&'w str> {
    words.find(s)
}

/// `haystack` contains `needle`, ignoring ASCII case.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    if needle.bytes().any(|b| b.is_ascii_alphabetic()) {
        haystack
            .to_ascii_lowercase()
            .contains(&needle.to_ascii_lowercase())
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
        && labels
            .iter()
            .all(|l| crate::domain::person::is_ldh_label(l))
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Any character NFKC or IDNA reads as a label separator: without one, no domain.
fn has_dot(s: &str) -> bool {
    s.contains(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'])
}

/// Text prepared for domain matching: NFKC, lower case, the ideographic full stop read
/// as a dot (IDNA does the same), a scheme and a trailing slash dropped.
fn domain_text(s: &str) -> String {
    let t = norm(s).to_lowercase().replace('\u{3002}', ".");
    let t = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"))
        .unwrap_or(&t);
    t.trim_end_matches('/').to_string()
}

/// The whole of `s` is a domain name the domain rules would accept as one (rules.md v2,
/// NAME-NOT-EXACT): ASCII or internationalised labels under an approved TLD (`tlds`,
/// ASCII/punycode), with or without `www.` or a scheme.
pub fn is_domain_name(s: &str, tlds: &rustc_hash::FxHashSet<String>) -> bool {
    if !has_dot(s) {
        return false;
    }
    let t = domain_text(s);
    if t.is_empty() || t.contains(char::is_whitespace) || !t.contains('.') {
        return false;
    }
    let Ok(ascii) = idna::domain_to_ascii(&t) else {
        return false;
    };
    let labels: Vec<&str> = ascii.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| crate::domain::person::is_ldh_label(l))
        && labels.last().is_some_and(|tld| tlds.contains(*tld))
}

/// `s` contains a domain name anywhere (rules.md v2, SITE-NAME-DOMAIN): a label of
/// letters, digits, hyphens or Chinese characters, a dot, and an approved TLD, ASCII
/// (`鹭江数码.com`) or Chinese-script (`鹭江数码.中国`), whatever text follows it.
pub fn contains_domain(s: &str, tlds: &rustc_hash::FxHashSet<String>) -> bool {
    if !has_dot(s) {
        return false;
    }
    let t: Vec<char> = domain_text(s).chars().collect();
    let label_char = |c: char| c.is_alphanumeric() || c == '-';
    for (i, c) in t.iter().enumerate() {
        if *c != '.' || i == 0 || !label_char(t[i - 1]) {
            continue;
        }
        let after = &t[i + 1..];
        let ascii: String = after
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
            .collect();
        if !ascii.is_empty() {
            if tlds.contains(&ascii) {
                return true;
            }
            continue;
        }
        let han: Vec<char> = after
            .iter()
            .take_while(|c| is_han(**c))
            .take(8)
            .copied()
            .collect();
        for n in 1..=han.len() {
            let candidate: String = han[..n].iter().collect();
            if idna::domain_to_ascii(&candidate).is_ok_and(|a| tlds.contains(&a)) {
                return true;
            }
        }
    }
    false
}

/// Tokens in `s` that look like domain names: `label.tld` runs of ASCII, and names whose
/// last label starts with a Chinese-script TLD (`例子.中国`, `凌云.网络`).
pub fn domain_tokens(s: &str) -> impl Iterator<Item = &str> {
    let ascii = s
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .filter(|t| t.contains('.') && looks_like_domain(t));
    let idn = s
        .split(|c: char| !(c.is_ascii_alphanumeric() || is_han(c) || c == '.' || c == '-'))
        .filter(|t| ends_in_han_tld(t));
    ascii.chain(idn)
}

/// `label.TLD…` where TLD is a Chinese-script top-level domain of the Public Suffix List
/// (IDN TLDs are looked up in punycode) and the text after it is anything Han.
fn ends_in_han_tld(t: &str) -> bool {
    let Some((head, tail)) = t.rsplit_once('.') else {
        return false;
    };
    if head.rsplit('.').next().is_none_or(str::is_empty) {
        return false;
    }
    let run: Vec<char> = tail.chars().take_while(|c| is_han(*c)).collect();
    (1..=run.len()).any(|n| {
        let tld: String = run[..n].iter().collect();
        idna::domain_to_ascii(&tld).is_ok_and(|a| {
            psl::suffix(a.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == a.as_bytes())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(norm("（深圳）"), "(深圳)");
        assert!(same_name(
            "深圳市凌云（深圳）有限公司",
            "深圳市凌云(深圳)有限公司"
        ));
        assert!(!same_name("", ""));
        assert!(looks_like_domain("lingyun-data.cn"));
        assert!(!looks_like_domain("凌云.数据"));
        assert_eq!(
            domain_tokens("访问abc.com官网").collect::<Vec<_>>(),
            vec!["abc.com"]
        );
        assert_eq!(domain_tokens("访问例子.中国官网").count(), 1);
        assert_eq!(domain_tokens("凌云.数据").count(), 0);
        assert!(contains_ci("Best P2P site", "p2p"));
    }
}
