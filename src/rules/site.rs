//! Sites and apps: pre-approvals, names, IP addresses, languages.

use super::identity::person_name;
use super::text::{contains_ci, contains_domain, domain_tokens, find_word, is_han, norm};
use super::{Context, Out, Severity, Subject, at, ids};
use crate::domain::{ContentCategory, Nature, Site};
use std::net::IpAddr;

/// Content categories needing a pre-approval for this order's province.
fn needs_preapproval(ctx: &Context<'_>, province: &str, c: ContentCategory) -> bool {
    c != ContentCategory::None
        && (ctx.data.preapproval.required.contains(&c)
            || ctx
                .data
                .province(province)
                .is_some_and(|p| p.extra_preapproval.contains(&c)))
}

fn has_preapproval(site: &Site, c: ContentCategory) -> bool {
    site.pre_approvals.iter().any(|p| p.category == c)
}

/// Reserved, private, documentation and other non-public addresses.
pub fn is_public_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            let o = v.octets();
            !(v.is_unspecified()
                || v.is_loopback()
                || v.is_private()
                || v.is_link_local()
                || v.is_broadcast()
                || v.is_documentation()
                || v.is_multicast()
                || o[0] == 0
                || o[0] >= 240
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || (o[0] == 198 && (18..20).contains(&o[1])))
        }
        IpAddr::V6(v) => {
            let s = v.segments();
            // Public IPv6 unicast is 2000::/3 (global unicast); the rest is reserved.
            !((s[0] & 0xe000) != 0x2000
                || v.is_unspecified()
                || v.is_loopback()
                || v.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || v.to_ipv4_mapped().is_some())
        }
    }
}

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    if o.filing_type.is_cancel() {
        return;
    }
    let nature = o.subject.nature;
    let province = &o.subject.region.province;
    let naming = &ctx.data.naming;
    let any_finance_approval = o
        .sites
        .iter()
        .any(|s| has_preapproval(s, ContentCategory::Finance));

    if let Some(w) = find_word(&norm(&o.subject.name), &naming.finance_words)
        && !any_finance_approval
    {
        out.push(ids::SITE_FINANCE_WORDS, Severity::Block, "subject.name",
            format!("主办单位名称含金融字样“{w}”，须提供金融监管部门的前置审批。"),
            format!("The subject name contains the finance term {w}: a finance pre-approval is required."));
    }

    for (i, site) in o.sites.iter().enumerate() {
        // Pre-approvals
        for (k, &c) in site.content_categories.iter().enumerate() {
            if !needs_preapproval(ctx, province, c) {
                continue;
            }
            let path = at("sites", i).then("content_categories", k);
            let ok = site.pre_approvals.iter().any(|p| {
                p.category == c
                    && !p.number.trim().is_empty()
                    && o.material(p.material.trim()).is_some()
            });
            if !ok {
                out.push(ids::SITE_PREAPPROVAL_MISSING, Severity::Block, path,
                    format!("网站涉及“{}”，须填写前置审批号并上传审批文件。", c.zh()),
                    format!("The site offers {} content: enter the pre-approval number and upload the document.", c.en()));
            }
            if nature == Nature::Individual {
                out.push(ids::SITE_PREAPPROVAL_INDIVIDUAL, Severity::Block, path,
                    format!("个人不能备案涉及“{}”等前置审批内容的网站，请以单位主体备案。", c.zh()),
                    format!("Individuals cannot file {} content, which needs a pre-approval; file as an organisation.", c.en()));
            }
        }

        // SITE-PREAPPROVAL-ENTRY: every entry names a number and one of the site's
        // categories, once.
        for (k, pa) in site.pre_approvals.iter().enumerate() {
            let path = at("sites", i).then("pre_approvals", k);
            if pa.number.trim().is_empty() {
                out.push(
                    ids::SITE_PREAPPROVAL_ENTRY,
                    Severity::Block,
                    format!("{path}.number"),
                    "前置审批未填写审批文号。",
                    "The pre-approval entry has no approval number.",
                );
            }
            if !site.content_categories.contains(&pa.category) {
                out.push(ids::SITE_PREAPPROVAL_ENTRY, Severity::Block, format!("{path}.category"),
                    format!("前置审批类别“{}”不在该网站所选的内容类别中。", pa.category.zh()),
                    format!("The pre-approval names the category {}, which is not among the site's content categories.", pa.category.en()));
            } else if site.pre_approvals[..k]
                .iter()
                .any(|x| x.category == pa.category)
            {
                out.push(
                    ids::SITE_PREAPPROVAL_ENTRY,
                    Severity::Block,
                    format!("{path}.category"),
                    format!("同一类别“{}”填写了两条前置审批。", pa.category.zh()),
                    format!(
                        "Two pre-approval entries name the category {}.",
                        pa.category.en()
                    ),
                );
            }
        }

        let name_path = at("sites", i).field("name");
        let name = norm(&site.name);

        // SITE-NAME-FORMAT
        // Only counted characters decide "only digits" / "only letters": `A-B` is letters only.
        let counted: Vec<char> = name
            .chars()
            .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
            .collect();
        let symbol = name.chars().find(|c| {
            !(is_han(*c)
                || c.is_ascii_alphanumeric()
                || matches!(c, '(' | ')' | '（' | '）' | '-' | ' '))
        });
        let letters_only = counted.iter().all(char::is_ascii_alphabetic);
        let digits_only = counted.iter().all(char::is_ascii_digit);
        let counted = counted.len();
        let problem = if let Some(c) = symbol {
            let shown = crate::domain::safe::sanitize(&c.to_string()).into_owned();
            Some((
                format!("含有不允许的符号“{shown}”"),
                format!("contains the symbol {shown:?}"),
            ))
        } else if counted < 3 {
            Some((
                "有效字符少于3个".to_string(),
                "has fewer than 3 counted characters".to_string(),
            ))
        } else if digits_only {
            Some(("不能为纯数字".to_string(), "is only digits".to_string()))
        } else if letters_only {
            Some((
                "不能为纯英文字母".to_string(),
                "is only Latin letters".to_string(),
            ))
        } else {
            None
        };
        if let Some((zh, en)) = problem {
            out.push(
                ids::SITE_NAME_FORMAT,
                Severity::Block,
                name_path,
                format!("网站名称{zh}。"),
                format!("The site name {en}."),
            );
        }

        // SITE-NAME-DOMAIN
        let lower = name.to_lowercase();
        // A listed domain as entered, in Unicode or in punycode (IDNs may be written either way).
        let listed = site.domains.iter().any(|d| {
            let d = d.name.trim().to_lowercase();
            let ascii = idna::domain_to_ascii(&d).unwrap_or_default();
            let unicode = idna::domain_to_unicode(&ascii).0;
            [d, ascii, unicode].iter().any(|d| {
                !d.is_empty()
                    && (lower.contains(d.as_str()) || lower == d.split('.').next().unwrap_or(""))
            })
        });
        if listed
            || domain_tokens(&lower).next().is_some()
            || contains_domain(&site.name, &ctx.data.tlds)
        {
            out.push(
                ids::SITE_NAME_DOMAIN,
                Severity::Block,
                name_path,
                "网站名称不能是域名或包含域名。",
                "The site name must not be or contain a domain name.",
            );
        }

        if nature != Nature::Government {
            if let Some(p) = naming
                .national_prefixes
                .iter()
                .find(|p| name.starts_with(p.as_str()))
            {
                out.push(
                    ids::SITE_NAME_NATIONAL,
                    Severity::Block,
                    name_path,
                    format!("非国家机关的网站名称不能以“{p}”开头。"),
                    format!("Only government bodies may start a site name with {p}."),
                );
            }
            if let Some(w) = find_word(&name, &naming.public_affairs_words) {
                out.push(ids::SITE_NAME_PUBLIC_AFFAIRS, Severity::Block, name_path,
                    format!("非政府机构的网站名称不能含“{w}”等公共事务字样。"),
                    format!("A non-government site name must not contain public-affairs words such as {w}."));
            }
        }
        if let Some(w) = find_word(&name, &naming.sensitive_words) {
            out.push(
                ids::SITE_NAME_SENSITIVE,
                Severity::Block,
                name_path,
                format!("网站名称含敏感词“{w}”。"),
                format!("The site name contains the sensitive word {w}."),
            );
        }

        // SITE-NAME-PREAPPROVAL-WORD: the strongest unmatched category word.
        let mut worst: Option<(Severity, &str)> = None;
        let any_category_word = ctx.data.category_matcher.find(&name).is_some();
        for cw in naming.category_words.iter().filter(|_| any_category_word) {
            if !contains_ci(&name, &cw.word) {
                continue;
            }
            let covered = cw.category.is_some_and(|c| has_preapproval(site, c));
            if covered {
                continue;
            }
            let sev = if cw.legacy || cw.category.is_none() {
                Severity::Warn
            } else {
                Severity::Block
            };
            if worst.is_none_or(|(w, _)| sev < w) {
                worst = Some((sev, &cw.word));
            }
        }
        if let Some((sev, w)) = worst {
            out.push(ids::SITE_NAME_PREAPPROVAL_WORD, sev, name_path,
                format!("网站名称含“{w}”，涉及需前置审批的内容，请提供审批文件或修改名称。"),
                format!("The site name contains {w}, which implies content needing a pre-approval: provide it or rename."));
        }

        if let Some(w) = find_word(&name, &naming.finance_words)
            && !has_preapproval(site, ContentCategory::Finance)
        {
            out.push(ids::SITE_FINANCE_WORDS, Severity::Block, name_path,
                format!("网站名称含金融字样“{w}”，须提供金融前置审批。"),
                format!("The site name contains the finance term {w}: a finance pre-approval is required."));
        }

        if nature == Nature::Individual {
            if let Some(w) = find_word(&name, &naming.individual_company_words) {
                out.push(
                    ids::SITE_NAME_INDIVIDUAL,
                    Severity::Block,
                    name_path,
                    format!("个人网站名称不能含“{w}”等企业字样。"),
                    format!(
                        "An individual's site name must not contain company words such as {w}."
                    ),
                );
            } else if let Some(w) = find_word(&name, &naming.individual_soft_words) {
                out.push(ids::SITE_NAME_INDIVIDUAL, Severity::Warn, name_path,
                    format!("个人网站名称含“{w}”，带有经营或组织色彩，请结合内容判断。"),
                    format!("An individual's site name contains {w}, which sounds commercial or organisational: judge by the content."));
            }
            let names = [person_name(o), Some(norm(&o.subject.name))];
            if let Some(n) = names
                .iter()
                .flatten()
                .find(|n| n.chars().count() >= 2 && name.contains(n.as_str()))
            {
                let _ = n;
                out.push(
                    ids::SITE_NAME_PERSON,
                    Severity::Block,
                    name_path,
                    "个人网站名称不能使用本人姓名。",
                    "An individual's site name must not contain the person's own name.",
                );
            }
        }

        // IPs
        for (k, ip) in site.ips.iter().enumerate() {
            let path = at("sites", i).then("ips", k);
            match ip.trim().parse::<IpAddr>() {
                Ok(addr) if is_public_ip(addr) => {
                    let ranges = &ctx.provider.ip_ranges;
                    if !ranges.is_empty() && !ranges.iter().any(|r| r.contains(addr)) {
                        out.push(
                            ids::SITE_IP_NOT_PROVIDER,
                            Severity::Block,
                            path,
                            "备案IP不属于本接入商的IP地址段。",
                            "The IP is outside the provider's own address ranges.",
                        );
                    }
                }
                _ => out.push(
                    ids::SITE_IP_FORMAT,
                    Severity::Block,
                    path,
                    "IP地址不是有效的公网IPv4/IPv6地址。",
                    "The IP is not a valid public IPv4/IPv6 address.",
                ),
            }
        }

        let mut langs: Vec<String> = site
            .languages
            .iter()
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty())
            .collect();
        langs.sort();
        langs.dedup();
        if langs.len() > 1 {
            out.push(
                ids::SITE_LANGUAGES_MANY,
                Severity::Warn,
                format!("sites[{i}].languages"),
                "选择了多种网站语言，一般只需选择主要语言，请确认。",
                "Several languages are selected; the guide advises choosing the main one.",
            );
        }
    }
}
