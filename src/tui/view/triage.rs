//! The leads' triage: orders that came back rejected, by us or by the bureau, grouped by
//! reason (the first reason of the latest rejection: a reason code, or the bureau's own
//! words), with filters by province, who rejected, reason and age, and marks for bulk
//! actions. The grouping, counts and trend are computed here, not per frame.

use crate::domain::Status;
use crate::queue::TriageItem;
use crate::queue::time::shanghai;
use std::collections::{BTreeMap, BTreeSet};

pub const STATUSES: [Status; 2] = [Status::Rejected, Status::BureauRejected];

/// Days the trend line covers.
pub const TREND_DAYS: usize = 30;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The group an order falls in: its first reason's code, or the bureau's words.
pub fn group_of(item: &TriageItem) -> String {
    item.reasons
        .first()
        .map(|r| {
            if r.code.trim().is_empty() {
                r.text.trim().to_string()
            } else {
                r.code.clone()
            }
        })
        .unwrap_or_else(|| "—".to_string())
}

/// The triage list's data and filters (the province filter is the view's own query).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriageState {
    items: Vec<TriageItem>,
    pub(in crate::tui) req: u64,
    pub(in crate::tui) reviewer: Option<String>,
    pub(in crate::tui) reason: Option<String>,
    pub(in crate::tui) min_age_days: Option<u32>,
    /// Marked order ids, and the row of the last mark (for a range).
    pub(in crate::tui) marks: BTreeSet<String>,
    pub(in crate::tui) anchor: Option<usize>,
    /// What the filters let through, grouped (computed when data or filters change).
    shown: Vec<TriageItem>,
    counts: Vec<(String, u64)>,
    trend: Vec<u64>,
}

impl TriageState {
    pub fn items(&self) -> &[TriageItem] {
        &self.items
    }

    /// The orders the filters let through, grouped by reason (largest group first), the
    /// newest rejection first within a group.
    pub fn shown(&self) -> &[TriageItem] {
        &self.shown
    }

    /// Orders per reason among those shown (an order counts once under each of its
    /// reasons), most first.
    pub fn counts(&self) -> &[(String, u64)] {
        &self.counts
    }

    /// Rejections per day over the last [`TREND_DAYS`] days, oldest first (all loaded
    /// orders, whatever the filters).
    pub fn trend(&self) -> &[u64] {
        &self.trend
    }

    pub fn marks(&self) -> &BTreeSet<String> {
        &self.marks
    }

    pub fn reviewer(&self) -> Option<&str> {
        self.reviewer.as_deref()
    }

    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    pub fn min_age_days(&self) -> Option<u32> {
        self.min_age_days
    }

    pub(in crate::tui) fn set_items(&mut self, items: Vec<TriageItem>) {
        self.items = items;
        let ids: BTreeSet<&str> = self.items.iter().map(|i| i.summary.id.as_str()).collect();
        self.marks.retain(|m| ids.contains(m.as_str()));
    }

    /// Apply the filters and group (call after data or a filter changed).
    pub(in crate::tui) fn refresh(&mut self, province: Option<&str>, now_ms: i64) {
        let min_age_ms = self.min_age_days.map(|d| i64::from(d) * DAY_MS);
        let mut shown: Vec<TriageItem> = self
            .items
            .iter()
            .filter(|i| province.is_none_or(|p| i.summary.province == p))
            .filter(|i| self.reviewer.as_deref().is_none_or(|r| i.by == r))
            .filter(|i| {
                self.reason
                    .as_deref()
                    .is_none_or(|r| i.reasons.iter().any(|x| x.code == r || x.text.trim() == r))
            })
            .filter(|i| min_age_ms.is_none_or(|m| now_ms - i.rejected_ms >= m))
            .cloned()
            .collect();
        let mut size: BTreeMap<String, usize> = BTreeMap::new();
        for i in &shown {
            *size.entry(group_of(i)).or_default() += 1;
        }
        shown.sort_by(|a, b| {
            let (ga, gb) = (group_of(a), group_of(b));
            size[&gb]
                .cmp(&size[&ga])
                .then(ga.cmp(&gb))
                .then(b.rejected_ms.cmp(&a.rejected_ms))
                .then(a.summary.id.cmp(&b.summary.id))
        });
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for i in &shown {
            let mut seen = BTreeSet::new();
            for r in &i.reasons {
                let k = if r.code.trim().is_empty() {
                    r.text.trim().to_string()
                } else {
                    r.code.clone()
                };
                if seen.insert(k.clone()) {
                    *counts.entry(k).or_default() += 1;
                }
            }
        }
        let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.shown = shown;
        self.counts = counts;
        self.trend = trend(&self.items, now_ms, TREND_DAYS);
    }

    /// Keep only the orders the list could show (a row that cannot be shown safely is
    /// left out of both, so rows and marks stay aligned).
    pub(in crate::tui) fn retain_ids(&mut self, ids: &BTreeSet<&str>) {
        self.shown.retain(|i| ids.contains(i.summary.id.as_str()));
    }

    /// Mark or unmark the order at `row`; it becomes the anchor of a range.
    pub(in crate::tui) fn toggle(&mut self, row: usize) {
        if let Some(i) = self.shown.get(row) {
            let id = i.summary.id.clone();
            if !self.marks.remove(&id) {
                self.marks.insert(id);
            }
            self.anchor = Some(row);
        }
    }

    /// Mark every order from the anchor (or the top) to `row`.
    pub(in crate::tui) fn mark_range(&mut self, row: usize) {
        let from = self.anchor.unwrap_or(0);
        let (lo, hi) = (from.min(row), from.max(row));
        for i in self.shown.iter().skip(lo).take(hi - lo + 1) {
            self.marks.insert(i.summary.id.clone());
        }
        self.anchor = Some(row);
    }

    /// The marked orders in list order, or the one at `row` when none is marked.
    pub(in crate::tui) fn targets(&self, row: usize) -> Vec<String> {
        if self.marks.is_empty() {
            return self
                .shown
                .get(row)
                .map(|i| vec![i.summary.id.clone()])
                .unwrap_or_default();
        }
        self.shown
            .iter()
            .filter(|i| self.marks.contains(&i.summary.id))
            .map(|i| i.summary.id.clone())
            .collect()
    }

    /// The orders an export writes: the marked ones, else every one shown.
    pub(in crate::tui) fn export_rows(&self) -> Vec<&TriageItem> {
        self.shown
            .iter()
            .filter(|i| self.marks.is_empty() || self.marks.contains(&i.summary.id))
            .collect()
    }
}

/// Rejections per Shanghai day for the `days` days up to today.
pub fn trend(items: &[TriageItem], now_ms: i64, days: usize) -> Vec<u64> {
    let day = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .ok()
            .map(|t| t.to_zoned(shanghai()).date())
    };
    let mut out = vec![0u64; days];
    let Some(today) = day(now_ms) else {
        return out;
    };
    for i in items {
        let Some(d) = day(i.rejected_ms) else {
            continue;
        };
        let ago = (today - d).get_days();
        if (0..days as i32).contains(&ago) {
            out[days - 1 - ago as usize] += 1;
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The export file: one line per order.
pub fn to_csv(rows: &[&TriageItem]) -> String {
    let mut out = String::from("order,status,province,subject,rejected_by,rejected_at,reasons\n");
    for i in rows {
        let reasons: Vec<String> = i
            .reasons
            .iter()
            .map(|r| {
                if r.code.is_empty() {
                    r.text.clone()
                } else {
                    r.code.clone()
                }
            })
            .collect();
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            csv_field(&i.summary.id),
            i.summary.status.as_str(),
            csv_field(&i.summary.province),
            csv_field(&i.summary.subject_name),
            csv_field(&i.by),
            crate::queue::time::rfc3339_shanghai(i.rejected_ms),
            csv_field(&reasons.join(";")),
        ));
    }
    out
}
