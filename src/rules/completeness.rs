//! What the filing type needs is present (ORDER-INCOMPLETE): without this rule an
//! order missing its content would pass clean, since the other rules look at what is there.

use super::{Context, Out, Severity, Subject, at, ids};
use crate::domain::{FilingType, SiteKind};

pub(super) fn check(s: &Subject<'_>, _ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    let cancel = o.filing_type.is_cancel();
    let mut missing = |path: String, zh: &str, en: &str| {
        out.push(
            ids::ORDER_INCOMPLETE,
            Severity::Block,
            path,
            format!("订单缺少{zh}。"),
            format!("The order lacks {en}."),
        )
    };
    if o.sites.is_empty() && o.filing_type != FilingType::CancelSubject {
        missing(
            "sites".into(),
            "网站或APP",
            "a website or app, which this filing type needs",
        );
    }
    if o.subject.certificate.number.trim().is_empty() {
        missing(
            "subject.certificate.number".into(),
            "主办单位证件号码",
            "the subject's certificate number",
        );
    }
    let leader = &o.subject.leader;
    if leader.name.trim().is_empty() || leader.id_number.trim().is_empty() {
        missing(
            "subject.leader".into(),
            "主体负责人（姓名和证件号码）",
            "the subject leader (name and id number)",
        );
    }
    if cancel {
        return;
    }
    if o.subject.address.trim().is_empty() {
        missing(
            "subject.address".into(),
            "主办单位通信地址",
            "the subject's contact address",
        );
    }
    for (i, site) in o.sites.iter().enumerate() {
        if site.kind == SiteKind::Website && site.domains.is_empty() {
            missing(
                at("sites", i).field("domains").into(),
                "网站域名",
                "the website's domain",
            );
        }
        if site.kind == SiteKind::App && site.app.is_none() {
            missing(
                at("sites", i).field("app").into(),
                "APP信息（平台、包名、公钥、签名MD5）",
                "the app details (platforms, package, public key, MD5)",
            );
        }
        if site.leader.name.trim().is_empty() || site.leader.id_number.trim().is_empty() {
            missing(
                at("sites", i).field("leader").into(),
                "网站负责人（姓名和证件号码）",
                "the site leader (name and id number)",
            );
        }
    }
}
