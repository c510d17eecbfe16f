//! Filing numbers (备案号) of the subject and its sites: the grammar of
//! domain-research.md §4.3, the province abbreviation, the subject part of a site's
//! number, and the `A` suffix of apps (FILING-NUMBER-FORMAT).

use super::text::norm;
use super::{Context, Out, Severity, Subject, ids};
use crate::domain::SiteKind;

/// Common typos of the ICP abbreviation: the province's other short name written
/// instead (川 for 蜀 …). The grammar reads them as the right abbreviation; they warn.
const TYPOS: [(char, char); 4] = [('川', '蜀'), ('贵', '黔'), ('云', '滇'), ('甘', '陇')];

/// The ICP abbreviations of the 31 provinces (the grammar's first character).
const ABBREVIATIONS: &str = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝蜀黔滇藏陕陇青宁新";

/// A filing number read by the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingNumber {
    /// The abbreviation as the grammar reads it (typos corrected).
    pub province: char,
    /// The abbreviation was one of the common typos.
    pub typo: bool,
    /// The number without its service sequence (`京ICP备16020626号`).
    pub subject_part: String,
    /// Service sequence and kind suffix (`A` app, `X` mini-program, `K` quick app).
    pub sequence: Option<(u32, Option<char>)>,
}

fn digits(s: &str, min: usize, max: usize) -> Option<(&str, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    (min..=max).contains(&n).then(|| s.split_at(n))
}

/// Parse a filing number; `None` when it does not follow the grammar.
pub fn parse_filing_number(raw: &str) -> Option<FilingNumber> {
    let s: String = norm(raw).chars().filter(|c| !c.is_whitespace()).collect();
    let mut chars = s.chars();
    let written = chars.next()?;
    let (province, typo) = match TYPOS.iter().find(|(t, _)| *t == written) {
        Some((_, right)) => (*right, true),
        None => (written, false),
    };
    if !ABBREVIATIONS.contains(province) {
        return None;
    }
    let rest = chars.as_str();
    let after = if let Some(r) = rest.strip_prefix("ICP备") {
        let (_, r) = digits(r, 6, 10)?;
        r.strip_prefix('号')?
    } else if let Some(r) = rest.strip_prefix("ICP证") {
        let (_, r) = digits(r, 6, 6)?;
        r.strip_prefix('号')?
    } else if let Some(r) = rest.strip_prefix("B2-") {
        digits(r, 8, 8)?.1
    } else {
        return None;
    };
    let subject_len = s.len() - after.len();
    let subject_part = format!("{province}{}", &s[written.len_utf8()..subject_len]);
    let sequence = if after.is_empty() {
        None
    } else {
        let r = after.strip_prefix('-')?;
        let (seq, kind) = digits(r, 1, 5)?;
        if seq.starts_with('0') {
            return None;
        }
        let kind = match kind {
            "" => None,
            "A" | "X" | "K" => kind.chars().next(),
            _ => return None,
        };
        Some((seq.parse().ok()?, kind))
    };
    Some(FilingNumber {
        province,
        typo,
        subject_part,
        sequence,
    })
}

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let abbr = ctx
        .data
        .province(&o.subject.region.province)
        .and_then(|p| p.abbr.chars().next());
    let subject_number = o
        .subject
        .icp_number
        .as_deref()
        .filter(|n| !n.trim().is_empty());
    let subject_parsed = subject_number.map(|n| (n, parse_filing_number(n)));
    let mut numbers: Vec<(String, &str, Option<SiteKind>)> = Vec::new();
    if let Some(n) = subject_number {
        numbers.push(("subject.icp_number".into(), n, None));
    }
    for (i, site) in o.sites.iter().enumerate() {
        if let Some(n) = site.icp_number.as_deref().filter(|n| !n.trim().is_empty()) {
            numbers.push((format!("sites[{i}].icp_number"), n, Some(site.kind)));
        }
    }
    for (path, raw, kind) in numbers {
        let Some(n) = parse_filing_number(raw) else {
            out.push(
                ids::FILING_NUMBER_FORMAT,
                Severity::Block,
                path,
                "备案号格式不正确（应为“省简称ICP备数字号”，网站加“-序号”，APP加“-序号A”）。",
                "The filing number is malformed (province abbreviation + ICP备<digits>号, then -<n> for a site and -<n>A for an app).",
            );
            continue;
        };
        if let Some(a) = abbr
            && n.province != a
        {
            out.push(
                ids::FILING_NUMBER_FORMAT,
                Severity::Block,
                path.clone(),
                format!("备案号的省份简称“{}”不是备案省份的简称“{a}”。", n.province),
                format!(
                    "The filing number's province abbreviation {} is not the filing province's ({a}).",
                    n.province
                ),
            );
        } else if n.typo {
            out.push(
                ids::FILING_NUMBER_FORMAT,
                Severity::Warn,
                path.clone(),
                format!("备案号的省份简称应为“{}”（常见笔误），请核对。", n.province),
                format!(
                    "The province abbreviation is commonly mistyped: it should be {}; check the number.",
                    n.province
                ),
            );
        }
        let Some(kind) = kind else { continue };
        if let Some((_, Some(subject))) = &subject_parsed
            && subject.subject_part != n.subject_part
        {
            out.push(
                ids::FILING_NUMBER_FORMAT,
                Severity::Block,
                path.clone(),
                format!(
                    "网站备案号不属于本主体（主体备案号为{}）。",
                    subject.subject_part
                ),
                format!(
                    "The site's filing number belongs to another subject (this subject's is {}).",
                    subject.subject_part
                ),
            );
        }
        let app_suffix = matches!(n.sequence, Some((_, Some('A'))));
        match kind {
            SiteKind::App if !app_suffix => out.push(
                ids::FILING_NUMBER_FORMAT,
                Severity::Block,
                path,
                "APP的备案号应以“-序号A”结尾。",
                "An app's filing number ends in -<n>A.",
            ),
            SiteKind::Website if app_suffix => out.push(
                ids::FILING_NUMBER_FORMAT,
                Severity::Block,
                path,
                "网站的备案号不应带APP的“A”后缀。",
                "A website's filing number carries no app suffix A.",
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_reads_the_research_examples() {
        for ok in [
            "京ICP备16020626号-8",
            "辽ICP备2026010874号-2",
            "京ICP证030173号-1",
            "粤B2-20090059-1626X",
            "浙B2-20080224-1",
            "京ICP备04000001号-2A",
            "辽ICP备2020001234号",
        ] {
            assert!(parse_filing_number(ok).is_some(), "{ok}");
        }
        for bad in [
            "ICP备16020626号",
            "京ICP备123号",
            "京ICP备16020626",
            "京ICP备16020626号-0",
            "京ICP备16020626号-1B",
            "港ICP备16020626号",
            "京B2-2009005-1",
        ] {
            assert!(parse_filing_number(bad).is_none(), "{bad}");
        }
        let n = parse_filing_number("川ICP备2021012345号-3").unwrap();
        assert_eq!((n.province, n.typo), ('蜀', true));
        assert_eq!(n.subject_part, "蜀ICP备2021012345号");
    }
}
