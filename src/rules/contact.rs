//! Contacts: phone and e-mail formats, separation between leaders, reuse across subjects.

use super::data::OfficePhoneRule;
use super::identity;
use super::index::{email_key, keys_of};
use super::{Context, Out, Severity, Subject, ids};
use crate::domain::person::{
    id_key, is_landline, is_mainland_mobile, is_service_number, is_valid_email, mask_phone,
    phone_key, same_person,
};

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    for (path, p) in o.people() {
        if !is_mainland_mobile(&p.mobile) {
            out.push(
                ids::CONTACT_MOBILE_FORMAT,
                Severity::Block,
                format!("{path}.mobile"),
                "手机号码须为11位中国大陆手机号（1[3-9]开头，可带+86）。",
                "The mobile must be an 11-digit mainland number starting 1[3-9] (optional +86).",
            );
        }
        if !is_valid_email(p.email.trim()) {
            out.push(
                ids::CONTACT_EMAIL_FORMAT,
                Severity::Block,
                format!("{path}.email"),
                "电子邮箱格式不正确。",
                "The e-mail address is not valid.",
            );
        }
        let em = phone_key(&p.emergency_phone);
        if !em.is_empty() && em == phone_key(&p.mobile) {
            out.push(
                ids::CONTACT_EMERGENCY_SAME,
                Severity::Block,
                format!("{path}.emergency_phone"),
                "应急联系电话不能与本人手机号码相同。",
                "The emergency phone must differ from the same leader's mobile.",
            );
        }
    }

    // CONTACT-OFFICE-PHONE: the province's rule (data), and 400/800 numbers anywhere.
    // Remarks never silence it: the reviewer reads them.
    let province = ctx.data.province(&o.subject.region.province);
    let rule = province.and_then(|p| p.office_phone.as_ref().map(|f| (p, f)));
    for (path, p) in o.people() {
        let Some(office) = p.office_phone.as_deref().filter(|x| !x.trim().is_empty()) else {
            continue;
        };
        let at = format!("{path}.office_phone");
        let key = phone_key(office);
        let mut flagged = false;
        if let Some((prov, f)) = rule {
            let sev = identity::severity(f.confidence);
            match f.value {
                OfficePhoneRule::Landline if !is_landline(office) => {
                    flagged = true;
                    out.push(ids::CONTACT_OFFICE_PHONE, sev, at.clone(),
                        format!("{}管局要求办公电话填写座机号码（区号+号码，可带分机）。", prov.name),
                        format!("{} requires the office phone to be a landline (area code and number, optional extension).", prov.name_en));
                }
                OfficePhoneRule::NotLeaderMobile
                    if !key.is_empty() && key == phone_key(&p.mobile) =>
                {
                    flagged = true;
                    out.push(
                        ids::CONTACT_OFFICE_PHONE,
                        sev,
                        at.clone(),
                        format!(
                            "{}管局要求办公电话不能与该负责人的手机号码相同。",
                            prov.name
                        ),
                        format!(
                            "{} requires the office phone to differ from the same leader's mobile.",
                            prov.name_en
                        ),
                    );
                }
                OfficePhoneRule::MobileNeedsRemark if is_mainland_mobile(office) => {
                    flagged = true;
                    out.push(ids::CONTACT_OFFICE_PHONE, Severity::Warn, at.clone(),
                        format!("{}：以手机号码作办公电话时，备注中须说明接听人（姓名、职务），请核对备注。", prov.name),
                        format!("{}: a mobile used as office phone needs a remark saying who answers it (name, title); read the remarks.", prov.name_en));
                }
                _ => {}
            }
        }
        if !flagged && is_service_number(office) {
            out.push(
                ids::CONTACT_OFFICE_PHONE,
                Severity::Warn,
                at,
                "办公电话为400/800号码，不是负责人可直接接听的电话，请核实。",
                "The office phone is a 400/800 service number, not one the leader answers directly: check it.",
            );
        }
    }

    let sl = &o.subject.leader;
    let sl_phones: Vec<String> = [
        Some(&sl.mobile),
        Some(&sl.emergency_phone),
        sl.office_phone.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|p| phone_key(p))
    .filter(|p| !p.is_empty())
    .collect();
    for (i, site) in o.sites.iter().enumerate() {
        let l = &site.leader;
        if same_person(sl, l) {
            continue;
        }
        let m = phone_key(&l.mobile);
        if !m.is_empty() && m == phone_key(&sl.mobile) {
            out.push(
                ids::CONTACT_LEADERS_SHARE_MOBILE,
                Severity::Block,
                format!("sites[{i}].leader.mobile"),
                "网站负责人与主体负责人不是同一人，手机号码不能相同。",
                "The site leader is not the subject leader, so their mobiles must differ.",
            );
        }
        let e = l.email.trim().to_lowercase();
        if !e.is_empty() && e == sl.email.trim().to_lowercase() {
            out.push(
                ids::CONTACT_LEADERS_SHARE_EMAIL,
                Severity::Block,
                format!("sites[{i}].leader.email"),
                "网站负责人与主体负责人不是同一人，电子邮箱不能相同。",
                "The site leader is not the subject leader, so their e-mails must differ.",
            );
        }
        let em = phone_key(&l.emergency_phone);
        if !em.is_empty() && sl_phones.contains(&em) {
            out.push(
                ids::CONTACT_EMERGENCY_COLLIDES,
                Severity::Block,
                format!("sites[{i}].leader.emergency_phone"),
                "网站负责人的应急电话与主体负责人的联系电话重复。",
                "The site leader's emergency phone repeats one of the subject leader's phones.",
            );
        }
    }

    // Cross-order rules: each answered by the index in constant time.
    let cert = id_key(&o.subject.certificate.number);
    let email_reuse_blocks = province
        .and_then(|p| p.email_reuse_blocks.as_ref())
        .filter(|f| f.value)
        .map(|f| {
            (
                identity::severity(f.confidence),
                province.map_or("", |p| p.name.as_str()),
                province.map_or("", |p| p.name_en.as_str()),
            )
        });
    for (i, site) in o.sites.iter().enumerate() {
        let keys = keys_of(&site.leader);
        let hit = keys
            .iter()
            .filter(|k| !k.is_empty())
            .find_map(|k| ctx.others.site_leader_elsewhere(k, &cert));
        if let Some(r) = hit {
            out.push(ids::CONTACT_SITE_LEADER_MULTI_SUBJECT, Severity::Block, format!("sites[{i}].leader"),
                format!("该网站负责人（证件号、手机或邮箱相同）已是其他主体的网站负责人（订单{}）。", r.order),
                format!("This site leader (same id, mobile or e-mail) already leads a site of another subject (order {}).", r.order));
        }
    }
    for (path, p) in o.people() {
        let id = id_key(&p.id_number);
        let (m, e) = (phone_key(&p.mobile), email_key(&p.email));
        if p.is_legal_representative
            && !id.is_empty()
            && let Some(r) = ctx.others.legal_rep_conflict(&id, &cert, &m, &e)
        {
            let field = if r.mobile != m { "mobile" } else { "email" };
            out.push(ids::CONTACT_LEGALREP_INCONSISTENT, Severity::Block, format!("{path}.{field}"),
                format!("同一法定代表人在其他主体（订单{}）登记的联系方式不同，须保持一致。", r.order),
                format!("The same legal representative gives different contacts for another subject (order {}).", r.order));
        }
        if !m.is_empty()
            && let Some(r) = ctx.others.mobile_elsewhere(&m, &cert, &id)
        {
            out.push(
                ids::CONTACT_MOBILE_REUSED,
                Severity::Block,
                format!("{path}.mobile"),
                format!(
                    "手机号{}已被其他主体的另一人使用（订单{}）。",
                    mask_phone(&m),
                    r.order
                ),
                format!(
                    "Mobile {} belongs to a different person of another subject (order {}).",
                    mask_phone(&m),
                    r.order
                ),
            );
        }
        // CONTACT-EMAIL-REUSED
        if !e.is_empty()
            && let Some(r) = ctx.others.email_elsewhere(&e, &cert, &id)
        {
            let (sev, zh, en) = match email_reuse_blocks {
                Some((sev, name, name_en)) => (
                    sev,
                    format!("{name}管局不允许同一电子邮箱用于不同主体的不同负责人"),
                    format!("{name_en} does not accept one e-mail address for different people of different subjects"),
                ),
                None => (
                    Severity::Warn,
                    "同一电子邮箱用于不同主体的不同负责人，请核实是否本人邮箱".to_string(),
                    "one e-mail address serving different people of different subjects: check that it is the leader's own".to_string(),
                ),
            };
            out.push(
                ids::CONTACT_EMAIL_REUSED,
                sev,
                format!("{path}.email"),
                format!("电子邮箱已被其他主体的另一人使用（订单{}）：{zh}。", r.order),
                format!("The e-mail address belongs to a different person of another subject (order {}): {en}.", r.order),
            );
        }
    }
}
