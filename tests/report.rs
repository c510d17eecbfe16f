//! The leads' report against a fixture computed by hand (see the comments beside each
//! fact): period Mon 2026-11-23 to Tue 2026-11-24 (Asia/Shanghai), two working days
//! to decide.

use icp_review::domain::calendar::WorkCalendar;
use icp_review::report::{
    BureauFact, DecisionFact, ReasonCount, ReportInput, ReviewerDay, compute, period,
};
use jiff::civil::date;

fn ms(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .expect("time")
        .as_millisecond()
}

fn d(order: &str, reviewer: &str, action: &str, at: &str, reasons: &[&str]) -> DecisionFact {
    DecisionFact {
        order: order.into(),
        reviewer: reviewer.into(),
        action: action.into(),
        at_ms: ms(at),
        reasons: reasons.iter().map(|r| r.to_string()).collect(),
    }
}

fn fixture() -> ReportInput {
    let mut input = ReportInput::default();
    for (id, at) in [
        // Fri 10:00: deadline Tue 11-24 10:00.
        ("A", "2026-11-20T10:00:00+08:00"),
        // Saturday: counts from Mon 00:00, deadline Wed 11-25 00:00.
        ("B", "2026-11-21T15:00:00+08:00"),
        // Wed 11:00: deadline Fri 11-20 11:00 (missed).
        ("C", "2026-11-18T11:00:00+08:00"),
        ("D", "2026-11-19T09:00:00+08:00"),
        // Resubmitted Mon 12:00 (the earlier decision was on the previous version).
        ("E", "2026-11-23T12:00:00+08:00"),
        ("F", "2026-11-24T09:00:00+08:00"),
        // Tue 08:00: deadline Thu 11-26 08:00.
        ("G", "2026-11-24T08:00:00+08:00"),
    ] {
        input.submitted.insert(id.into(), ms(at));
    }
    input.decisions = vec![
        d(
            "E",
            "alice",
            "reject",
            "2026-11-20T09:00:00+08:00",
            &["R-OLD"],
        ),
        // Before the period: not counted anywhere (D's first decision is outside).
        d(
            "D",
            "bob",
            "reject",
            "2026-11-22T10:00:00+08:00",
            &["R-ADDR"],
        ),
        // A: first decision after 4290 min, in time.
        d(
            "A",
            "alice",
            "reject",
            "2026-11-23T09:30:00+08:00",
            &["R-ADDR", "R-NAME"],
        ),
        // Not a decision.
        d("C", "alice", "claim", "2026-11-23T09:59:00+08:00", &[]),
        // C: first decision after 7140 min, late.
        d(
            "C",
            "alice",
            "schedule_call",
            "2026-11-23T10:00:00+08:00",
            &[],
        ),
        // E: 60 min after its resubmission, in time.
        d(
            "E",
            "carol",
            "reject",
            "2026-11-23T13:00:00+08:00",
            &["R-ADDR"],
        ),
        d("C", "alice", "approve", "2026-11-24T09:00:00+08:00", &[]),
        // B: 4380 min, in time.
        d(
            "B",
            "bob",
            "approve_override",
            "2026-11-24T16:00:00+08:00",
            &[],
        ),
        // G: the period's last minute; 959 min, in time.
        d(
            "G",
            "bob",
            "reject",
            "2026-11-24T23:59:00+08:00",
            &["R-SITE"],
        ),
        // After the period.
        d("F", "alice", "approve", "2026-11-25T00:30:00+08:00", &[]),
    ];
    input.bureau = vec![
        BureauFact {
            order: "A".into(),
            at_ms: ms("2026-11-23T15:00:00+08:00"),
            reasons: vec!["SMS-TIMEOUT".into()],
        },
        BureauFact {
            order: "B".into(),
            at_ms: ms("2026-11-24T10:00:00+08:00"),
            reasons: vec!["SMS-TIMEOUT".into(), "R-NAME".into()],
        },
        BureauFact {
            order: "C".into(),
            at_ms: ms("2026-11-25T09:00:00+08:00"),
            reasons: vec!["X".into()],
        },
    ];
    input
}

fn rd(reviewer: &str, day: jiff::civil::Date, a: u32, r: u32, c: u32) -> ReviewerDay {
    ReviewerDay {
        reviewer: reviewer.into(),
        day,
        approved: a,
        rejected: r,
        calls: c,
        total: a + r + c,
    }
}

fn rc(reason: &str, count: u32) -> ReasonCount {
    ReasonCount {
        reason: reason.into(),
        count,
    }
}

#[test]
fn figures_match_the_hand_computed_fixture() {
    let (mon, tue) = (date(2026, 11, 23), date(2026, 11, 24));
    let r = compute(&fixture(), mon, tue, WorkCalendar::embedded(), 2);
    assert_eq!(
        r.per_reviewer_day,
        vec![
            rd("alice", mon, 0, 1, 1),
            rd("alice", tue, 1, 0, 0),
            rd("bob", tue, 1, 1, 0),
            rd("carol", mon, 0, 1, 0),
        ]
    );
    assert_eq!(r.per_day, vec![(mon, 3), (tue, 3)]);
    assert_eq!(r.first_decisions, 5);
    // 60, 959, 4290, 4380, 7140 minutes.
    assert_eq!(r.median_minutes_to_first_decision, Some(4290));
    assert_eq!(r.within_deadline, 4);
    assert_eq!(r.within_deadline_share, Some(0.8));
    assert_eq!(
        r.rejection_reasons,
        vec![rc("R-ADDR", 2), rc("R-NAME", 1), rc("R-SITE", 1)]
    );
    assert_eq!(
        r.bureau_reasons,
        vec![rc("SMS-TIMEOUT", 2), rc("R-NAME", 1)]
    );
    assert_eq!(
        r.per_reviewer(),
        vec![
            ("alice".to_string(), 3),
            ("bob".to_string(), 2),
            ("carol".to_string(), 1)
        ]
    );
}

#[test]
fn one_day_period_and_even_median() {
    let mon = date(2026, 11, 23);
    let r = compute(&fixture(), mon, mon, WorkCalendar::embedded(), 2);
    // A (4290), C (7140), E (60): median 4290; two of three in time.
    assert_eq!(r.first_decisions, 3);
    assert_eq!(r.median_minutes_to_first_decision, Some(4290));
    assert_eq!(r.within_deadline, 2);
    // Drop C: A and E, an even count: (60 + 4290) / 2.
    let mut input = fixture();
    input.decisions.retain(|d| d.order != "C");
    let r = compute(&input, mon, mon, WorkCalendar::embedded(), 2);
    assert_eq!(r.median_minutes_to_first_decision, Some(2175));
    assert_eq!(r.within_deadline_share, Some(1.0));
}

#[test]
fn empty_period_has_no_median_and_every_day_listed() {
    let r = compute(
        &ReportInput::default(),
        date(2026, 12, 1),
        date(2026, 12, 3),
        WorkCalendar::embedded(),
        2,
    );
    assert_eq!(r.first_decisions, 0);
    assert_eq!(r.median_minutes_to_first_decision, None);
    assert_eq!(r.within_deadline_share, None);
    assert_eq!(r.per_day.len(), 3);
    assert!(r.per_day.iter().all(|(_, n)| *n == 0));
}

#[test]
fn csv_has_one_line_per_figure() {
    let (mon, tue) = (date(2026, 11, 23), date(2026, 11, 24));
    let csv = compute(&fixture(), mon, tue, WorkCalendar::embedded(), 2).to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "metric,reviewer,day,reason,value");
    for want in [
        "decisions,alice,2026-11-23,,2",
        "rejected,carol,2026-11-23,,1",
        "median_minutes_to_first_decision,,,,4290",
        "within_deadline_share,,,,0.8000",
        "rejection_reason,,,R-ADDR,2",
        "bureau_rejection_reason,,,SMS-TIMEOUT,2",
    ] {
        assert!(lines.contains(&want), "{want} missing from\n{csv}");
    }
    // A reviewer id with a comma is quoted.
    let mut input = fixture();
    input.decisions[2].reviewer = "li, wei".into();
    let csv = compute(&input, mon, tue, WorkCalendar::embedded(), 2).to_csv();
    assert!(csv.contains("decisions,\"li, wei\",2026-11-23,,1"), "{csv}");
}

#[test]
fn periods_are_checked() {
    assert_eq!(
        period("2026-11-23", "2026-11-24"),
        Ok((date(2026, 11, 23), date(2026, 11, 24)))
    );
    assert!(period("2026-11-24", "2026-11-23").is_err());
    assert!(period("yesterday", "2026-11-23").is_err());
    assert!(period("2025-01-01", "2026-12-31").is_err());
}
