//! What changed between a rejected order and its resubmission: every field added,
//! removed or changed, with both values. Lists whose items have a natural key are
//! matched by it (materials by id and compared by digest, domains by name, app
//! platforms by platform, pre-approvals by category, plain values by value), so a
//! domain inserted at the top is one addition, not every domain "changed". Sites are
//! matched by position (they carry no key of their own).
//!
//! Also: the reasons of the previous rejection, each marked resolved (no finding of the
//! new version maps to it any more) or still present. Pure functions, no I/O.

use super::{EventKind, Order, Reason};
use crate::rules::Finding;
use serde_json::Value;

/// How a field changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One field (or list item) that differs, at its JSON path in the version that has it
/// (the new one, or the old one for a removal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub path: String,
    pub kind: ChangeKind,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Every change between two versions of an order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderDiff {
    pub changes: Vec<FieldChange>,
    /// Materials (by id) whose file digest (or file, where no digest is given) changed.
    pub materials_replaced: usize,
    pub materials_added: usize,
    pub materials_removed: usize,
}

/// Top-level fields that change with every resubmission and say nothing about it.
const IGNORED: [&str; 5] = ["format", "status", "history", "submitted_at", "previous"];

impl OrderDiff {
    /// Changes outside the materials list.
    pub fn fields_changed(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| !c.path.starts_with("materials"))
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Changes at `path` or below it (`sites[0]` covers `sites[0].domains[1].name`).
    pub fn under<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a FieldChange> + 'a {
        self.changes.iter().filter(move |c| {
            c.path == path
                || (c.path.starts_with(path)
                    && matches!(c.path.as_bytes().get(path.len()), Some(b'.') | Some(b'[')))
        })
    }

    /// "5 fields changed, 2 materials replaced" (with added and removed materials when any).
    pub fn summary(&self, en: bool) -> String {
        let n = self.fields_changed();
        let mut parts = if en {
            vec![
                format!("{n} field{} changed", if n == 1 { "" } else { "s" }),
                format!(
                    "{} material{} replaced",
                    self.materials_replaced,
                    if self.materials_replaced == 1 {
                        ""
                    } else {
                        "s"
                    }
                ),
            ]
        } else {
            vec![
                format!("{n} 项字段变更"),
                format!("{} 份资料已替换", self.materials_replaced),
            ]
        };
        if self.materials_added > 0 {
            parts.push(if en {
                format!("{} added", self.materials_added)
            } else {
                format!("新增 {} 份", self.materials_added)
            });
        }
        if self.materials_removed > 0 {
            parts.push(if en {
                format!("{} removed", self.materials_removed)
            } else {
                format!("删除 {} 份", self.materials_removed)
            });
        }
        parts.join(if en { ", " } else { "，" })
    }
}

/// The changes from `prev` (the rejected version) to `cur`.
pub fn diff_orders(prev: &Order, cur: &Order) -> OrderDiff {
    let a = serde_json::to_value(prev).unwrap_or_default();
    let b = serde_json::to_value(cur).unwrap_or_default();
    let mut out = Vec::new();
    if let (Value::Object(x), Value::Object(y)) = (&a, &b) {
        let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            if IGNORED.contains(&k.as_str()) {
                continue;
            }
            walk(x.get(k), y.get(k), k.clone(), k.clone(), &mut out);
        }
    }
    let mut d = OrderDiff {
        changes: out,
        ..OrderDiff::default()
    };
    for c in &d.changes {
        let Some(rest) = c.path.strip_prefix("materials[") else {
            continue;
        };
        let tail = rest.split_once(']').map(|(_, t)| t).unwrap_or("");
        match (c.kind, tail) {
            (ChangeKind::Added, "") => d.materials_added += 1,
            (ChangeKind::Removed, "") => d.materials_removed += 1,
            _ => {}
        }
    }
    // A material counts once as replaced: its digest changed, or (with no digests on
    // either side) its file did.
    let mut replaced: Vec<&str> = Vec::new();
    for m in &cur.materials {
        if let Some(old) = prev.materials.iter().find(|o| o.id == m.id) {
            let changed = match (&old.sha256, &m.sha256) {
                (None, None) => old.file != m.file,
                (x, y) => x != y,
            };
            if changed && !replaced.contains(&m.id.as_str()) {
                replaced.push(&m.id);
            }
        }
    }
    d.materials_replaced = replaced.len();
    d
}

/// A value as one short line: strings bare, a keyed object by its key, else compact JSON.
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => {
            for key in ["name", "id", "platform", "category"] {
                if let Some(Value::String(s)) = m.get(key) {
                    return match (key, m.get("file")) {
                        ("id", Some(Value::String(f))) => format!("{s} {f}"),
                        _ => s.clone(),
                    };
                }
            }
            v.to_string()
        }
        other => other.to_string(),
    }
}

/// The key a list item is matched by, from the list's path; `None` matches by position.
fn item_key(list_path: &str, item: &Value) -> Option<String> {
    let field = |name: &str| item.get(name).and_then(Value::as_str).map(str::to_string);
    let last = list_path.rsplit('.').next().unwrap_or(list_path);
    match last {
        "sites" => None,
        "materials" => field("id"),
        "domains" => field("name"),
        "platforms" => field("platform"),
        "pre_approvals" => field("category"),
        _ => match item {
            Value::Object(_) | Value::Array(_) => None,
            scalar => Some(scalar.to_string()),
        },
    }
}

/// Compare `a` (old, at `old_path`) with `b` (new, at `new_path`).
fn walk(
    a: Option<&Value>,
    b: Option<&Value>,
    old_path: String,
    new_path: String,
    out: &mut Vec<FieldChange>,
) {
    match (a, b) {
        (None, None) | (Some(Value::Null), None) | (None, Some(Value::Null)) => {}
        (Some(u), None) => out.push(FieldChange {
            path: old_path,
            kind: ChangeKind::Removed,
            old: Some(describe(u)),
            new: None,
        }),
        (None, Some(v)) => out.push(FieldChange {
            path: new_path,
            kind: ChangeKind::Added,
            old: None,
            new: Some(describe(v)),
        }),
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                walk(
                    x.get(k),
                    y.get(k),
                    format!("{old_path}.{k}"),
                    format!("{new_path}.{k}"),
                    out,
                );
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            lists(x, y, &old_path, &new_path, out);
        }
        (Some(u), Some(v)) if u != v => out.push(FieldChange {
            path: new_path,
            kind: ChangeKind::Changed,
            old: Some(describe(u)),
            new: Some(describe(v)),
        }),
        _ => {}
    }
}

fn lists(x: &[Value], y: &[Value], old_path: &str, new_path: &str, out: &mut Vec<FieldChange>) {
    let keyed = x
        .iter()
        .chain(y.iter())
        .all(|v| item_key(new_path, v).is_some());
    if !keyed {
        for i in 0..x.len().max(y.len()) {
            walk(
                x.get(i),
                y.get(i),
                format!("{old_path}[{i}]"),
                format!("{new_path}[{i}]"),
                out,
            );
        }
        return;
    }
    let mut used = vec![false; y.len()];
    for (i, u) in x.iter().enumerate() {
        let k = item_key(new_path, u);
        let found = y
            .iter()
            .enumerate()
            .position(|(j, v)| !used[j] && item_key(new_path, v) == k);
        match found {
            Some(j) => {
                used[j] = true;
                walk(
                    Some(u),
                    Some(&y[j]),
                    format!("{old_path}[{i}]"),
                    format!("{new_path}[{j}]"),
                    out,
                );
            }
            None => walk(
                Some(u),
                None,
                format!("{old_path}[{i}]"),
                String::new(),
                out,
            ),
        }
    }
    for (j, v) in y.iter().enumerate() {
        if !used[j] {
            walk(
                None,
                Some(v),
                String::new(),
                format!("{new_path}[{j}]"),
                out,
            );
        }
    }
}

/// A reason of the previous rejection and whether the new version still has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonCheck {
    pub reason: Reason,
    /// No finding of the new version maps to the reason (by reason code or rule id).
    pub resolved: bool,
}

/// The reasons of the latest rejection (ours or the bureau's) in the order's history or
/// its previous version's.
pub fn previous_reasons(order: &Order) -> Vec<Reason> {
    let prev_history = order.previous.as_deref().map(|p| p.history.as_slice());
    order
        .history
        .iter()
        .chain(prev_history.unwrap_or_default())
        .filter(|e| matches!(e.event, EventKind::Rejected | EventKind::BureauRejected))
        .max_by_key(|e| e.at)
        .map(|e| e.reasons.clone())
        .unwrap_or_default()
}

/// Each reason, resolved or still present, given the new version's findings.
pub fn check_reasons(reasons: &[Reason], findings: &[Finding]) -> Vec<ReasonCheck> {
    reasons
        .iter()
        .map(|r| ReasonCheck {
            reason: r.clone(),
            resolved: !findings
                .iter()
                .any(|f| f.reason == r.code || f.rule == r.code),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AppPlatform, Domain, Event};
    use crate::rules::Severity;

    fn base() -> Order {
        crate::domain::parse_order(include_str!("../../assets/demo/orders/DEMO-2026-0001.json"))
            .expect("demo order")
    }

    fn app_order() -> Order {
        crate::domain::parse_order(include_str!("../../assets/demo/orders/DEMO-2026-0003.json"))
            .expect("demo app order")
    }

    fn kinds(d: &OrderDiff) -> Vec<(String, ChangeKind)> {
        d.changes.iter().map(|c| (c.path.clone(), c.kind)).collect()
    }

    #[test]
    fn same_order_has_no_changes_and_ignores_status_history_and_time() {
        let a = base();
        let mut b = a.clone();
        b.status = crate::domain::Status::Resubmitted;
        b.submitted_at = jiff::Timestamp::UNIX_EPOCH;
        b.history.clear();
        let d = diff_orders(&a, &b);
        assert!(d.is_empty(), "{:?}", d.changes);
        assert_eq!(d.summary(true), "0 fields changed, 0 materials replaced");
    }

    #[test]
    fn changed_field_has_old_and_new() {
        let a = base();
        let mut b = a.clone();
        b.subject.address = "new address 1".into();
        let d = diff_orders(&a, &b);
        assert_eq!(
            d.changes,
            vec![FieldChange {
                path: "subject.address".into(),
                kind: ChangeKind::Changed,
                old: Some(a.subject.address.clone()),
                new: Some("new address 1".into()),
            }]
        );
        assert_eq!(d.fields_changed(), 1);
    }

    #[test]
    fn optional_field_added_and_removed() {
        let mut a = base();
        a.remarks = Some("old remark".into());
        a.subject.leader.office_phone = None;
        let mut b = a.clone();
        b.remarks = None;
        b.subject.leader.office_phone = Some("010-12345678".into());
        let d = diff_orders(&a, &b);
        assert_eq!(
            kinds(&d),
            vec![
                ("remarks".into(), ChangeKind::Removed),
                ("subject.leader.office_phone".into(), ChangeKind::Added),
            ]
        );
        assert_eq!(d.changes[0].old.as_deref(), Some("old remark"));
        assert_eq!(d.changes[1].new.as_deref(), Some("010-12345678"));
    }

    #[test]
    fn nested_domains_matched_by_name() {
        let a = base();
        let mut b = a.clone();
        let first = b.sites[0].domains[0].clone();
        // A domain inserted before the existing one is one addition; the existing one
        // (now at index 1) only changed its expiry.
        b.sites[0].domains.insert(
            0,
            Domain {
                name: "added-example.cn".into(),
                holder: first.holder.clone(),
                expires_on: first.expires_on,
            },
        );
        b.sites[0].domains[1].expires_on = jiff::civil::date(2031, 1, 1);
        let d = diff_orders(&a, &b);
        assert_eq!(
            kinds(&d),
            vec![
                ("sites[0].domains[1].expires_on".into(), ChangeKind::Changed),
                ("sites[0].domains[0]".into(), ChangeKind::Added),
            ]
        );
        assert_eq!(d.changes[1].new.as_deref(), Some("added-example.cn"));
        assert_eq!(d.changes[0].new.as_deref(), Some("2031-01-01"));
        // The site pane finds them under its site.
        assert_eq!(d.under("sites[0]").count(), 2);
        assert_eq!(d.under("sites[1]").count(), 0);
        // Removing a domain names it at its old index.
        let mut c = a.clone();
        c.sites[0].domains.clear();
        let d = diff_orders(&a, &c);
        assert_eq!(
            kinds(&d),
            vec![("sites[0].domains[0]".into(), ChangeKind::Removed)]
        );
        assert_eq!(d.changes[0].old.as_deref(), Some(first.name.as_str()));
    }

    #[test]
    fn nested_site_fields_and_added_site() {
        let a = base();
        let mut b = a.clone();
        b.sites[0].name = "renamed site".into();
        b.sites[0].ips.push("203.0.113.9".into());
        b.sites.push(a.sites[0].clone());
        let d = diff_orders(&a, &b);
        let k = kinds(&d);
        assert!(
            k.contains(&("sites[0].name".into(), ChangeKind::Changed)),
            "{k:?}"
        );
        let ip_at = format!("sites[0].ips[{}]", b.sites[0].ips.len() - 1);
        assert!(k.contains(&(ip_at, ChangeKind::Added)), "{k:?}");
        assert!(k.contains(&("sites[1]".into(), ChangeKind::Added)), "{k:?}");
        assert_eq!(d.fields_changed(), 3);
    }

    #[test]
    fn app_platforms_matched_by_platform() {
        let a = app_order();
        let i = a
            .sites
            .iter()
            .position(|s| s.app.is_some())
            .expect("an app site");
        let mut b = a.clone();
        let app = b.sites[i].app.as_mut().expect("app");
        app.platforms.insert(
            0,
            AppPlatform {
                platform: "harmony".into(),
                package: "cn.example.h".into(),
                public_key: String::new(),
                md5: String::new(),
            },
        );
        let d = diff_orders(&a, &b);
        assert_eq!(
            kinds(&d),
            vec![(format!("sites[{i}].app.platforms[0]"), ChangeKind::Added)]
        );
        assert_eq!(d.changes[0].new.as_deref(), Some("harmony"));
    }

    #[test]
    fn materials_by_digest() {
        let a = base();
        let mut b = a.clone();
        // m1 replaced (new digest), m2 the same file moved in the list, one removed, one added.
        b.materials[0].sha256 = Some("00".repeat(32));
        b.materials.swap(1, 2);
        let removed = b.materials.pop().expect("a material");
        let mut added = a.materials[0].clone();
        added.id = "m-new".into();
        b.materials.push(added);
        let d = diff_orders(&a, &b);
        assert_eq!(d.materials_replaced, 1, "{:?}", d.changes);
        assert_eq!(d.materials_added, 1);
        assert_eq!(d.materials_removed, 1);
        assert_eq!(d.fields_changed(), 0);
        let sha = d
            .changes
            .iter()
            .find(|c| c.path == "materials[0].sha256")
            .expect("digest change");
        assert_eq!(sha.kind, ChangeKind::Changed);
        assert!(d.changes.iter().any(|c| c.kind == ChangeKind::Removed
            && c.old.as_deref().is_some_and(|o| o.starts_with(&removed.id))));
        // Moving a material in the list is not a change.
        assert!(!d.changes.iter().any(|c| c.path.starts_with("materials[1]")));
        assert_eq!(
            d.summary(true),
            "0 fields changed, 1 material replaced, 1 added, 1 removed"
        );
        assert_eq!(
            d.summary(false),
            "0 项字段变更，1 份资料已替换，新增 1 份，删除 1 份"
        );
    }

    #[test]
    fn summary_counts_fields_and_materials() {
        let a = base();
        let mut b = a.clone();
        b.subject.address = "x".into();
        b.subject.name = "y".into();
        b.sites[0].name = "z".into();
        b.subject.leader.email = "new@example.cn".into();
        b.account = "acct-new".into();
        b.materials[0].sha256 = Some("11".repeat(32));
        b.materials[1].sha256 = Some("22".repeat(32));
        let d = diff_orders(&a, &b);
        assert_eq!(d.summary(true), "5 fields changed, 2 materials replaced");
        assert_eq!(d.summary(false), "5 项字段变更，2 份资料已替换");
    }

    fn finding(rule: &str, reason: &str) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Block,
            path: "subject.address".into(),
            message: String::new(),
            message_en: String::new(),
            reason: reason.into(),
        }
    }

    #[test]
    fn previous_reasons_resolved_or_still_present() {
        let mut prev = base();
        let r = |c: &str| Reason {
            code: c.into(),
            text: format!("text of {c}"),
        };
        let at = |s: i64| jiff::Timestamp::from_second(s).expect("time");
        prev.history.push(Event {
            at: at(1000),
            actor: "reviewer:old".into(),
            event: EventKind::Rejected,
            reasons: vec![r("R-OLD")],
            note: None,
            call: None,
        });
        prev.history.push(Event {
            at: at(2000),
            actor: "bureau".into(),
            event: EventKind::BureauRejected,
            reasons: vec![r("R-ADDR"), r("SUBJ-NAME-RULE"), r("R-GONE")],
            note: None,
            call: None,
        });
        let mut cur = base();
        cur.previous = Some(Box::new(prev));
        let reasons = previous_reasons(&cur);
        assert_eq!(reasons.len(), 3, "the latest rejection's reasons");
        let checks = check_reasons(
            &reasons,
            &[
                finding("X-1", "R-ADDR"),
                finding("SUBJ-NAME-RULE", "R-OTHER"),
            ],
        );
        let got: Vec<(&str, bool)> = checks
            .iter()
            .map(|c| (c.reason.code.as_str(), c.resolved))
            .collect();
        assert_eq!(
            got,
            vec![
                ("R-ADDR", false),
                ("SUBJ-NAME-RULE", false),
                ("R-GONE", true)
            ]
        );
        assert!(previous_reasons(&base()).is_empty());
    }
}
