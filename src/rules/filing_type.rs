//! Filing type and status: the right type for the change, one order at a time.

use super::{Context, Out, Severity, Subject, ids};
use crate::domain::person::{id_key, phone_key};
use crate::domain::{FilingType, Nature, Order, Person};

fn contacts(p: &Person) -> (String, String, String, Option<String>) {
    (
        phone_key(&p.mobile),
        phone_key(&p.emergency_phone),
        p.email.trim().to_lowercase(),
        p.office_phone.as_deref().map(phone_key),
    )
}

fn contacts_changed(now: &Order, before: &Order) -> bool {
    contacts(&now.subject.leader) != contacts(&before.subject.leader)
        || now.sites.len() != before.sites.len()
        || now
            .sites
            .iter()
            .zip(&before.sites)
            .any(|(a, b)| contacts(&a.leader) != contacts(&b.leader))
}

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let ft = o.filing_type;

    // TYPE-PERSONAL-CONTACT-CHANGE: without a before-state, an individual's subject/site
    // change is a contact change (name and id cannot change).
    if o.subject.nature == Nature::Individual
        && matches!(ft, FilingType::ChangeSubject | FilingType::ChangeSite)
        && o.previous
            .as_deref()
            .is_none_or(|prev| contacts_changed(o, prev))
    {
        out.push(ids::TYPE_PERSONAL_CONTACT_CHANGE, Severity::Block, "filing_type",
            "个人备案变更联系方式须选择“变更备案”，不能只变更主体或网站。",
            "An individual changes contact details with a filing change, not a subject change or a site change.");
    }

    if ft.is_change()
        && let Some(prev) = o.previous.as_deref()
    {
        if prev.subject.nature.is_organisation() && o.subject.nature == Nature::Individual {
            out.push(ids::TYPE_UNIT_TO_PERSONAL, Severity::Block, "subject.nature",
                "单位备案不能变更为个人备案，请注销后重新备案。",
                "An organisation's filing cannot be changed into an individual's; cancel and file again.");
        }
        // Compare provinces, not spellings: `CN-44` is `CN-GD`.
        let province = |code: &str| {
            ctx.data
                .province(code)
                .map_or_else(|| code.trim().to_string(), |p| p.code.clone())
        };
        if province(&prev.subject.region.province) != province(&o.subject.region.province) {
            out.push(
                ids::TYPE_CHANGE_IMMUTABLE,
                Severity::Block,
                "subject.region.province",
                "变更备案不能修改备案省份。",
                "A change order cannot move the filing to another province.",
            );
        }
        if id_key(&prev.subject.certificate.number) != id_key(&o.subject.certificate.number) {
            out.push(ids::TYPE_CHANGE_IMMUTABLE, Severity::Block, "subject.certificate.number",
                "证件号码不同即为不同主体，不能通过变更备案修改，请注销或迁移。",
                "A different certificate number is a different entity: cancel or migrate instead of changing.");
        }
    }

    if matches!(
        ft,
        FilingType::CancelSite | FilingType::ChangeSite | FilingType::CancelAccess
    ) && o.sites.len() != 1
    {
        out.push(
            ids::TYPE_SITE_COUNT,
            Severity::Block,
            "sites",
            format!(
                "“{}”须且只能包含一个网站，本订单有{}个。",
                ft.zh(),
                o.sites.len()
            ),
            format!(
                "A {} order names exactly one site; this one names {}.",
                ft.en(),
                o.sites.len()
            ),
        );
    }

    if ft == FilingType::CancelAccess {
        out.push(ids::TYPE_CANCEL_ACCESS_SHELL, Severity::Warn, "filing_type",
            "取消接入后如无其他接入商，该网站将成为空壳网站并被管局注销，请与申请人确认。",
            "After cancelling access, unless another provider serves the site it becomes an empty shell and the bureau cancels it: confirm with the applicant.");
    }

    // TYPE-IN-PROGRESS
    let cert = id_key(&o.subject.certificate.number);
    let other = ctx
        .others
        .in_review_elsewhere(o.account.trim(), &cert, &o.id);
    if let Some(id) = other {
        out.push(
            ids::TYPE_IN_PROGRESS,
            Severity::Block,
            "id",
            format!("同一账号或主体的订单{id}仍在审核中，须完成或撤销后再提交。"),
            format!("Order {id} of the same account or subject is still under review."),
        );
    }
}
