//! The store under concurrency and crashes, on each engine (SQLite always, PostgreSQL
//! when `DATABASE_URL` is set): racing reviewers decide each order once, a retried
//! request applies once, and a crash between a decision's order update and its audit row
//! leaves neither.

#[macro_use]
mod store_common;

use icp_review::domain::{EventKind, Status};
use icp_review::queue::store::Store;
use icp_review::queue::{Action, CallPlan, Decision, DecisionOutcome, QueueError};
use icp_review::rules::Severity;
use std::sync::Arc;
use store_common::*;

fn approve(v: i64) -> Decision {
    Decision {
        action: Action::Approve,
        expected_version: v,
        reasons: Vec::new(),
        note: None,
        call: None,
        override_blocks: false,
    }
}

/// `n` clean pending orders (copies of the clean enterprise sample with their own
/// identities, all materials uploaded), checked to have no blocking finding.
async fn clean_orders(store: &Store, prefix: &str, n: u32, first: u32) -> Vec<String> {
    let materials = sample_materials("clean-enterprise.json");
    let mut ids = Vec::new();
    for i in 0..n {
        let id = format!("{prefix}-{i}");
        intake_value(store, &enterprise_copy(&id, first + i), materials.clone()).await;
        ids.push(id);
    }
    for id in &ids {
        let d = store.get(id).await.expect("get");
        let blocks: Vec<_> = d
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .map(|f| &f.rule)
            .collect();
        assert!(
            blocks.is_empty(),
            "{id} must be clean to be approved: {blocks:?}"
        );
        assert_eq!((d.order.status, d.version), (Status::Pending, 1));
    }
    ids
}

#[derive(Debug)]
enum Op {
    Claim,
    Decide,
}

conformance!(racing_reviewers_decide_each_order_once, |db| {
    const ORDERS: usize = 8;
    const TASKS: usize = 32;
    let ids = Arc::new(clean_orders(&db.store, "RACE", ORDERS as u32, 100).await);
    let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
    let mut handles = Vec::new();
    for t in 0..TASKS {
        let store = db.store.clone();
        let ids = ids.clone();
        let barrier = barrier.clone();
        handles.push(tokio::spawn(async move {
            let id = ids[t % ORDERS].clone();
            let reviewer = format!("rev-{t}");
            barrier.wait().await;
            // Half the reviewers claim first (as the TUI does), half decide straight away.
            let claim = if t % 2 == 0 {
                Some(store.claim(&id, &reviewer, 60).await.map(|_| ()))
            } else {
                None
            };
            let decided = store
                .decide(&id, &reviewer, &approve(1), &format!("race-key-{t}"))
                .await;
            (t, id, reviewer, claim, decided)
        }));
    }
    let mut winners: std::collections::BTreeMap<String, Vec<(String, DecisionOutcome)>> =
        Default::default();
    let mut unexpected = Vec::new();
    for h in handles {
        let (t, id, reviewer, claim, decided) = h.await.expect("no task panics");
        if let Some(Err(e)) = &claim
            && !matches!(e, QueueError::Conflict(_))
        {
            unexpected.push((t, Op::Claim, e.clone()));
        }
        match decided {
            Ok(out) => winners.entry(id).or_default().push((reviewer, out)),
            Err(QueueError::Conflict(_)) => {}
            Err(e) => unexpected.push((t, Op::Decide, e)),
        }
    }
    assert!(
        unexpected.is_empty(),
        "losers must get Conflict (never Storage, Invalid, NotFound): {unexpected:#?}"
    );
    for id in ids.iter() {
        let w = winners.get(id).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(
            w.len(),
            1,
            "{id}: exactly one successful decision, got {w:?}"
        );
        let (winner, out) = &w[0];
        assert_eq!(
            (out.status, out.version, out.replayed),
            (Status::Approved, 2, false),
            "{id}"
        );
        let d = db.store.get(id).await.expect("get");
        assert_eq!((d.order.status, d.version), (Status::Approved, 2), "{id}");
        let approvals: Vec<_> = d
            .order
            .history
            .iter()
            .filter(|e| e.event == EventKind::Approved)
            .collect();
        assert_eq!(approvals.len(), 1, "{id}: one approved event");
        assert_eq!(approvals[0].actor, format!("reviewer:{winner}"));
        let audit = db.store.audit(Some(id)).await.expect("audit");
        let rows = decision_rows(&audit);
        assert_eq!(
            rows.len(),
            1,
            "{id}: exactly one decision audit row: {audit:#?}"
        );
        assert_eq!(&rows[0].actor, winner, "{id}: the audit names the winner");
        assert_eq!(
            (rows[0].version_before, rows[0].version_after),
            (Some(1), Some(2))
        );
    }
});

conformance!(same_idempotency_key_sent_concurrently_applies_once, |db| {
    const TASKS: usize = 8;
    let ids = clean_orders(&db.store, "DUP", 3, 140).await;
    for id in &ids {
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let mut handles = Vec::new();
        for _ in 0..TASKS {
            let store = db.store.clone();
            let barrier = barrier.clone();
            let id = id.clone();
            handles.push(tokio::spawn(async move {
                barrier.wait().await;
                store
                    .decide(&id, "alice", &approve(1), &format!("dup-key-{id}"))
                    .await
            }));
        }
        let mut applied = 0;
        let mut replays = 0;
        let mut conflicts = 0;
        let mut unexpected = Vec::new();
        for h in handles {
            match h.await.expect("no task panics") {
                Ok(out) => {
                    assert_eq!(
                        (out.status, out.version),
                        (Status::Approved, 2),
                        "{id}: {out:?}"
                    );
                    if out.replayed {
                        replays += 1;
                    } else {
                        applied += 1;
                    }
                }
                Err(QueueError::Conflict(_)) => conflicts += 1,
                Err(e) => unexpected.push(e),
            }
        }
        assert!(
            unexpected.is_empty(),
            "{id}: retries must replay or conflict: {unexpected:?}"
        );
        assert_eq!(
            applied, 1,
            "{id}: applied once ({replays} replays, {conflicts} conflicts)"
        );
        assert_eq!(applied + replays + conflicts, TASKS);
        let audit = db.store.audit(Some(id)).await.expect("audit");
        assert_eq!(
            decision_rows(&audit).len(),
            1,
            "{id}: one audit row: {audit:#?}"
        );
        let d = db.store.get(id).await.expect("get");
        assert_eq!((d.order.status, d.version), (Status::Approved, 2));
        // After the race, the key replays.
        let again = db
            .store
            .decide(id, "alice", &approve(1), &format!("dup-key-{id}"))
            .await
            .expect("replay");
        assert!(again.replayed && again.version == 2, "{again:?}");
    }
});

conformance!(a_claimed_order_is_not_decided_by_another_reviewer, |db| {
    // A decision checks the claim inside its transaction: while alice claims an order,
    // bob (who never claimed it) must not decide it. When both succeed, the audit log
    // shows which came first; bob's decision after alice's claim breaks the rule.
    const ROUNDS: usize = 40;
    for round in 0..ROUNDS {
        let id = format!("TOCTOU-{round}");
        let mut v = sample_value("clean-individual.json");
        v["id"] = id.clone().into();
        intake_value(&db.store, &v, Vec::new()).await;
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let (s1, s2, b1, b2, i1, i2) = (
            db.store.clone(),
            db.store.clone(),
            barrier.clone(),
            barrier,
            id.clone(),
            id.clone(),
        );
        let claim = tokio::spawn(async move {
            b1.wait().await;
            s1.claim(&i1, "alice", 600).await
        });
        let decide = tokio::spawn(async move {
            b2.wait().await;
            let d = Decision {
                action: Action::Reject,
                reasons: vec![icp_review::domain::Reason {
                    code: "MATERIAL-MISSING".into(),
                    text: String::new(),
                }],
                ..approve(1)
            };
            s2.decide(&i2, "bob", &d, &format!("toctou-{round}")).await
        });
        let claimed = claim.await.expect("claim task");
        let decided = decide.await.expect("decide task");
        for e in [claimed.as_ref().err(), decided.as_ref().err()]
            .into_iter()
            .flatten()
        {
            assert!(matches!(e, QueueError::Conflict(_)), "round {round}: {e:?}");
        }
        if claimed.is_ok() && decided.is_ok() {
            let audit = db.store.audit(Some(&id)).await.expect("audit");
            let claim_seq = audit.iter().find(|a| a.action == "claim").map(|a| a.seq);
            let decision_seq = decision_rows(&audit).first().map(|a| a.seq);
            assert!(
                decision_seq < claim_seq,
                "round {round}: bob decided {id} while alice held the claim: {audit:#?}"
            );
        }
    }
});

// ---------------------------------------------------------------------------------------
// Crash safety: a decision and its audit row are one transaction.

const CHILD: &str = "crash_child_decide";

/// Run by the crash test in a child process (this test binary again); does nothing
/// unless `STORE_CRASH_URL` is set. It opens the store and decides; with
/// `ICP_REVIEW_FAILPOINT=decide:after_order_update` the process aborts inside the
/// decision's transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child_decide() {
    let Ok(url) = std::env::var("STORE_CRASH_URL") else {
        return;
    };
    let id = std::env::var("STORE_CRASH_ORDER").expect("STORE_CRASH_ORDER");
    let action = std::env::var("STORE_CRASH_ACTION").expect("STORE_CRASH_ACTION");
    let store = open_url(&url).await;
    let d = match action.as_str() {
        "approve" => Decision {
            override_blocks: true,
            note: Some("override for the crash test".into()),
            ..approve(1)
        },
        _ => Decision {
            action: Action::ScheduleCall,
            call: Some(CallPlan {
                at: "2026-11-23T10:00:00+08:00".into(),
                who: "subject_leader".into(),
                phone: "13826541298".into(),
            }),
            ..approve(1)
        },
    };
    let r = store.decide(&id, "alice", &d, &format!("crash-{id}")).await;
    // Reaching this line means the failpoint did not fire: the parent sees success.
    println!("child decided without crashing: {r:?}");
}

async fn run_child(url: &str, id: &str, action: &str) -> std::process::Output {
    let exe = std::env::current_exe().expect("current test binary");
    tokio::process::Command::new(exe)
        .args(["--exact", CHILD, "--nocapture", "--test-threads=1"])
        .env("ICP_REVIEW_FAILPOINT", "decide:after_order_update")
        .env("STORE_CRASH_URL", url)
        .env("STORE_CRASH_ORDER", id)
        .env("STORE_CRASH_ACTION", action)
        .env("RUST_BACKTRACE", "0")
        .kill_on_drop(true)
        .output()
        .await
        .expect("run the child test")
}

conformance!(crash_between_order_update_and_audit_leaves_neither, |db| {
    for (id, action) in [("CRASH-1", "approve"), ("CRASH-2", "schedule_call")] {
        let mut v = sample_value("clean-individual.json");
        v["id"] = id.into();
        v["account"] = format!("acct-{id}").into();
        intake_value(&db.store, &v, Vec::new()).await;
        let before = db.store.get(id).await.expect("get");
        let audit_before = db.store.audit(Some(id)).await.expect("audit");
        let out = run_child(&db.url, id, action).await;
        let log = format!(
            "child status {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.status.success(),
            "{action}: the child must die at the failpoint; {log}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(
                out.status.signal(),
                Some(6),
                "{action}: the child aborts (SIGABRT) at the failpoint, not elsewhere; {log}"
            );
        }
        // A fresh store over the same database (as after a restart).
        let store = db.reopen().await;
        let after = store.get(id).await.expect("get after the crash");
        let audit_after = store.audit(Some(id)).await.expect("audit after the crash");
        let changed = (after.order.status, after.version) != (Status::Pending, 1)
            || after.order != before.order;
        let audited = !decision_rows(&audit_after).is_empty();
        assert!(
            !changed && !audited,
            "{action}: both or neither — order changed: {changed}, decision audited: {audited}; \
             status {:?} version {}; audit {audit_after:#?}",
            after.order.status,
            after.version
        );
        assert_eq!(
            audit_after, audit_before,
            "{action}: the audit log is as before"
        );
        assert!(
            store
                .calls(i64::MIN / 2, i64::MAX / 2)
                .await
                .expect("calls")
                .iter()
                .all(|c| c.order != id),
            "{action}: no call was scheduled"
        );
        // The key was not used up and the order is not locked: the decision goes through now.
        let d = match action {
            "approve" => Decision {
                override_blocks: true,
                note: Some("after the crash".into()),
                ..approve(1)
            },
            _ => Decision {
                action: Action::ScheduleCall,
                call: Some(CallPlan {
                    at: "2026-11-23T10:00:00+08:00".into(),
                    who: "subject_leader".into(),
                    phone: "13826541298".into(),
                }),
                ..approve(1)
            },
        };
        let done = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            store.decide(id, "alice", &d, &format!("crash-{id}")),
        )
        .await
        .expect("the decision does not hang on a dead transaction")
        .expect("decide after the crash");
        assert_eq!((done.version, done.replayed), (2, false), "{action}");
        assert_eq!(
            decision_rows(&store.audit(Some(id)).await.expect("audit")).len(),
            1
        );
    }
});
