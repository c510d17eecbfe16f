//! Who may lead: an individual's services are led by the individual
//! (LEAD-PERSONAL-SELF); Henan's subject leaders lead one subject (LEAD-SUBJ-REUSE-HA).

use super::identity::severity;
use super::{Context, Out, Severity, Subject, ids};
use crate::domain::person::{id_key, mask_id};
use crate::domain::{FilingType, Nature};

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let cert = id_key(&o.subject.certificate.number);

    // LEAD-PERSONAL-SELF
    if o.subject.nature == Nature::Individual && !cert.is_empty() {
        for (path, p) in o.people() {
            let id = id_key(&p.id_number);
            if !id.is_empty() && id != cert {
                out.push(
                    ids::LEAD_PERSONAL_SELF,
                    Severity::Block,
                    format!("{path}.id_number"),
                    "个人备案的负责人须为备案人本人：该负责人的证件号码与主办者证件号码不同。",
                    "An individual's services are led by the individual: this leader's id number differs from the applicant's certificate number.",
                );
            }
        }
    }

    // LEAD-SUBJ-REUSE-HA (province data: subject_leader_unique)
    if matches!(
        o.filing_type,
        FilingType::NewFiling | FilingType::ChangeSubject
    ) && let Some(p) = ctx.data.province(&o.subject.region.province)
        && let Some(f) = p.subject_leader_unique.as_ref().filter(|f| f.value)
    {
        let id = id_key(&o.subject.leader.id_number);
        if !id.is_empty()
            && let Some(r) = ctx.others.subject_leader_elsewhere(&id, &cert)
        {
            out.push(
                ids::LEAD_SUBJ_REUSE_HA,
                severity(f.confidence),
                "subject.leader.id_number",
                format!(
                    "{}管局要求主体负责人未在其他主体任主体负责人：证件{}已是另一主体的主体负责人（订单{}）。",
                    p.name,
                    mask_id(&id),
                    r.order
                ),
                format!(
                    "{} requires a subject leader who leads no other subject: id {} already leads another subject (order {}).",
                    p.name_en,
                    mask_id(&id),
                    r.order
                ),
            );
        }
    }
}
