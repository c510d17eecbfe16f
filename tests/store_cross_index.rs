//! The store's cross-order index (src/queue/store/cross.rs) against a from-scratch
//! check: orders whose people, contacts, codes, accounts and subjects recur are taken
//! in, replaced, withdrawn and decided; afterwards every order's stored findings (what
//! the list counts) and `get`'s findings equal `rules::check_many` over the same orders,
//! in the order they first came in. Runs on SQLite, and on PostgreSQL with DATABASE_URL.

#[macro_use]
mod store_common;

use icp_review::domain::{AccessMethod, Order, Reason, Status, parse_order};
use icp_review::queue::{Action, Decision};
use icp_review::rules::{self, Finding, MaterialState};
use sqlx::Row;
use std::collections::BTreeMap;
use store_common::*;

/// The spec's clean sample.
fn base() -> Order {
    parse_order(&sample_text("clean-enterprise.json")).expect("sample parses")
}

/// Order `i`: people, contacts, codes, accounts and subjects drawn from small pools, so
/// that every cross-order rule has something to find (and to stop finding).
fn order(i: usize) -> Order {
    let mut o = base();
    o.id = format!("X-{i:03}");
    o.status = Status::Pending;
    // Subjects: every seventh order files for the subject of the order before it.
    let subject = if i % 7 == 6 { i - 1 } else { i };
    o.subject.certificate.number = format!("91440300MA5{subject:06}X");
    o.account = format!("acct-{}", i % 11);
    let l = &mut o.subject.leader;
    l.id_number = format!("44030019800101{:04}", i % 13);
    l.mobile = format!("1380013{:04}", i % 9);
    l.email = format!("boss{}@example.cn", i % 5);
    l.is_legal_representative = i.is_multiple_of(3);
    let s = &mut o.sites[0];
    // One site leader serves many subjects (a reseller), a few others recur.
    let who = if i.is_multiple_of(2) { 0 } else { i % 6 };
    s.leader.id_number = format!("44030019900101{who:04}");
    s.leader.mobile = format!("1390013{:04}", if i % 4 == 1 { 7 } else { who });
    s.leader.email = format!("web{}@example.cn", i % 8);
    if s.access.method == AccessMethod::AuthCode || i.is_multiple_of(5) {
        s.access.method = AccessMethod::AuthCode;
        s.access.auth_code = Some(format!("CODE-{}", i % 10));
        s.access.resource_id = format!("ecs-{}", i % 3);
    }
    o
}

fn reject(v: i64) -> Decision {
    Decision {
        action: Action::Reject,
        expected_version: v,
        reasons: vec![Reason {
            code: "R-CONTACT".into(),
            text: "contact".into(),
        }],
        note: None,
        call: None,
        override_blocks: false,
    }
}

/// The findings `check_many` gives every order of the store, in first-intake order.
async fn from_scratch(db: &Db, first_in: &[String]) -> BTreeMap<String, Vec<Finding>> {
    let mut orders = Vec::new();
    for id in first_in {
        orders.push(db.store.get(id).await.expect("get").order);
    }
    let states: Vec<Vec<MaterialState>> = orders
        .iter()
        .map(|o| {
            o.materials
                .iter()
                .map(|m| MaterialState::Missing(m.file.clone()))
                .collect()
        })
        .collect();
    let all = rules::check_many(
        orders.iter().zip(&states).map(|(o, s)| (o, s.as_slice())),
        &data(),
        &provider(),
    );
    first_in.iter().cloned().zip(all).collect()
}

async fn stored(db: &Db) -> BTreeMap<String, Vec<Finding>> {
    let mut c = db.raw().await;
    let rows = sqlx::query("SELECT id, findings FROM orders")
        .fetch_all(&mut c)
        .await
        .expect("stored findings");
    rows.iter()
        .map(|r| {
            let id: String = r.get("id");
            let f: String = r.get("findings");
            (id, serde_json::from_str(&f).expect("findings JSON"))
        })
        .collect()
}

const CROSS: &[&str] = &[
    "CONTACT-SITE-LEADER-MULTI-SUBJECT",
    "CONTACT-LEGALREP-INCONSISTENT",
    "CONTACT-MOBILE-REUSED",
    "CONTACT-EMAIL-REUSED",
    "ACCESS-AUTHCODE-REUSED",
    "ACCESS-AUTHCODE-LIMIT",
    "TYPE-IN-PROGRESS",
    "LEAD-SUBJ-REUSE-HA",
];

async fn compare(db: &Db, first_in: &[String], when: &str) -> usize {
    let want = from_scratch(db, first_in).await;
    let have = stored(db).await;
    let mut cross = 0;
    for (id, w) in &want {
        assert_eq!(
            have.get(id),
            Some(w),
            "[{}] {when}: stored findings of {id} differ from a from-scratch check",
            db.engine
        );
        let got = db.store.get(id).await.expect("get").findings;
        assert_eq!(&got, w, "[{}] {when}: get({id}) differs", db.engine);
        cross += w
            .iter()
            .filter(|f| CROSS.contains(&f.rule.as_str()))
            .count();
    }
    cross
}

conformance!(stored_findings_equal_a_from_scratch_check, |db| {
    let s = &db.store;
    let mut first_in = Vec::new();
    for i in 0..60 {
        let o = order(i);
        s.intake(
            "filing-system",
            &serde_json::to_string(&o).unwrap(),
            Vec::new(),
        )
        .await
        .expect("intake");
        first_in.push(o.id);
    }
    let cross = compare(&db, &first_in, "after intake").await;
    // Every cross-order rule the pools can trigger did trigger: the comparison is not
    // one of empty lists.
    assert!(
        cross > 60,
        "[{}] only {cross} cross-order findings",
        db.engine
    );
    let have = stored(&db).await;
    // The first order learns of the later ones only by being rechecked.
    assert!(
        have["X-000"]
            .iter()
            .any(|f| CROSS.contains(&f.rule.as_str())),
        "[{}] the first order was never rechecked: {:?}",
        db.engine,
        have["X-000"]
    );

    // A replacement that changes people (its old entries must go), a withdrawal (frees
    // codes and contacts), a rejection (ends TYPE-IN-PROGRESS for its account).
    let mut o = order(2);
    o.sites[0].leader.id_number = "440300199901019999".into();
    o.sites[0].leader.mobile = "13700000000".into();
    o.subject.certificate.number = "91440300MA5999999X".into();
    s.intake(
        "filing-system",
        &serde_json::to_string(&o).unwrap(),
        Vec::new(),
    )
    .await
    .expect("replace");
    let mut w = order(4);
    w.status = Status::Withdrawn;
    s.intake(
        "filing-system",
        &serde_json::to_string(&w).unwrap(),
        Vec::new(),
    )
    .await
    .expect("withdraw");
    s.claim("X-006", "r1", 300).await.expect("claim");
    s.decide("X-006", "r1", &reject(1), "k-reject-6")
        .await
        .expect("reject");
    compare(&db, &first_in, "after replace, withdraw and reject").await;

    // A store opened again answers the same (nothing is kept in memory).
    let again = db.reopen().await;
    for id in ["X-000", "X-001", "X-002"] {
        assert_eq!(
            again.get(id).await.expect("get").findings,
            s.get(id).await.expect("get").findings,
            "[{}] {id} after reopening",
            db.engine
        );
    }
});

// A near miss for the witnesses: a key whose first entries all share one subject and
// one id (no answer), until an order that differs in both arrives; the earlier orders
// must then be rechecked, and only they.
conformance!(a_late_first_of_its_kind_rechecks_the_askers, |db| {
    let s = &db.store;
    let mut first_in = Vec::new();
    for i in 0..5 {
        let mut o = order(100 + i);
        o.subject.certificate.number = "91440300MA5000100X".into();
        o.account = format!("acct-late-{i}");
        o.sites[0].leader.mobile = "13500000000".into();
        o.sites[0].leader.id_number = "440300199001010001".into();
        s.intake(
            "filing-system",
            &serde_json::to_string(&o).unwrap(),
            Vec::new(),
        )
        .await
        .expect("intake");
        first_in.push(o.id);
    }
    let before = stored(&db).await;
    assert!(
        !before["X-100"]
            .iter()
            .any(|f| f.rule == "CONTACT-MOBILE-REUSED"),
        "[{}] one subject, one person: no reuse yet",
        db.engine
    );
    let mut late = order(200);
    late.subject.certificate.number = "91440300MA5000200X".into();
    late.sites[0].leader.mobile = "13500000000".into();
    late.sites[0].leader.id_number = "440300199001010002".into();
    s.intake(
        "filing-system",
        &serde_json::to_string(&late).unwrap(),
        Vec::new(),
    )
    .await
    .expect("intake");
    first_in.push(late.id);
    compare(&db, &first_in, "after the late order").await;
    let after = stored(&db).await;
    assert!(
        after["X-100"]
            .iter()
            .any(|f| f.rule == "CONTACT-MOBILE-REUSED" && f.message.contains("X-200")),
        "[{}] the earlier order now names the late one: {:?}",
        db.engine,
        after["X-100"]
    );
});
