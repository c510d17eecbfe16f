//! The leads' store operations on every engine: the triage list with reasons, reassigning
//! a rejected order (audited, refused from other statuses), closing a call with the
//! desks' next step (retry an hour later, then reject as unreachable), and the report's
//! input read back from real decisions.

#[macro_use]
mod store_common;

use icp_review::domain::calls::{NextStep, REFUSED, UNREACHABLE};
use icp_review::domain::{CallOutcome, EventKind, Reason, Status};
use icp_review::queue::store::Store;
use icp_review::queue::time::now_ms;
use icp_review::queue::{Action, Actor, CallPlan, Decision, LocalQueue, Queue};
use store_common::*;

/// The store as a lead sees it (reassigning is for leads).
fn lead(s: &Store) -> LocalQueue {
    as_actor(s, Actor::lead("lead"))
}

/// The store as the reviewer alice sees it.
fn alice(s: &Store) -> LocalQueue {
    as_actor(s, Actor::reviewer("alice"))
}

fn decision(action: Action, v: i64) -> Decision {
    Decision {
        action,
        expected_version: v,
        reasons: Vec::new(),
        note: None,
        call: None,
        override_blocks: false,
    }
}

fn reject(v: i64, code: &str) -> Decision {
    Decision {
        reasons: vec![Reason {
            code: code.into(),
            text: format!("words of {code}"),
        }],
        ..decision(Action::Reject, v)
    }
}

/// The next working Monday at hh:mm +08:00 (RFC 3339, Unix ms).
fn next_monday_at(hour: i8, minute: i8) -> (String, i64) {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let mut d = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let calendar = icp_review::domain::calendar::WorkCalendar::embedded();
    loop {
        d = d.tomorrow().expect("a date");
        if d.weekday() == jiff::civil::Weekday::Monday && calendar.is_working_day(d) {
            break;
        }
    }
    let z = d.at(hour, minute, 0, 0).to_zoned(tz).expect("a time");
    (
        z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        z.timestamp().as_millisecond(),
    )
}

fn call_at(v: i64, at: &str) -> Decision {
    Decision {
        call: Some(CallPlan {
            at: at.into(),
            who: "subject_leader".into(),
            phone: "13826541298".into(),
        }),
        ..decision(Action::ScheduleCall, v)
    }
}

conformance!(triage_lists_rejections_and_reassign_is_audited, |db| {
    let s = &db.store;
    intake_value(s, &enterprise_copy("TR-1", 1), Vec::new()).await;
    intake_value(s, &enterprise_copy("TR-2", 2), Vec::new()).await;
    s.decide("TR-1", "alice", &reject(1, "R-ADDRESS"), "k-tr1")
        .await
        .expect("reject");
    let items = lead(s).triage().await.expect("triage");
    assert_eq!(items.len(), 1, "only the rejected order: {items:?}");
    let it = &items[0];
    assert_eq!(it.summary.id, "TR-1");
    assert_eq!(it.by, "alice");
    assert_eq!(
        it.reasons
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>(),
        vec!["R-ADDRESS"]
    );
    assert!((now_ms() - it.rejected_ms).abs() < 60_000);

    // Near misses: a pending order cannot be reassigned; a reassignment needs whom and why.
    assert_conflict(
        lead(s).reassign("TR-2", "bob", "look again").await,
        "reassign a pending order",
    );
    assert_invalid(
        lead(s).reassign("TR-1", " ", "look again").await,
        Some("to"),
        "reassign to nobody",
    );
    assert_invalid(
        lead(s).reassign("TR-1", "bob", "").await,
        Some("note"),
        "reassign without a note",
    );
    // A reviewer may not reassign (nor reopen): only a lead.
    let refused = alice(s).reassign("TR-1", "bob", "look again").await;
    assert!(
        matches!(refused, Err(icp_review::queue::QueueError::Forbidden(_))),
        "{refused:?}"
    );
    let refused = alice(s).reopen("TR-1", "look again").await;
    assert!(
        matches!(refused, Err(icp_review::queue::QueueError::Forbidden(_))),
        "{refused:?}"
    );
    let out = lead(s)
        .reassign("TR-1", "bob", "the address was right")
        .await
        .expect("reassign");
    assert_eq!((out.status, out.version), (Status::Pending, 3));
    let d = s.get("TR-1").await.expect("get");
    assert_eq!(d.claim.as_ref().map(|c| c.reviewer.as_str()), Some("bob"));
    let ev = d.order.history.last().expect("event");
    assert_eq!(ev.actor, "reviewer:lead");
    assert!(
        ev.note.as_deref().is_some_and(|n| n.contains("bob")),
        "{ev:?}"
    );
    let audit = s.audit(Some("TR-1")).await.expect("audit");
    let last = audit.last().expect("a row");
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("lead", "reassign")
    );
    assert_eq!(
        (last.version_before, last.version_after),
        (Some(2), Some(3))
    );
    assert!(lead(s).triage().await.expect("triage").is_empty());
    // Bob holds it: another reviewer cannot decide it meanwhile.
    assert_conflict(
        s.decide("TR-1", "carol", &reject(3, "R-X"), "k-carol")
            .await,
        "decide an order reassigned to someone else",
    );
});

conformance!(close_call_retries_once_then_rejects_as_unreachable, |db| {
    let s = &db.store;
    intake_value(s, &enterprise_copy("CL-1", 3), Vec::new()).await;
    let (at, at_ms) = next_monday_at(10, 0);
    s.decide("CL-1", "alice", &call_at(1, &at), "k-cl1")
        .await
        .expect("schedule");
    // No call waiting on another order: refused.
    intake_value(s, &enterprise_copy("CL-2", 4), Vec::new()).await;
    assert_conflict(
        alice(s)
            .close_call("CL-2", CallOutcome::NoAnswer, None)
            .await,
        "close a call that does not exist",
    );
    // First unanswered: recorded, and the retry scheduled an hour later.
    let first = alice(s)
        .close_call("CL-1", CallOutcome::NoAnswer, None)
        .await
        .expect("first no answer");
    let retry_ms = at_ms + 3_600_000;
    assert_eq!(
        first.next,
        NextStep::Retry(jiff::Timestamp::from_millisecond(retry_ms).expect("time"))
    );
    assert_eq!(first.outcome.status, Status::AwaitingCall);
    let calls = s.calls_of("CL-1").await.expect("calls");
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].outcome, Some(CallOutcome::NoAnswer));
    assert_eq!((calls[1].at_ms, calls[1].outcome), (retry_ms, None));
    assert_eq!(calls[1].phone, "13826541298");
    let d = s.get("CL-1").await.expect("get");
    let kinds: Vec<EventKind> = d.order.history.iter().map(|e| e.event).collect();
    assert!(
        kinds.ends_with(&[
            EventKind::CallScheduled,
            EventKind::CallDone,
            EventKind::CallScheduled
        ]),
        "{kinds:?}"
    );
    // Second unanswered: back to the queue, the next step is a rejection.
    let second = alice(s)
        .close_call("CL-1", CallOutcome::NoAnswer, Some("twice"))
        .await
        .expect("second no answer");
    assert_eq!(second.next, NextStep::Reject(UNREACHABLE));
    assert_eq!(second.outcome.status, Status::Pending);
    let d = s.get("CL-1").await.expect("get");
    let last = d.order.history.last().expect("event");
    assert_eq!(last.event, EventKind::CallDone);
    assert_eq!(last.note.as_deref(), Some("no_answer: twice"));
});

conformance!(close_call_verified_and_refused, |db| {
    let s = &db.store;
    let (at, _) = next_monday_at(14, 0);
    for (id, n) in [("CV-1", 5), ("CV-2", 6)] {
        intake_value(s, &enterprise_copy(id, n), Vec::new()).await;
        s.decide(id, "alice", &call_at(1, &at), &format!("k-{id}"))
            .await
            .expect("schedule");
    }
    let v = alice(s)
        .close_call("CV-1", CallOutcome::Verified, None)
        .await
        .expect("verified");
    assert_eq!(
        (v.next, v.outcome.status),
        (NextStep::Approve, Status::Pending)
    );
    let r = alice(s)
        .close_call("CV-2", CallOutcome::Refused, None)
        .await
        .expect("refused");
    assert_eq!(r.next, NextStep::Reject(REFUSED));
});

conformance!(report_input_reads_decisions_and_bureau_rejections, |db| {
    let s = &db.store;
    for (id, n) in [("RP-1", 7), ("RP-2", 8), ("RP-3", 9)] {
        intake_value(s, &enterprise_copy(id, n), Vec::new()).await;
    }
    s.decide("RP-1", "alice", &reject(1, "R-A"), "k-rp1")
        .await
        .expect("reject");
    s.decide("RP-2", "bob", &reject(1, "R-A"), "k-rp2")
        .await
        .expect("reject");
    let (at, _) = next_monday_at(15, 0);
    s.decide("RP-3", "alice", &call_at(1, &at), "k-rp3")
        .await
        .expect("call");
    // A bureau rejection arrives with a resubmission's history.
    let mut v = enterprise_copy("RP-4", 10);
    v["status"] = "bureau_rejected".into();
    let at_b = jiff::Timestamp::now();
    v["history"] = serde_json::json!([{
        "at": at_b.to_string(), "actor": "bureau", "event": "bureau_rejected",
        "reasons": [{"code": "", "text": "短信核验超时"}]
    }]);
    intake_value(s, &v, Vec::new()).await;
    let now = now_ms();
    let input = s
        .report_input(now - 3_600_000, now + 3_600_000)
        .await
        .expect("input");
    let mine: Vec<(&str, &str, &str)> = input
        .decisions
        .iter()
        .filter(|d| d.order.starts_with("RP-"))
        .map(|d| (d.order.as_str(), d.reviewer.as_str(), d.action.as_str()))
        .collect();
    assert_eq!(
        mine,
        vec![
            ("RP-1", "alice", "reject"),
            ("RP-2", "bob", "reject"),
            ("RP-3", "alice", "schedule_call")
        ]
    );
    assert_eq!(input.decisions[0].reasons, vec!["R-A".to_string()]);
    assert_eq!(input.submitted.len(), 4);
    assert_eq!(input.bureau.len(), 1, "{:?}", input.bureau);
    assert_eq!(input.bureau[0].reasons, vec!["短信核验超时".to_string()]);
    // Outside the window: no bureau rejection.
    let early = s
        .report_input(now - 7_200_000, now - 3_600_000)
        .await
        .expect("input");
    assert!(early.bureau.is_empty());
    // The report over today counts them per reviewer.
    let today = jiff::Timestamp::now()
        .to_zoned(icp_review::queue::time::shanghai())
        .date();
    let (lo, hi) = icp_review::report::bounds_ms(today, today);
    let input = s.report_input(lo, hi).await.expect("input");
    let r = icp_review::report::compute(
        &input,
        today,
        today,
        icp_review::domain::calendar::WorkCalendar::embedded(),
        2,
    );
    assert_eq!(
        r.per_reviewer(),
        vec![("alice".to_string(), 2), ("bob".to_string(), 1)]
    );
    assert_eq!(r.rejection_reasons[0].reason, "R-A");
    assert_eq!(r.rejection_reasons[0].count, 2);
    assert_eq!(r.first_decisions, 3);
    // The samples were submitted on 2026-11-20: decided today, past two working days.
    assert_eq!(r.within_deadline, 0);
});
