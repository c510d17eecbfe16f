//! Access resources: prepaid period and authorisation codes.

use super::{Context, Out, Severity, Subject, at, ids};
use crate::domain::AccessMethod;

/// Authorisation codes one server may issue.
pub const CODES_PER_SERVER: usize = 5;

pub(super) fn check(s: &Subject<'_>, ctx: &Context<'_>, out: &mut Out<'_>) {
    let o = s.order;
    if o.filing_type.is_cancel() {
        return;
    }
    for (i, site) in o.sites.iter().enumerate() {
        let a = &site.access;
        if a.prepaid_months < 3 {
            out.push(ids::ACCESS_PREPAID_SHORT, Severity::Block, format!("sites[{i}].access.prepaid_months"),
                format!("备案资源包年包月时长为{}个月，须至少3个月（可累计续费）。", a.prepaid_months),
                format!("The resource is prepaid for {} months; filing needs at least 3 (renewals add up).", a.prepaid_months));
        }
        if a.method != AccessMethod::AuthCode {
            continue;
        }
        let Some(code) = a
            .auth_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        let path = at("sites", i).field("access.auth_code");
        let same_order = o.sites.iter().take(i).any(|x| {
            x.access.method == AccessMethod::AuthCode
                && x.access.auth_code.as_deref().map(str::trim) == Some(code)
        });
        let other = ctx.others.auth_code_user_elsewhere(code, &o.id);
        if same_order || other.is_some() {
            let (zh, en) = match other {
                Some(id) => (
                    format!("该授权码已被订单{id}使用，每个授权码只能备案一个网站。"),
                    format!(
                        "This code is already used by order {id}; each code files one site once."
                    ),
                ),
                None => (
                    "同一授权码在本订单中使用了两次。".to_string(),
                    "The same code is used twice in this order.".to_string(),
                ),
            };
            out.push(ids::ACCESS_AUTHCODE_REUSED, Severity::Block, path, zh, en);
        }
        let rid = a.resource_id.trim();
        if !rid.is_empty() {
            let (mut n, known) = ctx.others.codes_of_resource(rid, code);
            if !known {
                n += 1;
            }
            if n > CODES_PER_SERVER {
                out.push(
                    ids::ACCESS_AUTHCODE_LIMIT,
                    Severity::Block,
                    path,
                    format!("服务器{rid}已生成{n}个授权码，超过每台{CODES_PER_SERVER}个的上限。"),
                    format!("Server {rid} has issued {n} codes, more than {CODES_PER_SERVER}."),
                );
            }
        }
    }
}
