//! The audit log's hash chain on every engine (SQLite always, PostgreSQL with
//! `DATABASE_URL`): intact after ordinary work, and the first broken link named after an
//! edit, a deletion in the middle, a cut tail or a row written around the store, with
//! the triggers that normally refuse those dropped first (what anyone with write access
//! can do in one statement).

#[macro_use]
mod store_common;

use icp_review::queue::store::{AUDIT_GENESIS, Store};
use icp_review::queue::{Action, Decision};
use store_common::*;

/// Drop the append-only triggers, as an intruder with write access would.
async fn drop_triggers(db: &Db) {
    let mut c = db.raw().await;
    let sql: &[&str] = if db.engine == "sqlite" {
        &[
            "DROP TRIGGER audit_no_update",
            "DROP TRIGGER audit_no_delete",
            "DROP TRIGGER audit_no_replace",
        ]
    } else {
        &[
            "DROP TRIGGER audit_no_update ON audit",
            "DROP TRIGGER audit_no_truncate ON audit",
        ]
    };
    for s in sql {
        sqlx::raw_sql(sqlx::AssertSqlSafe(*s))
            .execute(&mut c)
            .await
            .unwrap_or_else(|e| panic!("[{}] {s}: {e}", db.engine));
    }
}

async fn exec(db: &Db, sql: &str) {
    let mut c = db.raw().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .unwrap_or_else(|e| panic!("[{}] {sql}: {e}", db.engine));
}

/// Some audited work: intake, claim, release, a rejection.
async fn work(store: &Store) -> Vec<i64> {
    store
        .intake(
            "filing-system",
            &sample_text("clean-enterprise.json"),
            sample_materials("clean-enterprise.json"),
        )
        .await
        .expect("intake");
    store.claim("EX-2026-00001", "r1", 60).await.expect("claim");
    store.release("EX-2026-00001", "r1").await.expect("release");
    store.claim("EX-2026-00001", "r1", 60).await.expect("claim");
    let v = store.get("EX-2026-00001").await.expect("get").version;
    store
        .decide(
            "EX-2026-00001",
            "r1",
            &Decision {
                action: Action::Reject,
                expected_version: v,
                reasons: vec![icp_review::domain::Reason {
                    code: "R01".into(),
                    text: "x".into(),
                }],
                note: None,
                call: None,
                override_blocks: false,
            },
            "key-1",
        )
        .await
        .expect("reject");
    store
        .audit(None)
        .await
        .expect("audit")
        .iter()
        .map(|a| a.seq)
        .collect()
}

async fn reopen_fails(db: &Db) -> String {
    match Store::open(&db.url, data(), provider()).await {
        Ok(_) => panic!("[{}] a store with a broken audit tail opened", db.engine),
        Err(e) => e.to_string(),
    }
}

conformance!(audit_chain_holds_after_ordinary_work, |db| {
    let seqs = work(&db.store).await;
    assert!(seqs.len() >= 5, "{seqs:?}");
    let v = db.store.verify_audit().await.expect("verify");
    assert_eq!(v.broken, None, "{v:?}");
    assert_eq!(v.rows as usize, seqs.len());
    assert_eq!(v.unchained, 0);
    assert_ne!(v.head, AUDIT_GENESIS);
    let tail = db.store.verify_audit_tail(2).await.expect("tail");
    assert_eq!(tail.broken, None, "{tail:?}");
    // A second store over the same database opens (its tail check passes).
    db.reopen().await;
});

conformance!(an_edited_audit_row_is_the_first_broken_link, |db| {
    let seqs = work(&db.store).await;
    drop_triggers(&db).await;
    let victim = seqs[2];
    exec(
        &db,
        &format!("UPDATE audit SET actor = 'someone-else' WHERE seq = {victim}"),
    )
    .await;
    let v = db.store.verify_audit().await.expect("verify");
    let b = v.broken.expect("the edit is found");
    assert_eq!(b.seq, victim);
    assert!(b.problem.contains("edited"), "{}", b.problem);
    // Rows after it still link to it, so only the tail check of a window holding it fires.
    let tail = db
        .store
        .verify_audit_tail(seqs.len() as u32)
        .await
        .expect("tail");
    assert_eq!(tail.broken.map(|b| b.seq), Some(victim));
});

conformance!(a_deleted_audit_row_breaks_the_next_link, |db| {
    let seqs = work(&db.store).await;
    drop_triggers(&db).await;
    exec(&db, &format!("DELETE FROM audit WHERE seq = {}", seqs[1])).await;
    let b = db
        .store
        .verify_audit()
        .await
        .expect("verify")
        .broken
        .expect("the gap is found");
    assert_eq!(b.seq, seqs[2]);
    assert!(b.problem.contains("does not follow"), "{}", b.problem);
    let msg = reopen_fails(&db).await;
    assert!(msg.contains("audit verify"), "{msg}");
});

conformance!(a_cut_tail_is_found_at_open, |db| {
    let seqs = work(&db.store).await;
    drop_triggers(&db).await;
    exec(
        &db,
        &format!("DELETE FROM audit WHERE seq = {}", seqs[seqs.len() - 1]),
    )
    .await;
    let b = db
        .store
        .verify_audit()
        .await
        .expect("verify")
        .broken
        .expect("the cut is found");
    assert_eq!(b.seq, 0, "the head is what breaks: {}", b.problem);
    assert!(b.problem.contains("head"), "{}", b.problem);
    let msg = reopen_fails(&db).await;
    assert!(msg.contains("audit log does not verify"), "{msg}");
});

conformance!(a_row_written_around_the_store_is_found, |db| {
    work(&db.store).await;
    exec(
        &db,
        "INSERT INTO audit (at_ms, actor, action, order_id, reasons) VALUES (0, 'x', 'approve', 'EX-2026-00001', '[]')",
    )
    .await;
    let v = db.store.verify_audit().await.expect("verify");
    let b = v.broken.expect("the unchained row is found");
    assert!(b.problem.contains("no hash"), "{}", b.problem);
});
