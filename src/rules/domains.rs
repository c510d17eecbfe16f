//! Domains: format, duplicates, holder, expiry, TLD.

use super::data::{Confidence, TldScope};
use super::identity::severity;
use super::text::same_name;
use super::{Context, Out, Severity, Subject, at, ids};
use crate::domain::{FilingType, Nature, SiteKind};
use jiff::ToSpan;

/// A domain as filed, normalised to ASCII lower case; `None` when it is not a valid name.
pub(super) fn ascii_domain(name: &str) -> Option<String> {
    let n = name.trim();
    if n.is_empty() || n.contains(['/', ':', ' ', '@', '?', '#']) || n.ends_with('.') {
        return None;
    }
    let ascii = idna::domain_to_ascii(n).ok()?;
    if ascii.len() > 253 {
        return None;
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    // An all-digit last label is no TLD: `1.2.3.4` is an IP address, not a domain.
    let numeric_tld = labels
        .last()
        .is_some_and(|t| t.bytes().all(|b| b.is_ascii_digit()));
    (labels.len() >= 2
        && !numeric_tld
        && labels
            .iter()
            .all(|l| crate::domain::person::is_ldh_label(l)))
    .then_some(ascii)
}

/// The suffixes public-sector domains should end in (《互联网政务应用安全管理规定》):
/// public institutions `.cn` / `.公益`, government bodies `.gov.cn` / `.政务`.
fn gov_suffix_problem(nature: Nature, ascii: &str) -> Option<(&'static str, &'static str)> {
    // Punycode of .公益 and .政务.
    const GONGYI: &str = ".xn--55qw42g";
    const ZHENGWU: &str = ".xn--zfr164b";
    match nature {
        Nature::PublicInstitution if !(ascii.ends_with(".cn") || ascii.ends_with(GONGYI)) => {
            Some((
                "事业单位新备案的域名应以.cn或.公益结尾，请核实。",
                "A public institution's new domain should end in .cn or .公益: check it.",
            ))
        }
        Nature::Government if !(ascii.ends_with(".gov.cn") || ascii.ends_with(ZHENGWU)) => Some((
            "党政机关新备案的域名应以.gov.cn或.政务结尾，请核实。",
            "A government body's new domain should end in .gov.cn or .政务: check it.",
        )),
        _ => None,
    }
}

fn tld(ascii: &str) -> &str {
    ascii.rsplit('.').next().unwrap_or(ascii)
}

/// Is `ascii` a name an applicant may file: the registrable domain (websites), or up to
/// two labels below it (apps)?
fn registrable_ok(ascii: &str, kind: SiteKind) -> bool {
    let Some(suffix) = psl::suffix(ascii.as_bytes()) else {
        return false;
    };
    if !suffix.is_known() {
        // Unknown TLDs are DOMAIN-TLD-NOT-APPROVED's business; the shape is fine.
        return ascii.split('.').count() >= 2;
    }
    let Some(reg) = psl::domain(ascii.as_bytes()) else {
        return false;
    };
    let extra = ascii.split('.').count() - reg.as_bytes().split(|b| *b == b'.').count();
    match kind {
        SiteKind::Website => extra == 0,
        SiteKind::App => extra <= 2,
    }
}

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    if o.filing_type.is_cancel() {
        return;
    }
    let today = o.reference_date();
    let limit = today.checked_add(3.months()).unwrap_or(today);
    let province = ctx.data.province(&o.subject.region.province);
    let legal_rep = o.legal_representative();
    let mut seen: rustc_hash::FxHashSet<String> = Default::default();
    for (i, site) in o.sites.iter().enumerate() {
        for (j, d) in site.domains.iter().enumerate() {
            let path = at("sites", i).then("domains", j);
            let raw = d.name.trim();
            let lower = raw.to_lowercase();
            let www = lower.starts_with("www.");
            if www {
                out.push(
                    ids::DOMAIN_WWW,
                    Severity::Block,
                    format!("{path}.name"),
                    "域名请填写不带“www.”的主域名。",
                    "Enter the domain without the www. prefix.",
                );
            }
            let ascii = ascii_domain(raw);
            match &ascii {
                None => out.push(ids::DOMAIN_FORMAT, Severity::Block, format!("{path}.name"),
                    "域名格式不正确（只能含字母、数字、连字符，不含协议、路径或端口）。",
                    "The domain is not a valid name (letters, digits and hyphens only; no scheme, path or port)."),
                Some(a) => {
                    let check = if www { a.strip_prefix("www.").unwrap_or(a) } else { a.as_str() };
                    if !registrable_ok(check, site.kind) {
                        let (zh, en) = match site.kind {
                            SiteKind::Website => ("网站须填写可注册的主域名，不能是子域名或公共后缀。", "A website files its registrable domain, not a sub-domain or a public suffix."),
                            SiteKind::App => ("APP域名须为可注册域名或其下不超过两级的子域名。", "An app lists registrable domains or names at most two levels below them."),
                        };
                        out.push(ids::DOMAIN_FORMAT, Severity::Block, format!("{path}.name"), zh, en);
                    }
                }
            }
            let key = ascii.clone().unwrap_or_else(|| lower.clone());
            if seen.contains(&key) {
                out.push(
                    ids::DOMAIN_DUPLICATE,
                    Severity::Block,
                    format!("{path}.name"),
                    "同一域名在订单中出现了两次。",
                    "This domain appears twice in the order.",
                );
            } else {
                seen.insert(key);
            }

            // Holder
            let holder = d.holder.trim();
            let subject_ok = same_name(holder, &o.subject.name)
                || (o.subject.nature == Nature::Individual
                    && same_name(holder, &o.subject.leader.name));
            let by_legal_rep = o.subject.nature.is_organisation()
                && legal_rep.is_some_and(|lr| same_name(holder, &lr.name));
            // DOMAIN-HOLDER-MISMATCH (v2): a domain held by the legal representative
            // passes only where the province's data accepts that as a current fact; an
            // old or uncertain acceptance warns; no data, or a refusal, blocks. A refusal
            // in the data also fires PROV-DOMAIN-HOLDER-LEGALREP: one rule never
            // silences another.
            let acceptance = province.and_then(|p| p.domain_holder_legalrep.as_ref());
            if !subject_ok {
                let pname = province.map_or("本省", |p| p.name.as_str());
                let pname_en = province.map_or("this province", |p| p.name_en.as_str());
                match (by_legal_rep, acceptance) {
                    (false, _) => out.push(ids::DOMAIN_HOLDER_MISMATCH, Severity::Block, format!("{path}.holder"),
                        "域名实名持有者与主办单位名称不一致，请先办理域名过户或更换域名。",
                        "The domain's real-name holder is not the subject; transfer the domain or use another one."),
                    (true, Some(f)) if f.value && f.confidence == Confidence::Current => {}
                    (true, Some(f)) if f.value => out.push(ids::DOMAIN_HOLDER_MISMATCH, Severity::Warn, format!("{path}.holder"),
                        format!("域名由法定代表人持有；{pname}接受法定代表人持有域名的资料较旧或未经确认，请核实。"),
                        format!("The domain is held by the legal representative; that {pname_en} accepts this is an old or unconfirmed fact: check it.")),
                    (true, Some(_)) => out.push(ids::DOMAIN_HOLDER_MISMATCH, Severity::Block, format!("{path}.holder"),
                        format!("域名由法定代表人持有，{pname}要求域名持有者为单位本身，请将域名过户到单位名下。"),
                        format!("The domain is held by the legal representative and {pname_en} requires the organisation itself to hold it: transfer the domain.")),
                    (true, None) => out.push(ids::DOMAIN_HOLDER_MISMATCH, Severity::Block, format!("{path}.holder"),
                        format!("域名由法定代表人持有，而{pname}是否接受法定代表人持有域名没有资料，须由单位持有，请将域名过户到单位名下。"),
                        format!("The domain is held by the legal representative, and there is no data that {pname_en} accepts that: the organisation must hold it.")),
                }
            }
            if !subject_ok
                && by_legal_rep
                && let Some(f) = acceptance.filter(|f| !f.value)
            {
                out.push(ids::PROV_DOMAIN_HOLDER_LEGALREP, severity(f.confidence), format!("{path}.holder"),
                    format!("{}管局要求域名持有者为单位本身，不接受法定代表人持有。", province.map_or("", |p| p.name.as_str())),
                    "This province requires the organisation itself to hold the domain, not its legal representative.");
            }

            if d.expires_on < limit {
                let (zh, en) = if d.expires_on < today {
                    ("已过期", "has expired")
                } else {
                    ("有效期不足三个月", "expires within three months")
                };
                out.push(
                    ids::DOMAIN_EXPIRES_SOON,
                    Severity::Block,
                    format!("{path}.expires_on"),
                    format!("域名{zh}（到期日{}），请续费后再提交。", d.expires_on),
                    format!(
                        "The domain {en} (expires {}); renew it first.",
                        d.expires_on
                    ),
                );
            }

            if let Some(a) = &ascii {
                if a.ends_with(".gov.cn") && a.split('.').count() >= 3 {
                    out.push(ids::DOMAIN_GOV_NO_FILING, Severity::Warn, format!("{path}.name"),
                        "gov.cn下的三级域名通常无需单独备案（重庆管局明确），请确认。",
                        "Third-level gov.cn domains usually need no filing of their own (Chongqing says so); confirm.");
                }
                // DOMAIN-GOV-SUFFIX
                if matches!(
                    o.filing_type,
                    FilingType::NewFiling | FilingType::NewSite | FilingType::NewAccess
                ) && let Some((zh, en)) = gov_suffix_problem(o.subject.nature, a)
                {
                    out.push(
                        ids::DOMAIN_GOV_SUFFIX,
                        Severity::Warn,
                        format!("{path}.name"),
                        zh,
                        en,
                    );
                }
                let t = tld(a);
                if !ctx.data.tlds.contains(t) {
                    let shown = idna::domain_to_unicode(t).0;
                    out.push(
                        ids::DOMAIN_TLD_NOT_APPROVED,
                        Severity::Block,
                        format!("{path}.name"),
                        format!("域名后缀“.{shown}”不在工信部批准可备案的后缀名单中。"),
                        format!("The TLD .{shown} is not on the list approved for filing."),
                    );
                }
                if t == "org"
                    && let Some(p) = province
                    && let Some(f) = &p.org_tld_forbidden
                    && (f.value == TldScope::All || o.subject.nature == Nature::Individual)
                {
                    out.push(
                        ids::PROV_ORG_TLD,
                        severity(f.confidence),
                        format!("{path}.name"),
                        format!("{}管局不接受.org域名备案。", p.name),
                        format!("{} does not accept .org domains.", p.name_en),
                    );
                }
            }
        }
    }
}
