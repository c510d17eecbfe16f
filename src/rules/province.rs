//! Province rules: data in assets/rules/provinces.toml, not code.
//! (PROV-DOMAIN-HOLDER-LEGALREP and PROV-ORG-TLD are evaluated with the domain rules.)

use super::data::{LeaderPolicy, MobileScope};
use super::identity::severity;
use super::materials::has_subject_letter;
use super::text::{find_word, norm};
use super::{Context, Out, Severity, Subject, ids};
use crate::domain::person::{mobile_digits, same_person};
use crate::domain::{CertType, FilingType, Nature, Who};

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let Some(p) = ctx.data.province(&o.subject.region.province) else {
        return;
    };
    // Cancellations re-validate nothing: a province's rules bind what is filed, not what is removed.
    if o.filing_type.is_cancel() {
        return;
    }
    let org = o.subject.nature.is_organisation();
    let sl = &o.subject.leader;
    let adds = matches!(
        o.filing_type,
        FilingType::NewFiling | FilingType::NewSite | FilingType::NewAccess
    );

    // PROV-LEADER-LEGALREP
    if org && !sl.is_legal_representative {
        match &p.subject_leader {
            Some(f) if f.value == LeaderPolicy::Must => out.push(ids::PROV_LEADER_LEGALREP, severity(f.confidence), "subject.leader.is_legal_representative",
                format!("{}管局要求主体负责人为法定代表人。", p.name),
                format!("{} requires the subject leader to be the legal representative.", p.name_en)),
            Some(f) if f.value == LeaderPolicy::Letter && !has_subject_letter(o) => out.push(ids::PROV_LEADER_LEGALREP, severity(f.confidence), "subject.leader.is_legal_representative",
                format!("{}管局要求：主体负责人不是法定代表人时须上传法定代表人授权书。", p.name),
                format!("{}: a subject leader who is not the legal representative needs the legal representative's authorisation letter.", p.name_en)),
            _ => {}
        }
    }

    // PROV-NONLEGAL-SAME-LEADER
    if let Some(f) = p.nonlegal_same_leader.as_ref().filter(|f| f.value)
        && !sl.is_legal_representative
    {
        for (i, site) in o.sites.iter().enumerate() {
            if !same_person(sl, &site.leader) {
                out.push(ids::PROV_NONLEGAL_SAME_LEADER, severity(f.confidence), format!("sites[{i}].leader"),
                    format!("{}管局要求：主体负责人不是法定代表人时，网站负责人须与主体负责人为同一人。", p.name),
                    format!("{}: when the subject leader is not the legal representative, every site leader must be the subject leader.", p.name_en));
            }
        }
    }

    // PROV-DOMAIN-CAP
    if adds {
        let domains: usize = o.sites.iter().map(|s| s.domains.len()).sum();
        let mut caps: Vec<(&str, u32, usize, super::data::Confidence)> = Vec::new();
        if let Some(f) = &p.max_sites {
            caps.push(("网站", f.value, o.sites.len(), f.confidence));
        }
        if let Some(f) = &p.max_domains {
            caps.push(("域名", f.value, domains, f.confidence));
        }
        if let Some(f) = p.max_domains_org.as_ref().filter(|_| org) {
            caps.push(("域名", f.value, domains, f.confidence));
        }
        if let Some(f) = p
            .max_domains_individual_new
            .as_ref()
            .filter(|_| !org && o.filing_type == FilingType::NewFiling)
        {
            caps.push(("域名", f.value, domains, f.confidence));
        }
        if let Some((what, cap, n, conf)) =
            caps.into_iter().find(|(_, cap, n, _)| *n > *cap as usize)
        {
            let en = if what == "网站" { "sites" } else { "domains" };
            out.push(
                ids::PROV_DOMAIN_CAP,
                severity(conf),
                "sites",
                format!(
                    "{}管局要求单次备案不超过{cap}个{what}，本订单有{n}个。",
                    p.name
                ),
                format!(
                    "{} allows at most {cap} {en} per order; this one has {n}.",
                    p.name_en
                ),
            );
        }
    }

    // PROV-ONE-DOMAIN
    if let Some(f) = p.one_domain.as_ref().filter(|f| f.value) {
        for (i, site) in o.sites.iter().enumerate() {
            if site.domains.len() > 1 {
                out.push(
                    ids::PROV_ONE_DOMAIN,
                    severity(f.confidence),
                    format!("sites[{i}].domains"),
                    format!(
                        "{}管局要求每个网站只填写一个域名，请拆分为多个网站。",
                        p.name
                    ),
                    format!("{} allows one domain per site; split the site.", p.name_en),
                );
            }
        }
    }

    // PROV-LN-FINANCE-LEGALREP (the only province with this rule; its words are data)
    if p.code == "CN-LN"
        && org
        && let Some(w) = find_word(&norm(&o.subject.name), &ctx.data.naming.ln_finance_words)
    {
        let people = std::iter::once(("subject.leader".to_string(), sl)).chain(
            o.sites
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("sites[{i}].leader"), &s.leader)),
        );
        for (path, person) in people {
            if !person.is_legal_representative {
                out.push(ids::PROV_LN_FINANCE_LEGALREP, Severity::Block, format!("{path}.is_legal_representative"),
                    format!("辽宁管局：单位名称含“{w}”时，主体负责人和网站负责人都须为法定代表人。"),
                    format!("Liaoning: with {w} in the subject name both leaders must be the legal representative."));
            }
        }
    }

    // PROV-LOCAL-MOBILE
    if let Some(f) = &p.local_mobile {
        let individual = o.subject.nature == Nature::Individual;
        let people = o.people().filter(|(who, _)| match f.value {
            MobileScope::All => true,
            MobileScope::SiteLeaders => matches!(who, Who::SiteLeader(_)),
            MobileScope::Individuals => individual,
        });
        for (path, person) in people {
            if let Some(m) = mobile_digits(&person.mobile)
                && let Some(home) = ctx.data.mobile_prefixes.province_of(&m)
                && home != p.code
            {
                let home_name = ctx
                    .data
                    .province(&home)
                    .map_or(home.as_str(), |x| x.name.as_str());
                out.push(
                    ids::PROV_LOCAL_MOBILE,
                    severity(f.confidence),
                    format!("{path}.mobile"),
                    format!(
                        "{}管局要求负责人使用本省手机号，该号码归属{home_name}。",
                        p.name
                    ),
                    format!(
                        "{} requires a mobile registered in the province; this one is from {}.",
                        p.name_en,
                        ctx.data
                            .province(&home)
                            .map_or(home.as_str(), |x| x.name_en.as_str())
                    ),
                );
            }
        }
    }

    // PROV-HI-SEAL
    if p.licence_seal_check && org && o.subject.certificate.kind == CertType::BusinessLicence {
        out.push(ids::PROV_HI_SEAL, Severity::Warn, "subject.certificate",
            format!("{}：营业执照须加盖省市场监管局商事登记专用章，请目视核对。", p.name),
            format!("{}: the business licence must carry the provincial market-regulation registration seal; check it by eye.", p.name_en));
    }
}
