//! The queue's conformance suite at the level of the `Queue` trait (`Arc<dyn Queue>`):
//! every test is written once and runs three times — the embedded queue on SQLite, the
//! HTTP client against `serve` on SQLite, and the HTTP client against `serve` on
//! PostgreSQL (when `DATABASE_URL` is set). A caller is bound when its queue is built;
//! over HTTP that is a token naming the caller. A failure names the backend.
//! (`store_conformance` covers the store's internals.)

#[macro_use]
#[allow(unused_macros, unused_imports)]
mod store_common;
#[macro_use]
#[allow(unused_macros)]
mod server_common;

use icp_review::domain::{CallOutcome, Reason, Status};
use icp_review::queue::{
    Action, CallPlan, ChangeKind, Decision, ListQuery, Queue, QueueError, Sort,
};
use serde_json::Value;
use server_common::*;
use std::sync::Arc;
use store_common::*;

fn decision(action: Action, expected_version: i64) -> Decision {
    Decision {
        action,
        expected_version,
        reasons: Vec::new(),
        note: None,
        call: None,
        override_blocks: false,
    }
}

fn reject(v: i64) -> Decision {
    Decision {
        reasons: vec![Reason {
            code: "ID-USCC-CHECKSUM".into(),
            text: "统一社会信用代码校验位错误".into(),
        }],
        note: Some("please fix the credit code".into()),
        ..decision(Action::Reject, v)
    }
}

/// A sample order as order `id` (no material bytes).
fn sample_as(name: &str, id: &str) -> Value {
    let mut v = sample_value(name);
    v["id"] = id.into();
    v["account"] = format!("acct-{}", id.to_lowercase()).into();
    v
}

async fn add(q: &Arc<dyn Queue>, v: &Value) -> i64 {
    q.intake(&v.to_string(), Vec::new())
        .await
        .unwrap_or_else(|e| panic!("intake {}: {e}", v["id"]))
        .version
}

/// Orders `Q-01`..`Q-n`, pending, added through `q`.
async fn pending(q: &Arc<dyn Queue>, n: u32) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let id = format!("Q-{i:02}");
        let mut v = enterprise_copy(&id, i);
        v["submitted_at"] = format!("2026-11-{:02}T10:00:00+08:00", 1 + i).into();
        assert_eq!(add(q, &v).await, 1);
        ids.push(id);
    }
    ids
}

/// The next Monday (working day) at `hh:mm` +08:00.
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

queue_test!(the_caller_is_bound_to_the_queue, |b| {
    let alice = b.reviewer("alice").await;
    assert_eq!(alice.actor().name, "alice");
    let lead = b.lead("wang").await;
    assert_eq!(lead.actor().role, icp_review::queue::Role::Lead);
    let ids = pending(&lead, 1).await;
    alice.claim(&ids[0], 60).await.expect("claim");
    let audit = alice.audit(Some(&ids[0])).await.expect("audit");
    let actors: Vec<(&str, &str)> = audit
        .iter()
        .map(|a| (a.actor.as_str(), a.action.as_str()))
        .collect();
    assert_eq!(
        actors,
        vec![("wang", "intake"), ("alice", "claim")],
        "{}",
        b.name
    );
});

queue_test!(list_filters_sorts_and_pages, |b| {
    let q = b.reviewer("alice").await;
    let ids = pending(&q, 5).await;
    let mut v = sample_as("clean-individual.json", "Q-IND");
    v["status"] = "approved".into();
    add(&q, &v).await;
    // Pages of two, in age order, cover everything once.
    let mut seen = Vec::new();
    let mut query = ListQuery {
        status: vec![Status::Pending],
        limit: Some(2),
        ..ListQuery::default()
    };
    loop {
        let page = q.list(&query).await.expect("list");
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|s| s.id.clone()));
        match page.next {
            Some(n) => query.cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, ids, "[{}] pending by age, paged", b.name);
    let approved = q
        .list(&ListQuery {
            status: vec![Status::Approved],
            ..ListQuery::default()
        })
        .await
        .expect("list approved");
    let got: Vec<&str> = approved.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(got, vec!["Q-IND"]);
    let found = q
        .list(&ListQuery {
            q: Some("Q-03".into()),
            ..ListQuery::default()
        })
        .await
        .expect("search");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].id, "Q-03");
    assert_eq!(found.items[0].version, 1);
    let by_findings = q
        .list(&ListQuery {
            sort: Sort::Findings,
            ..ListQuery::default()
        })
        .await
        .expect("sort by findings");
    assert_eq!(by_findings.items.len(), 6);
    assert_invalid(
        q.list(&ListQuery {
            cursor: Some("not a cursor".into()),
            ..ListQuery::default()
        })
        .await,
        Some("cursor"),
        "a forged cursor",
    );
});

queue_test!(get_returns_version_findings_and_claim, |b| {
    let q = b.reviewer("alice").await;
    assert_not_found(q.get("NOPE").await, "unknown order");
    let ids = pending(&q, 1).await;
    let d = q.get(&ids[0]).await.expect("get");
    assert_eq!(d.order.id, ids[0]);
    assert_eq!(d.version, 1);
    assert!(d.claim.is_none());
    assert!(
        d.findings.iter().any(|f| f.rule == "MAT-FILE-MISSING"),
        "[{}] no bytes were sent: the materials are missing",
        b.name
    );
    q.claim(&ids[0], 120).await.expect("claim");
    let d = q.get(&ids[0]).await.expect("get");
    assert_eq!(d.claim.map(|c| c.reviewer).as_deref(), Some("alice"));
});

queue_test!(a_claim_conflict_names_the_holder, |b| {
    let alice = b.reviewer("alice").await;
    let bob = b.reviewer("bob").await;
    let ids = pending(&alice, 1).await;
    let id = &ids[0];
    let c = alice.claim(id, 60).await.expect("alice claims");
    assert_eq!(c.reviewer, "alice");
    match bob.claim(id, 60).await {
        Err(QueueError::Conflict(m)) => assert!(m.contains("alice"), "[{}] {m}", b.name),
        other => panic!("[{}] bob's claim: {other:?}", b.name),
    }
    match bob.release(id).await {
        Err(QueueError::Conflict(m)) => assert!(m.contains("alice"), "{m}"),
        other => panic!("[{}] bob's release of alice's claim: {other:?}", b.name),
    }
    // Renewing one's own claim is fine.
    alice.claim(id, 120).await.expect("renew");
    alice.release(id).await.expect("release");
    assert_eq!(bob.claim(id, 60).await.expect("bob claims").reviewer, "bob");
    assert_not_found(bob.claim("NOPE", 60).await, "claim of an unknown order");
});

queue_test!(force_release_is_for_leads_and_audited, |b| {
    let alice = b.reviewer("alice").await;
    let bob = b.reviewer("bob").await;
    let lead = b.lead("wang").await;
    let ids = pending(&alice, 1).await;
    let id = &ids[0];
    alice.claim(id, 600).await.expect("claim");
    match bob.force_release(id).await {
        Err(QueueError::Forbidden(m)) => assert!(m.contains("bob"), "{m}"),
        other => panic!("[{}] a reviewer's force release: {other:?}", b.name),
    }
    let released = lead.force_release(id).await.expect("lead force-releases");
    assert_eq!(released.map(|c| c.reviewer).as_deref(), Some("alice"));
    assert_eq!(lead.force_release(id).await.expect("again"), None);
    assert!(alice.get(id).await.expect("get").claim.is_none());
    let audit = lead.audit(Some(id)).await.expect("audit");
    let last = audit.last().expect("a row");
    assert_eq!(last.action, "force_release");
    assert_eq!(last.actor, "wang");
    assert!(last.note.as_deref().unwrap_or("").contains("alice"));
    bob.claim(id, 60).await.expect("bob may claim now");
});

queue_test!(
    decisions_are_idempotent_and_check_the_version_and_claim,
    |b| {
        let alice = b.reviewer("alice").await;
        let bob = b.reviewer("bob").await;
        let ids = pending(&alice, 3).await;
        alice.claim(&ids[0], 60).await.expect("claim");
        let out = alice
            .decide(&ids[0], &reject(1), "k-1")
            .await
            .expect("reject");
        assert_eq!(
            (out.status, out.version, out.replayed),
            (Status::Rejected, 2, false)
        );
        let again = alice
            .decide(&ids[0], &reject(1), "k-1")
            .await
            .expect("replay");
        assert_eq!(
            (again.status, again.version, again.replayed),
            (Status::Rejected, 2, true)
        );
        // A stale version.
        assert_conflict(
            alice.decide(&ids[1], &reject(7), "k-2").await,
            "stale version",
        );
        // Someone else's claim.
        bob.claim(&ids[1], 60).await.expect("bob claims");
        match alice.decide(&ids[1], &reject(1), "k-3").await {
            Err(QueueError::Conflict(m)) => assert!(m.contains("bob"), "[{}] {m}", b.name),
            other => panic!("[{}] deciding bob's order: {other:?}", b.name),
        }
        // A rejection needs a reason; an approval with blocking findings needs an override.
        let mut no_reason = reject(1);
        no_reason.reasons.clear();
        assert_invalid(
            alice.decide(&ids[2], &no_reason, "k-4").await,
            Some("reasons"),
            "no reason",
        );
        let approve = decision(Action::Approve, 1);
        assert!(alice.decide(&ids[2], &approve, "k-5").await.is_err());
        assert_invalid(
            alice.decide(&ids[2], &reject(1), " ").await,
            Some("Idempotency-Key"),
            "no key",
        );
        let audit = alice.audit(Some(&ids[0])).await.expect("audit");
        assert_eq!(
            decision_rows(&audit).len(),
            1,
            "[{}] one decision row",
            b.name
        );
    }
);

queue_test!(calls_are_scheduled_listed_and_recorded, |b| {
    let alice = b.reviewer("alice").await;
    let ids = pending(&alice, 1).await;
    let id = &ids[0];
    let (at, at_ms) = next_monday_at(10, 0);
    let d = Decision {
        call: Some(CallPlan {
            at: at.clone(),
            who: "subject_leader".into(),
            phone: "13826541298".into(),
        }),
        ..decision(Action::ScheduleCall, 1)
    };
    let out = alice.decide(id, &d, "call-1").await.expect("schedule");
    assert_eq!(out.status, Status::AwaitingCall);
    let calls = alice
        .calls(at_ms - 1000, at_ms + 1000)
        .await
        .expect("calls");
    assert_eq!(calls.len(), 1, "[{}]", b.name);
    assert_eq!(
        (calls[0].order.as_str(), calls[0].at_ms),
        (id.as_str(), at_ms)
    );
    assert!(
        alice
            .calls(at_ms + 1000, at_ms + 2000)
            .await
            .expect("calls")
            .is_empty()
    );
    let (night, _) = next_monday_at(22, 0);
    let mut late = d.clone();
    late.call.as_mut().expect("call").at = night;
    assert_invalid(
        alice.decide(&ids[0], &late, "call-2").await,
        Some("call.at"),
        "a call at night",
    );
    let back = alice
        .record_call(id, CallOutcome::Verified, Some("confirmed"))
        .await
        .expect("record");
    assert_eq!(back.status, Status::Pending);
    let calls = alice
        .calls(at_ms - 1000, at_ms + 1000)
        .await
        .expect("calls");
    assert_eq!(calls[0].outcome, Some(CallOutcome::Verified));
    assert_conflict(
        alice.record_call(id, CallOutcome::Verified, None).await,
        "no call is scheduled any more",
    );
});

queue_test!(reopen_is_for_leads, |b| {
    let alice = b.reviewer("alice").await;
    let lead = b.lead("wang").await;
    let ids = pending(&alice, 1).await;
    let id = &ids[0];
    alice.decide(id, &reject(1), "r-1").await.expect("reject");
    match alice.reopen(id, "wrong reason").await {
        Err(QueueError::Forbidden(_)) => {}
        other => panic!("[{}] a reviewer reopening: {other:?}", b.name),
    }
    assert_invalid(
        lead.reopen(id, "  ").await,
        Some("note"),
        "reopen without a note",
    );
    let out = lead
        .reopen(id, "the reason did not apply")
        .await
        .expect("reopen");
    assert_eq!((out.status, out.version), (Status::Pending, 3));
    assert_conflict(lead.reopen(id, "again").await, "reopen of a pending order");
});

queue_test!(intake_refuses_invalid_orders_naming_the_path, |b| {
    let q = b.reviewer("filing-system").await;
    let mut v = sample_value("clean-enterprise.json");
    v["status"] = "sleeping".into();
    assert_invalid(
        q.intake(&v.to_string(), Vec::new()).await,
        Some("status"),
        "unknown status",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["id"] = "   ".into();
    assert_invalid(
        q.intake(&v.to_string(), Vec::new()).await,
        Some("id"),
        "blank id",
    );
    let mut v = sample_value("clean-enterprise.json");
    v["sites"][0]["domains"] = "example.cn".into();
    match q.intake(&v.to_string(), Vec::new()).await {
        Err(QueueError::Invalid { path: Some(p), .. }) => {
            assert!(p.starts_with("sites[0].domains"), "[{}] path {p}", b.name)
        }
        other => panic!("[{}] domains not a list: {other:?}", b.name),
    }
    assert_invalid(q.intake("{not json", Vec::new()).await, None, "not JSON");
    assert_invalid(q.intake("", Vec::new()).await, None, "empty");
    assert_eq!(
        q.stats().await.expect("stats").total,
        0,
        "[{}] nothing stored",
        b.name
    );
});

queue_test!(materials_come_back_byte_for_byte, |b| {
    let q = b.reviewer("filing-system").await;
    let v = enterprise_copy("M-1", 1);
    let mats = sample_materials("clean-enterprise.json");
    assert!(!mats.is_empty());
    q.intake(&v.to_string(), mats.clone())
        .await
        .expect("intake with bytes");
    for (mid, bytes) in &mats {
        let got = q.material("M-1", mid).await.expect("material");
        assert_eq!(&got.bytes, bytes, "[{}] material {mid}", b.name);
        assert!(!got.media_type.is_empty());
    }
    assert_not_found(
        q.material("M-1", "no-such-material").await,
        "unknown material",
    );
    assert_not_found(q.material("NOPE", &mats[0].0).await, "unknown order");
    let d = q.get("M-1").await.expect("get");
    assert!(
        !d.findings.iter().any(|f| f.rule == "MAT-FILE-MISSING"),
        "[{}] the uploaded bytes are what the rules see",
        b.name
    );
    // A material the sender could not read is a finding on that material.
    let mut v2 = enterprise_copy("M-2", 2);
    v2["id"] = "M-2".into();
    let mut uploads: Vec<(String, icp_review::queue::MaterialUpload)> = mats
        .iter()
        .map(|(id, b)| {
            (
                id.clone(),
                icp_review::queue::MaterialUpload::Bytes(Arc::new(b.clone())),
            )
        })
        .collect();
    uploads[0].1 = icp_review::queue::MaterialUpload::Unreadable("permission denied".into());
    q.intake_uploads(&v2.to_string(), uploads)
        .await
        .expect("intake uploads");
    let d2 = q.get("M-2").await.expect("get M-2");
    assert!(
        matches!(
            d2.materials[0],
            icp_review::rules::MaterialState::Unreadable(_)
        ),
        "[{}] the unreadable material is recorded as such: {:?}",
        b.name,
        d2.materials[0]
    );
});

queue_test!(notes_are_audited_and_cannot_pose_as_changes, |b| {
    let q = b.reviewer("alice").await;
    let ids = pending(&q, 1).await;
    q.note_action(&ids[0], "reveal_personal_data", "checking the id card")
        .await
        .expect("note");
    assert_invalid(
        q.note_action(&ids[0], "approve", "sneaky").await,
        Some("action"),
        "a note posing as a decision",
    );
    assert_not_found(
        q.note_action("NOPE", "reveal_personal_data", "x").await,
        "unknown order",
    );
    let audit = q.audit(Some(&ids[0])).await.expect("audit");
    assert_eq!(
        audit.last().map(|a| a.action.as_str()),
        Some("reveal_personal_data")
    );
    let all = q.audit(None).await.expect("all audit");
    assert!(all.len() >= audit.len());
});

queue_test!(stats_count_what_awaits_review, |b| {
    let q = b.reviewer("alice").await;
    assert_eq!(q.stats().await.expect("stats").total, 0);
    let ids = pending(&q, 3).await;
    let s = q.stats().await.expect("stats");
    assert_eq!((s.total, s.awaiting_review), (3, 3), "[{}]", b.name);
    q.decide(&ids[0], &reject(1), "s-1").await.expect("reject");
    let s = q.stats().await.expect("stats");
    assert_eq!((s.total, s.awaiting_review), (3, 2), "[{}]", b.name);
});

queue_test!(subscribers_see_changes_in_order_and_resume, |b| {
    let alice = b.reviewer("alice").await;
    let bob = b.reviewer("bob").await;
    let mut live = bob.subscribe(None).await.expect("subscribe");
    let ids = pending(&alice, 2).await;
    alice.claim(&ids[0], 60).await.expect("claim");
    alice
        .decide(&ids[0], &reject(1), "e-1")
        .await
        .expect("reject");
    let mut got = Vec::new();
    while got.len() < 4 {
        let c = next_change(&mut live, 10)
            .await
            .unwrap_or_else(|| panic!("[{}] events so far: {got:?}", b.name));
        got.push(c);
    }
    let kinds: Vec<(ChangeKind, &str)> = got.iter().map(|c| (c.kind, c.order.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (ChangeKind::OrderAdded, "Q-01"),
            (ChangeKind::OrderAdded, "Q-02"),
            (ChangeKind::Claimed, "Q-01"),
            (ChangeKind::Decided, "Q-01"),
        ],
        "[{}]",
        b.name
    );
    assert!(got.windows(2).all(|w| w[0].id < w[1].id), "ids increase");
    assert_eq!(got[2].actor, "alice");
    assert_eq!((got[3].version, got[3].status), (2, Some(Status::Rejected)));
    // Resume after the first event: the rest again, in order.
    let mut resumed = alice.subscribe(Some(got[0].id)).await.expect("resume");
    for want in &got[1..] {
        let c = next_change(&mut resumed, 10)
            .await
            .expect("a resumed event");
        assert_eq!(&c, want, "[{}]", b.name);
    }
    // From now on only: nothing old, then the next change.
    let mut fresh = alice.subscribe(None).await.expect("subscribe now");
    alice
        .release(&ids[0])
        .await
        .expect("release (nothing held)");
    bob.claim(&ids[1], 60).await.expect("bob claims");
    let c = next_change(&mut fresh, 10).await.expect("the new event");
    assert_eq!(
        (c.kind, c.order.as_str(), c.actor.as_str()),
        (ChangeKind::Claimed, "Q-02", "bob")
    );
});

queue_test!(leads_triage_and_reassign_with_roles, |b| {
    let alice = b.reviewer("alice").await;
    let lead = b.lead("wang").await;
    let ids = pending(&alice, 2).await;
    alice
        .decide(&ids[0], &reject(1), "t-1")
        .await
        .expect("reject");
    // The triage list: the rejected order, its reasons and who rejected it.
    let items = alice.triage().await.expect("triage");
    assert_eq!(items.len(), 1, "[{}] {items:?}", b.name);
    assert_eq!(items[0].summary.id, ids[0]);
    assert_eq!(items[0].summary.status, Status::Rejected);
    assert_eq!(items[0].by, "alice");
    assert_eq!(items[0].reasons[0].code, "ID-USCC-CHECKSUM");
    // A reviewer may not reassign; nothing changes.
    match alice.reassign(&ids[0], "bob", "take this").await {
        Err(QueueError::Forbidden(_)) => {}
        other => panic!("[{}] a reviewer reassigning: {other:?}", b.name),
    }
    assert_eq!(alice.get(&ids[0]).await.expect("get").version, 2);
    // Near miss: the lead may; the order is pending again and held for bob.
    let out = lead
        .reassign(&ids[0], "bob", "bob knows this province")
        .await
        .expect("reassign");
    assert_eq!(
        (out.status, out.version),
        (Status::Pending, 3),
        "[{}]",
        b.name
    );
    let d = lead.get(&ids[0]).await.expect("get");
    assert_eq!(d.claim.map(|c| c.reviewer), Some("bob".to_string()));
    assert!(lead.triage().await.expect("triage").is_empty());
    let audit = lead.audit(Some(&ids[0])).await.expect("audit");
    let last = audit.last().expect("a row");
    assert_eq!(
        (last.actor.as_str(), last.action.as_str()),
        ("wang", "reassign")
    );
    assert_eq!(
        last.note.as_deref(),
        Some("reassigned to bob: bob knows this province")
    );
    assert_not_found(lead.reassign("NOPE", "bob", "x").await, "unknown order");
});

queue_test!(
    closing_a_call_schedules_the_retry_and_names_the_next_step,
    |b| {
        use icp_review::domain::calls::NextStep;
        let alice = b.reviewer("alice").await;
        let ids = pending(&alice, 2).await;
        let (at, at_ms) = next_monday_at(10, 0);
        let d = Decision {
            call: Some(CallPlan {
                at,
                who: "subject_leader".into(),
                phone: "13826541298".into(),
            }),
            ..decision(Action::ScheduleCall, 1)
        };
        alice.decide(&ids[0], &d, "cc-1").await.expect("schedule");
        // No call waiting on the other order: refused.
        assert_conflict(
            alice.close_call(&ids[1], CallOutcome::NoAnswer, None).await,
            "close a call that does not exist",
        );
        let first = alice
            .close_call(&ids[0], CallOutcome::NoAnswer, None)
            .await
            .expect("no answer");
        let retry_ms = at_ms + 3_600_000;
        assert_eq!(
            first.next,
            NextStep::Retry(jiff::Timestamp::from_millisecond(retry_ms).expect("time")),
            "[{}]",
            b.name
        );
        assert_eq!(first.outcome.status, Status::AwaitingCall);
        let calls = alice
            .calls(at_ms - 1000, retry_ms + 1000)
            .await
            .expect("calls");
        assert_eq!(calls.len(), 2, "[{}] the retry is on the agenda", b.name);
        let verified = alice
            .close_call(&ids[0], CallOutcome::Verified, Some("confirmed"))
            .await
            .expect("verified");
        assert_eq!(verified.next, NextStep::Approve, "[{}]", b.name);
        assert_eq!(verified.outcome.status, Status::Pending);
    }
);

queue_test!(the_report_counts_decisions_per_reviewer, |b| {
    let alice = b.reviewer("alice").await;
    let bob = b.reviewer("bob").await;
    let ids = pending(&alice, 3).await;
    alice
        .decide(&ids[0], &reject(1), "r-1")
        .await
        .expect("reject");
    alice
        .decide(&ids[1], &reject(1), "r-2")
        .await
        .expect("reject");
    bob.decide(&ids[2], &reject(1), "r-3")
        .await
        .expect("reject");
    let today = jiff::Timestamp::now()
        .to_zoned(icp_review::queue::time::shanghai())
        .date();
    let r = bob.report(today, today, 2).await.expect("report");
    assert_eq!(
        r.per_reviewer(),
        vec![("alice".to_string(), 2), ("bob".to_string(), 1)],
        "[{}]",
        b.name
    );
    assert_eq!(r.first_decisions, 3);
    assert_eq!(
        r.rejection_reasons
            .iter()
            .map(|c| (c.reason.as_str(), c.count))
            .collect::<Vec<_>>(),
        vec![("ID-USCC-CHECKSUM", 3)]
    );
    // A period before today: nothing.
    let earlier = today.yesterday().expect("a date");
    let r = bob.report(earlier, earlier, 2).await.expect("report");
    assert!(r.per_reviewer().is_empty(), "[{}]", b.name);
});

/// The next presence report on `stream` within `secs`.
async fn next_presence(
    stream: &mut icp_review::queue::EventStream,
    secs: u64,
) -> Option<icp_review::queue::presence::Presence> {
    use futures::StreamExt;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, stream.next()).await {
            Ok(Some(icp_review::queue::QueueEvent::Presence(p))) => return Some(p),
            Ok(Some(_)) => continue,
            _ => return None,
        }
    }
}

queue_test!(
    presence_is_reported_heard_listed_and_a_follower_may_not_act,
    |b| {
        use icp_review::queue::presence::Viewing;
        let alice = b.reviewer("alice").await;
        let bob = b.reviewer("bob").await;
        let ids = pending(&alice, 2).await;
        let mut live = bob.subscribe(None).await.expect("subscribe");
        let v = Viewing {
            order: Some(ids[0].clone()),
            view: "review".into(),
            pane: Some("findings".into()),
            selected: Some(ids[0].clone()),
            scroll: 3,
            filter: Some("凌云".into()),
            following: None,
            asks_drive: false,
        };
        let p = alice.set_presence(&v).await.expect("report");
        assert_eq!(p.name, "alice", "[{}]", b.name);
        assert!(p.until_ms > p.at_ms);
        let heard = next_presence(&mut live, 10)
            .await
            .unwrap_or_else(|| panic!("[{}] bob hears alice's presence", b.name));
        assert_eq!((heard.name.as_str(), &heard.viewing), ("alice", &v));
        let all = bob.presence().await.expect("who");
        assert_eq!(all.len(), 1, "[{}] {all:?}", b.name);
        assert_eq!(all[0].viewing, v);
        // A report no client sends is refused by its field.
        let bad = Viewing {
            following: Some("x\u{1b}[2J".into()),
            ..v.clone()
        };
        match alice.set_presence(&bad).await {
            Err(QueueError::Invalid { path, .. }) => {
                assert_eq!(path.as_deref(), Some("following"), "[{}]", b.name)
            }
            other => panic!("[{}] {other:?}", b.name),
        }
        // Bob follows alice: over HTTP the queue refuses his claims and decisions,
        // whatever his client sends.
        bob.set_presence(&Viewing {
            following: Some("alice".into()),
            ..Viewing::default()
        })
        .await
        .expect("follow");
        if b.name.starts_with("http") {
            match bob.claim(&ids[1], 60).await {
                Err(QueueError::Forbidden(m)) => assert!(m.contains("following"), "{m}"),
                other => panic!("[{}] a follower's claim: {other:?}", b.name),
            }
            match bob.decide(&ids[1], &reject(1), "f-1").await {
                Err(QueueError::Forbidden(_)) => {}
                other => panic!("[{}] a follower's decision: {other:?}", b.name),
            }
        }
        // Alice leaves: gone at once, and heard.
        alice.leave().await.expect("leave");
        let gone = loop {
            let p = next_presence(&mut live, 10)
                .await
                .unwrap_or_else(|| panic!("[{}] bob hears alice leave", b.name));
            if p.name == "alice" {
                break p;
            }
        };
        assert!(gone.until_ms <= gone.at_ms, "[{}] {gone:?}", b.name);
        let names: Vec<String> = bob
            .presence()
            .await
            .expect("who")
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, vec!["bob".to_string()], "[{}]", b.name);
        // Bob stops following: he may act again.
        bob.set_presence(&Viewing::default())
            .await
            .expect("unfollow");
        if b.name.starts_with("http") {
            bob.claim(&ids[1], 60).await.expect("claims again");
        }
    }
);
