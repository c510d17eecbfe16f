//! The leads' report: decisions per reviewer per day, time from submission to the first
//! decision, the share decided within the review deadline, rejection reasons ranked and
//! the bureau's rejections by reason. One computation for the CLI (`icp-review report`),
//! the TUI's stats screen and the server.
//!
//! [`compute`] is pure: it takes what the store read ([`ReportInput`]) and the working
//! calendar. Days are Asia/Shanghai dates; `from` and `to` are both included.

use crate::domain::calendar::WorkCalendar;
use crate::queue::time::shanghai;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Audit actions that are a first-review decision.
pub const DECISION_ACTIONS: [&str; 4] = ["approve", "approve_override", "reject", "schedule_call"];

/// One decision as the audit log recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionFact {
    pub order: String,
    pub reviewer: String,
    /// One of [`DECISION_ACTIONS`].
    pub action: String,
    pub at_ms: i64,
    /// Reason codes (rejections).
    pub reasons: Vec<String>,
}

/// A bureau rejection of an order (from its history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BureauFact {
    pub order: String,
    pub at_ms: i64,
    /// The bureau's reason codes, or its words where it gave no code.
    pub reasons: Vec<String>,
}

/// What the report is computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    /// Every decision up to the end of the period (earlier ones tell which is the first).
    pub decisions: Vec<DecisionFact>,
    /// Submission time (of the current version) by order id.
    pub submitted: BTreeMap<String, i64>,
    pub bureau: Vec<BureauFact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerDay {
    pub reviewer: String,
    pub day: Date,
    pub approved: u32,
    pub rejected: u32,
    pub calls: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub from: Date,
    pub to: Date,
    pub review_days: u32,
    /// By reviewer, then day.
    pub per_reviewer_day: Vec<ReviewerDay>,
    /// Decisions per day of the period, every day listed (for a trend line).
    pub per_day: Vec<(Date, u32)>,
    /// Orders whose first decision (on their current version) fell in the period.
    pub first_decisions: u32,
    /// Median minutes from submission to that first decision.
    pub median_minutes_to_first_decision: Option<i64>,
    /// Of those, how many were within the review deadline (working days).
    pub within_deadline: u32,
    /// `within_deadline / first_decisions`, 0 to 1.
    pub within_deadline_share: Option<f64>,
    /// Our rejection reasons in the period, most frequent first (then by code).
    pub rejection_reasons: Vec<ReasonCount>,
    /// The bureau's rejections in the period by reason, most frequent first.
    pub bureau_reasons: Vec<ReasonCount>,
}

/// Why a period cannot be reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{0}: expected a date YYYY-MM-DD")]
    BadDate(String),
    #[error("the period ends ({to}) before it starts ({from})")]
    Reversed { from: Date, to: Date },
    #[error("a period of at most 366 days, not {0}")]
    TooLong(i64),
}

/// Read `--from` and `--to` (YYYY-MM-DD, both included).
pub fn period(from: &str, to: &str) -> Result<(Date, Date), PeriodError> {
    let read = |s: &str| {
        s.trim()
            .parse::<Date>()
            .map_err(|_| PeriodError::BadDate(s.to_string()))
    };
    let (f, t) = (read(from)?, read(to)?);
    if t < f {
        return Err(PeriodError::Reversed { from: f, to: t });
    }
    let days = (t - f).get_days() as i64 + 1;
    if days > 366 {
        return Err(PeriodError::TooLong(days));
    }
    Ok((f, t))
}

/// The period's bounds as Unix ms: `[start of from, start of the day after to)` in Shanghai.
pub fn bounds_ms(from: Date, to: Date) -> (i64, i64) {
    let start = |d: Date| {
        d.to_zoned(shanghai())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0)
    };
    let end = to.tomorrow().map(start).unwrap_or(i64::MAX);
    (start(from), end)
}

fn day_of(ms: i64) -> Option<Date> {
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_zoned(shanghai()).date())
}

fn ranked(counts: BTreeMap<String, u32>) -> Vec<ReasonCount> {
    let mut v: Vec<ReasonCount> = counts
        .into_iter()
        .map(|(reason, count)| ReasonCount { reason, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
    v
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    })
}

/// The report for `[from, to]`.
pub fn compute(
    input: &ReportInput,
    from: Date,
    to: Date,
    cal: &WorkCalendar,
    review_days: u32,
) -> Report {
    let (lo, hi) = bounds_ms(from, to);
    let in_period = |ms: i64| ms >= lo && ms < hi;
    let mut per: BTreeMap<(String, Date), ReviewerDay> = BTreeMap::new();
    let mut per_day: BTreeMap<Date, u32> = BTreeMap::new();
    let mut reasons: BTreeMap<String, u32> = BTreeMap::new();
    // The first decision of each order on its current version.
    let mut first: BTreeMap<&str, i64> = BTreeMap::new();
    for d in &input.decisions {
        if !DECISION_ACTIONS.contains(&d.action.as_str()) {
            continue;
        }
        if let Some(&sub) = input.submitted.get(&d.order)
            && d.at_ms >= sub
        {
            let e = first.entry(d.order.as_str()).or_insert(d.at_ms);
            *e = (*e).min(d.at_ms);
        }
        if !in_period(d.at_ms) {
            continue;
        }
        let Some(day) = day_of(d.at_ms) else { continue };
        let row = per
            .entry((d.reviewer.clone(), day))
            .or_insert_with(|| ReviewerDay {
                reviewer: d.reviewer.clone(),
                day,
                approved: 0,
                rejected: 0,
                calls: 0,
                total: 0,
            });
        match d.action.as_str() {
            "approve" | "approve_override" => row.approved += 1,
            "reject" => {
                row.rejected += 1;
                for r in &d.reasons {
                    *reasons.entry(r.clone()).or_default() += 1;
                }
            }
            _ => row.calls += 1,
        }
        row.total += 1;
        *per_day.entry(day).or_default() += 1;
    }
    let mut waits = Vec::new();
    let mut within = 0u32;
    for (order, at) in &first {
        if !in_period(*at) {
            continue;
        }
        let Some(&sub) = input.submitted.get(*order) else {
            continue;
        };
        waits.push((at - sub) / 60_000);
        let deadline = Timestamp::from_millisecond(sub)
            .map(|t| cal.deadline(t, review_days).as_millisecond())
            .unwrap_or(i64::MAX);
        if *at <= deadline {
            within += 1;
        }
    }
    let decided = waits.len() as u32;
    let mut bureau: BTreeMap<String, u32> = BTreeMap::new();
    for b in input.bureau.iter().filter(|b| in_period(b.at_ms)) {
        for r in &b.reasons {
            *bureau.entry(r.clone()).or_default() += 1;
        }
    }
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        days.push((d, per_day.get(&d).copied().unwrap_or(0)));
        match d.tomorrow() {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    Report {
        from,
        to,
        review_days,
        per_reviewer_day: per.into_values().collect(),
        per_day: days,
        first_decisions: decided,
        median_minutes_to_first_decision: median(waits),
        within_deadline: within,
        within_deadline_share: (decided > 0).then(|| f64::from(within) / f64::from(decided)),
        rejection_reasons: ranked(reasons),
        bureau_reasons: ranked(bureau),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Report {
    /// One table: `metric,reviewer,day,reason,value`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("metric,reviewer,day,reason,value\n");
        let mut line = |metric: &str, reviewer: &str, day: &str, reason: &str, value: String| {
            out.push_str(&format!(
                "{metric},{},{day},{},{value}\n",
                csv_field(reviewer),
                csv_field(reason)
            ));
        };
        for r in &self.per_reviewer_day {
            let day = r.day.to_string();
            line("approved", &r.reviewer, &day, "", r.approved.to_string());
            line("rejected", &r.reviewer, &day, "", r.rejected.to_string());
            line(
                "calls_scheduled",
                &r.reviewer,
                &day,
                "",
                r.calls.to_string(),
            );
            line("decisions", &r.reviewer, &day, "", r.total.to_string());
        }
        line(
            "first_decisions",
            "",
            "",
            "",
            self.first_decisions.to_string(),
        );
        line(
            "median_minutes_to_first_decision",
            "",
            "",
            "",
            self.median_minutes_to_first_decision
                .map(|m| m.to_string())
                .unwrap_or_default(),
        );
        line(
            "within_deadline",
            "",
            "",
            "",
            self.within_deadline.to_string(),
        );
        line(
            "within_deadline_share",
            "",
            "",
            "",
            self.within_deadline_share
                .map(|s| format!("{s:.4}"))
                .unwrap_or_default(),
        );
        for r in &self.rejection_reasons {
            line("rejection_reason", "", "", &r.reason, r.count.to_string());
        }
        for r in &self.bureau_reasons {
            line(
                "bureau_rejection_reason",
                "",
                "",
                &r.reason,
                r.count.to_string(),
            );
        }
        out
    }

    /// Decisions per reviewer over the whole period, most first.
    pub fn per_reviewer(&self) -> Vec<(String, u32)> {
        let mut m: BTreeMap<&str, u32> = BTreeMap::new();
        for r in &self.per_reviewer_day {
            *m.entry(r.reviewer.as_str()).or_default() += r.total;
        }
        let mut v: Vec<(String, u32)> = m.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}
