//! The rule engine: every rule of `spec/rules.md`, as a pure function of an order,
//! the inspected bytes of its materials, and an index of the other orders.
//!
//! `check_order` runs the per-order rules and the cross-order rules for one order; the
//! TUI, the store and the server call it directly. `check_batch` checks several orders
//! together the way `icp-review check FILE...` does.

mod access;
mod address;
mod app;
mod catalogue;
mod completeness;
mod contact;
pub mod data;
pub mod divisions;
mod domains;
pub mod filing_number;
mod filing_type;
mod identity;
pub mod index;
mod leaders;
mod materials;
mod province;
mod site;
pub mod text;

pub use catalogue::{
    CATALOGUE, CATALOGUE_VERSION, CONST_NAMES, Family, RuleId, RuleMeta, ids, meta,
};
pub use data::RuleData;
pub use index::{CrossIndex, MemoryIndex};

use crate::domain::Order;
use crate::material::{Inspection, MaterialError};
use serde::Serialize;
use std::net::IpAddr;

/// `block`: the order cannot pass as it is; `warn`: a reviewer must judge.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Block,
    Warn,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Block => "block",
            Severity::Warn => "warn",
        }
    }
}

/// One rule firing on one field.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// JSON path of the flagged field, e.g. `sites[0].leader.mobile`.
    pub path: String,
    /// The message in Chinese (what reviewers read by default).
    pub message: String,
    pub message_en: String,
    /// Code of the standard rejection reason this finding maps to.
    #[serde(default)]
    pub reason: String,
}

/// The state of one material's bytes, aligned with `order.materials`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum MaterialState {
    /// The bytes were not looked at (no material I/O in this run).
    NotChecked,
    Inspected(Inspection),
    Missing(String),
    Unreadable(String),
}

impl From<Result<Inspection, MaterialError>> for MaterialState {
    fn from(r: Result<Inspection, MaterialError>) -> Self {
        match r {
            Ok(i) => MaterialState::Inspected(i),
            Err(MaterialError::Missing(p)) => MaterialState::Missing(p.display().to_string()),
            Err(e @ MaterialError::Unreadable { .. }) => MaterialState::Unreadable(e.to_string()),
        }
    }
}

/// Settings of the provider that rules read (from config).
#[derive(Debug, Clone, Default)]
pub struct ProviderSettings {
    /// The provider's own public address ranges; empty means "not configured" and
    /// SITE-IP-NOT-PROVIDER stays silent.
    pub ip_ranges: Vec<IpRange>,
}

/// An address range in CIDR form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    pub base: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    pub fn parse(s: &str) -> Result<Self, String> {
        let (addr, prefix) = s.split_once('/').unwrap_or((s, ""));
        let base: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("not an IP range: {s:?}"))?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() {
            max
        } else {
            prefix
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("bad prefix length in {s:?}"))?
        };
        Ok(IpRange { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.prefix))
                };
                u32::from(b) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(b), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.prefix))
                };
                u128::from(b) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// Everything a rule may look at besides the order itself.
pub struct Context<'a> {
    pub data: &'a RuleData,
    pub provider: &'a ProviderSettings,
    /// Other orders (the batch, or the queue's store).
    pub others: &'a dyn CrossIndex,
}

/// What an order is checked with.
pub struct Subject<'a> {
    pub order: &'a Order,
    /// Aligned with `order.materials`; empty when materials were not inspected.
    pub materials: &'a [MaterialState],
}

impl<'a> Subject<'a> {
    pub fn material_state(&self, i: usize) -> &MaterialState {
        self.materials.get(i).unwrap_or(&MaterialState::NotChecked)
    }
}

/// Collects findings; fills in the rejection reason from the catalogue.
pub struct Out<'a> {
    data: &'a RuleData,
    pub findings: Vec<Finding>,
}

impl<'a> Out<'a> {
    pub fn new(data: &'a RuleData) -> Self {
        Out {
            data,
            findings: Vec::new(),
        }
    }

    /// Push a finding. The catalogue must allow `severity` for `rule` (checked in debug
    /// builds, so every rule test checks it too; `tests/catalogue.rs` checks it on a corpus).
    pub fn push(
        &mut self,
        rule: RuleId,
        severity: Severity,
        path: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        debug_assert!(
            rule.meta().allows(severity),
            "rule {rule} pushed {severity:?}, which the catalogue does not allow ({})",
            rule.meta().severity
        );
        let id = rule.as_str();
        let reason = self.data.reason_code(id).unwrap_or_default().to_string();
        self.findings.push(Finding {
            rule: id.to_string(),
            severity,
            path: path.into(),
            message: zh.into(),
            message_en: en.into(),
            reason,
        });
    }
}

/// Check one order. `materials` is aligned with `order.materials` (pass `&[]` to skip
/// material byte checks). Findings come sorted: blocks first, then by path.
pub fn check_order(order: &Order, materials: &[MaterialState], ctx: &Context<'_>) -> Vec<Finding> {
    let subject = Subject { order, materials };
    let mut out = Out::new(ctx.data);
    identity::check(&subject, ctx, &mut out);
    contact::check(&subject, ctx, &mut out);
    domains::check(&subject, ctx, &mut out);
    site::check(&subject, ctx, &mut out);
    app::check(&subject, ctx, &mut out);
    access::check(&subject, ctx, &mut out);
    materials::check(&subject, ctx, &mut out);
    filing_type::check(&subject, ctx, &mut out);
    province::check(&subject, ctx, &mut out);
    // Version 2 families.
    leaders::check(&subject, ctx, &mut out);
    address::check(&subject, ctx, &mut out);
    filing_number::check(&subject, ctx, &mut out);
    completeness::check(&subject, ctx, &mut out);
    let mut findings = out.findings;
    findings.sort_by(|a, b| (a.severity, &a.path, &a.rule).cmp(&(b.severity, &b.path, &b.rule)));
    findings.dedup_by(|a, b| a.rule == b.rule && a.path == b.path);
    findings
}

/// Check several orders together: cross-order rules see all of them.
pub fn check_batch(
    orders: &[(Order, Vec<MaterialState>)],
    data: &RuleData,
    provider: &ProviderSettings,
) -> Vec<Vec<Finding>> {
    check_many(
        orders.iter().map(|(o, m)| (o, m.as_slice())),
        data,
        provider,
    )
}

/// [`check_batch`] over borrowed orders: the index is built once (linear in the number
/// of orders), then the orders are checked on all cores, results in input order.
pub fn check_many<'a>(
    orders: impl IntoIterator<Item = (&'a Order, &'a [MaterialState])>,
    data: &RuleData,
    provider: &ProviderSettings,
) -> Vec<Vec<Finding>> {
    let orders: Vec<(&Order, &[MaterialState])> = orders.into_iter().collect();
    let index = MemoryIndex::build(orders.iter().map(|(o, _)| *o));
    let ctx = Context {
        data,
        provider,
        others: &index,
    };
    parallel_map(&orders, |(o, m)| check_order(o, m, &ctx))
}

/// `f` over `items` on all cores (at most 8 threads), results in input order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// True when any finding blocks.
pub fn has_block(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Block)
}

/// A JSON path built only when a finding is pushed (formatting paths for every field of
/// every order would dominate the cost of a clean order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    outer: (&'static str, usize),
    inner: Option<(&'static str, usize)>,
    leaf: &'static str,
}

/// `name[i]`.
pub fn at(name: &'static str, i: usize) -> At {
    At {
        outer: (name, i),
        inner: None,
        leaf: "",
    }
}

impl At {
    /// `…name[j]`.
    pub fn then(self, name: &'static str, j: usize) -> At {
        At {
            inner: Some((name, j)),
            ..self
        }
    }
    /// `….leaf`.
    pub fn field(self, leaf: &'static str) -> At {
        At { leaf, ..self }
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.outer.0, self.outer.1)?;
        if let Some((n, j)) = self.inner {
            write!(f, ".{n}[{j}]")?;
        }
        if !self.leaf.is_empty() {
            write!(f, ".{}", self.leaf)?;
        }
        Ok(())
    }
}

impl From<At> for String {
    fn from(a: At) -> String {
        a.to_string()
    }
}
