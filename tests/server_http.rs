//! `icp-review serve` over HTTP: who may call (401/403), two reviewers racing one order,
//! the JSON errors and their statuses, the request id, the body limit, health, the
//! OpenAPI document (every route in it, every documented route answering) and a
//! graceful stop. In process on 127.0.0.1:0 over SQLite, and PostgreSQL where
//! `DATABASE_URL` is set.

#[macro_use]
#[allow(unused_macros, unused_imports)]
mod store_common;
#[macro_use]
#[allow(unused_macros)]
mod server_common;

use icp_review::domain::Status;
use icp_review::queue::{Action, Decision, HttpQueue, Queue, QueueError, Role};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server_common::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use store_common::*;

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

fn reject(v: i64) -> Decision {
    Decision {
        action: Action::Reject,
        expected_version: v,
        reasons: vec![icp_review::domain::Reason {
            code: "ID-USCC-CHECKSUM".into(),
            text: "校验位错误".into(),
        }],
        note: None,
        call: None,
        override_blocks: false,
    }
}

async fn error_of(r: reqwest::Response) -> (StatusCode, Value) {
    let status = r.status();
    let body: Value = r.json().await.expect("a JSON error body");
    assert!(body["error"]["code"].is_string(), "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
    (status, body)
}

/// Add `n` pending orders `R-01`.. through the store.
async fn seed(db: &Db, n: u32) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let id = format!("R-{i:02}");
        intake_value(&db.store, &enterprise_copy(&id, i), Vec::new()).await;
        ids.push(id);
    }
    ids
}

conformance!(
    requests_without_a_valid_token_get_401_and_nothing_else,
    |db| {
        let server = serve(&db, test_options()).await;
        let base = server.url();
        let ids = seed(&db, 1).await;
        let alice = token(&db, "alice", Role::Reviewer).await;
        let c = http();
        // Health needs no token.
        let r = c
            .get(format!("{base}/v1/health"))
            .send()
            .await
            .expect("health");
        assert_eq!(r.status(), StatusCode::OK);
        let routes = [
            ("GET", "/v1/me".to_string()),
            ("GET", "/v1/orders".to_string()),
            ("GET", format!("/v1/orders/{}", ids[0])),
            ("POST", "/v1/orders".to_string()),
            ("POST", format!("/v1/orders/{}/claim", ids[0])),
            ("DELETE", format!("/v1/orders/{}/claim", ids[0])),
            ("POST", format!("/v1/orders/{}/decision", ids[0])),
            ("GET", "/v1/events".to_string()),
            ("GET", "/v1/openapi.json".to_string()),
            ("GET", "/v1/stats".to_string()),
            ("GET", "/v1/triage".to_string()),
            (
                "GET",
                "/v1/report?from=2026-11-01&to=2026-11-30".to_string(),
            ),
            ("GET", "/v1/calls.ics".to_string()),
            ("POST", format!("/v1/orders/{}/reassign", ids[0])),
        ];
        for (method, path) in &routes {
            let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            for auth in [
                None,
                Some("Bearer icpr_0000"),
                Some("Basic YWxpY2U6eA=="),
                Some("Bearer "),
            ] {
                let mut rb = c.request(m.clone(), format!("{base}{path}"));
                if let Some(a) = auth {
                    rb = rb.header("authorization", a);
                }
                let (status, body) = error_of(rb.send().await.expect("send")).await;
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "[{}] {method} {path} with {auth:?}: {body}",
                    db.engine
                );
                assert_eq!(body["error"]["code"], "unauthorized");
            }
        }
        // Nothing happened: no claim, no decision.
        let d = db.store.get(&ids[0]).await.expect("get");
        assert!(d.claim.is_none());
        assert_eq!(d.version, 1);
        // The right token works; a revoked one stops working at once.
        let q = client(&server, &alice).await;
        q.claim(&ids[0], 60).await.expect("claim with a live token");
        db.store.token_revoke("alice").await.expect("revoke");
        match q.release(&ids[0]).await {
            Err(QueueError::Unauthorized(_)) => {}
            other => panic!("[{}] a revoked token: {other:?}", db.engine),
        }
        match HttpQueue::connect(&server.url(), &alice).await {
            Err(QueueError::Unauthorized(_)) => {}
            other => panic!(
                "[{}] connecting with a revoked token: {:?}",
                db.engine,
                other.map(|q| q.actor().clone())
            ),
        }
        match HttpQueue::connect(&server.url(), "icpr_wrong").await {
            Err(QueueError::Unauthorized(_)) => {}
            other => panic!(
                "[{}] a wrong token: {:?}",
                db.engine,
                other.map(|q| q.actor().clone())
            ),
        }
        // A new token for the same name works again.
        let again = token(&db, "alice", Role::Reviewer).await;
        assert_ne!(again, alice);
        client(&server, &again)
            .await
            .release(&ids[0])
            .await
            .expect("release with the new token");
        server.stop().await.expect("stop");
    }
);

conformance!(reviewers_get_403_on_lead_routes, |db| {
    let server = serve(&db, test_options()).await;
    let base = server.url();
    let ids = seed(&db, 1).await;
    let id = &ids[0];
    db.store
        .decide(id, "alice", &reject(1), "k")
        .await
        .expect("reject");
    db.store.claim(id, "alice", 600).await.expect("claim");
    let bob = token(&db, "bob", Role::Reviewer).await;
    let lead = token(&db, "wang", Role::Lead).await;
    let c = http();
    let (status, body) = error_of(
        c.post(format!("{base}/v1/orders/{id}/reopen"))
            .bearer_auth(&bob)
            .json(&json!({"note": "x"}))
            .send()
            .await
            .expect("reopen"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (status, _) = error_of(
        c.delete(format!("{base}/v1/orders/{id}/claim?force=true"))
            .bearer_auth(&bob)
            .send()
            .await
            .expect("force"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        db.store
            .get(id)
            .await
            .expect("get")
            .claim
            .map(|c| c.reviewer)
            .as_deref(),
        Some("alice"),
        "the reviewer's attempts changed nothing"
    );
    // The lead may.
    let r = c
        .delete(format!("{base}/v1/orders/{id}/claim?force=true"))
        .bearer_auth(&lead)
        .send()
        .await
        .expect("force");
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["released"]["reviewer"], "alice");
    let r = c
        .post(format!("{base}/v1/orders/{id}/reopen"))
        .bearer_auth(&lead)
        .json(&json!({"note": "the reason did not apply"}))
        .send()
        .await
        .expect("reopen");
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["status"], "pending");
    server.stop().await.expect("stop");
});

conformance!(
    two_reviewers_racing_one_order_one_wins_the_other_is_told_who,
    |db| {
        let server = Arc::new(serve(&db, test_options()).await);
        let ids = seed(&db, 8).await;
        let alice = Arc::new(client(&server, &token(&db, "alice", Role::Reviewer).await).await);
        let bob = Arc::new(client(&server, &token(&db, "bob", Role::Reviewer).await).await);
        for id in &ids {
            // Both claim at once.
            let (a, b) = tokio::join!(alice.claim(id, 60), bob.claim(id, 60));
            let (winner, loser) = match (&a, &b) {
                (Ok(_), Err(QueueError::Conflict(m))) => ("alice", m.clone()),
                (Err(QueueError::Conflict(m)), Ok(_)) => ("bob", m.clone()),
                other => panic!("[{}] {id}: exactly one claim wins: {other:?}", db.engine),
            };
            assert!(
                loser.contains(winner),
                "[{}] the loser is told who holds it: {loser}",
                db.engine
            );
            let w: &Arc<HttpQueue> = if winner == "alice" { &alice } else { &bob };
            w.release(id).await.expect("release");
            // Both decide at once, on the same version, without a claim.
            let (d, ka, kb) = (reject(1), format!("a-{id}"), format!("b-{id}"));
            let (a, b) = tokio::join!(alice.decide(id, &d, &ka), bob.decide(id, &d, &kb));
            let won = [&a, &b].iter().filter(|r| r.is_ok()).count();
            assert_eq!(
                won, 1,
                "[{}] {id}: exactly one decision: {a:?} {b:?}",
                db.engine
            );
            for r in [&a, &b] {
                if let Err(e) = r {
                    assert!(
                        matches!(e, QueueError::Conflict(_)),
                        "the other decision is a conflict: {e:?}"
                    );
                }
            }
            let audit = db.store.audit(Some(id)).await.expect("audit");
            assert_eq!(
                decision_rows(&audit).len(),
                1,
                "[{}] {id}: one decision row",
                db.engine
            );
            assert_eq!(
                db.store.get(id).await.expect("get").order.status,
                Status::Rejected
            );
        }
        drop(alice);
        drop(bob);
        if let Ok(s) = Arc::try_unwrap(server) {
            s.stop().await.expect("stop");
        }
    }
);

conformance!(
    errors_are_json_with_fitting_statuses_and_request_ids,
    |db| {
        let server = serve(
            &db,
            icp_review::server::Options {
                body_limit: 64 * 1024,
                ..test_options()
            },
        )
        .await;
        let base = server.url();
        let ids = seed(&db, 1).await;
        let id = &ids[0];
        let t = token(&db, "alice", Role::Reviewer).await;
        let c = http();
        // 404: an unknown order and an unknown route.
        let r = c
            .get(format!("{base}/v1/orders/NOPE"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("get");
        let rid = r.headers().get("x-request-id").cloned();
        let (s, body) = error_of(r).await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        assert!(
            rid.is_some_and(|v| !v.is_empty()),
            "a request id is made when none is sent"
        );
        let r = c
            .get(format!("{base}/v1/nothing"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("get");
        assert_eq!(error_of(r).await.0, StatusCode::NOT_FOUND);
        // A request id sent is echoed.
        let r = c
            .get(format!("{base}/v1/health"))
            .header("x-request-id", "trace-me-42")
            .send()
            .await
            .expect("health");
        assert_eq!(
            r.headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok()),
            Some("trace-me-42")
        );
        // 405 as JSON.
        let r = c
            .put(format!("{base}/v1/orders/{id}"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("put");
        assert_eq!(error_of(r).await.0, StatusCode::METHOD_NOT_ALLOWED);
        // 422 naming the JSON path: a decision body, an intake body, a query parameter.
        let r = c
            .post(format!("{base}/v1/orders/{id}/decision"))
            .bearer_auth(&t)
            .header("idempotency-key", "k1")
            .body(r#"{"action": "approve", "expected_version": "one"}"#)
            .send()
            .await
            .expect("decide");
        let (s, body) = error_of(r).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["path"], "expected_version", "{body}");
        let r = c
            .post(format!("{base}/v1/orders/{id}/decision"))
            .bearer_auth(&t)
            .json(&json!({"action": "reject", "expected_version": 1, "reasons": [{"code": "X"}]}))
            .send()
            .await
            .expect("decide");
        let (s, body) = error_of(r).await;
        assert_eq!(
            (s, body["error"]["path"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("Idempotency-Key"))
        );
        let mut order = enterprise_copy("R-NEW", 50);
        order["sites"][0]["domains"][0]["name"] = json!(5);
        let r = c
            .post(format!("{base}/v1/orders"))
            .bearer_auth(&t)
            .json(&json!({"order": order}))
            .send()
            .await
            .expect("intake");
        let (s, body) = error_of(r).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"]["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("order.sites[0].domains[0]")),
            "[{}] {body}",
            db.engine
        );
        let r = c
            .post(format!("{base}/v1/orders"))
            .bearer_auth(&t)
            .json(&json!({"order": enterprise_copy("R-NEW", 50), "materials": {"m1": "***"}}))
            .send()
            .await
            .expect("intake");
        let (s, body) = error_of(r).await;
        assert_eq!(
            (s, body["error"]["path"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("materials.m1"))
        );
        let r = c
            .get(format!("{base}/v1/orders?status=sleeping"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("list");
        let (s, body) = error_of(r).await;
        assert_eq!(
            (s, body["error"]["path"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
        );
        let r = c
            .get(format!("{base}/v1/orders?limit=0"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("list");
        assert_eq!(error_of(r).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        let r = c
            .get(format!("{base}/v1/events"))
            .bearer_auth(&t)
            .header("last-event-id", "yesterday")
            .send()
            .await
            .expect("events");
        let (s, body) = error_of(r).await;
        assert_eq!(
            (s, body["error"]["path"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("Last-Event-ID"))
        );
        // 409 with the holder's name.
        db.store.claim(id, "bob", 600).await.expect("bob claims");
        let r = c
            .post(format!("{base}/v1/orders/{id}/claim"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("claim");
        let (s, body) = error_of(r).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("bob")
        );
        // 413: a body over the limit, refused before it is read.
        let big = json!({"order": enterprise_copy("R-BIG", 51), "materials": {"m1": "A".repeat(100 * 1024)}});
        let r = c
            .post(format!("{base}/v1/orders"))
            .bearer_auth(&t)
            .json(&big)
            .send()
            .await
            .expect("big");
        let (s, body) = error_of(r).await;
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
        );
        assert_not_found(
            db.store.get("R-BIG").await,
            "nothing of the big intake was stored",
        );
        // Materials are served as bytes with their type, never sniffed.
        intake_value(
            &db.store,
            &enterprise_copy("R-MAT", 52),
            sample_materials("clean-enterprise.json"),
        )
        .await;
        let d = db.store.get("R-MAT").await.expect("get");
        let mid = &d.order.materials[0].id;
        let r = c
            .get(format!("{base}/v1/orders/R-MAT/materials/{mid}"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("material");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()
                .get("x-content-type-options")
                .and_then(|v| v.to_str().ok()),
            Some("nosniff")
        );
        let r = c
            .get(format!(
                "{base}/v1/orders/R-MAT/materials/..%2F..%2Fetc%2Fpasswd"
            ))
            .bearer_auth(&t)
            .send()
            .await
            .expect("material");
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        server.stop().await.expect("stop");
    }
);

conformance!(health_reports_the_store_and_the_engine, |db| {
    let server = serve(&db, test_options()).await;
    let r = http()
        .get(format!("{}/v1/health", server.url()))
        .send()
        .await
        .expect("health");
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["engine"], db.engine);
    server.stop().await.expect("stop");
});

/// A server whose PostgreSQL database goes away answers health with 503 and the queue's
/// routes with an error, and keeps running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_503_when_the_store_does_not_answer() {
    let Some(base) = postgres_base_url() else {
        eprintln!("DATABASE_URL unset: skipped");
        return;
    };
    let (db, guard) = fresh_postgres(&base).await;
    let server = serve(
        &db,
        icp_review::server::Options {
            health_timeout: std::time::Duration::from_secs(1),
            ..test_options()
        },
    )
    .await;
    let c = http();
    let url = format!("{}/v1/health", server.url());
    assert_eq!(
        c.get(&url).send().await.expect("health").status(),
        StatusCode::OK
    );
    guard.cleanup().await; // DROP DATABASE … WITH (FORCE)
    let r = c.get(&url).send().await.expect("health");
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["status"], "unavailable");
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), server.stop()).await;
}

/// Paths of the document with concrete ids.
fn concrete(path: &str, id: &str, mid: &str) -> String {
    path.replace("{id}", id).replace("{mid}", mid)
}

conformance!(
    the_openapi_document_lists_every_route_and_every_route_answers,
    |db| {
        let server = serve(&db, test_options()).await;
        let base = server.url();
        let ids = seed(&db, 1).await;
        intake_value(
            &db.store,
            &enterprise_copy("R-MAT", 52),
            sample_materials("clean-enterprise.json"),
        )
        .await;
        let mid = db.store.get("R-MAT").await.expect("get").order.materials[0]
            .id
            .clone();
        let t = token(&db, "wang", Role::Lead).await;
        let c = http();
        let r = c
            .get(format!("{base}/v1/openapi.json"))
            .bearer_auth(&t)
            .send()
            .await
            .expect("doc");
        assert_eq!(r.status(), StatusCode::OK);
        let doc: Value = r.json().await.expect("the document is JSON");
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "OpenAPI 3"
        );
        let mut documented = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in ["get", "post", "put", "delete", "patch"] {
                if item.get(method).is_some() {
                    documented.insert((method.to_uppercase(), path.clone()));
                }
            }
        }
        // Every route of api.md this server has (and the few the client needs besides).
        let expected: BTreeSet<(String, String)> = [
            ("GET", "/v1/health"),
            ("GET", "/v1/me"),
            ("GET", "/v1/orders"),
            ("POST", "/v1/orders"),
            ("GET", "/v1/orders/{id}"),
            ("POST", "/v1/orders/{id}/claim"),
            ("DELETE", "/v1/orders/{id}/claim"),
            ("POST", "/v1/orders/{id}/decision"),
            ("POST", "/v1/orders/{id}/call-outcome"),
            ("POST", "/v1/orders/{id}/reopen"),
            ("POST", "/v1/orders/{id}/notes"),
            ("GET", "/v1/orders/{id}/materials/{mid}"),
            ("GET", "/v1/reasons"),
            ("GET", "/v1/calls"),
            ("GET", "/v1/calls.ics"),
            ("POST", "/v1/orders/{id}/reassign"),
            ("GET", "/v1/triage"),
            ("GET", "/v1/report"),
            ("GET", "/v1/audit"),
            ("GET", "/v1/stats"),
            ("GET", "/v1/events"),
            ("PUT", "/v1/presence"),
            ("GET", "/v1/presence"),
            ("DELETE", "/v1/presence"),
            ("GET", "/v1/openapi.json"),
        ]
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
        assert_eq!(documented, expected, "the document and the routes");
        // Every documented route answers: not 404 (no route) nor 405. Bodies are empty
        // objects, so the answers are 2xx or 422.
        for (method, path) in &documented {
            let id = if path.contains("materials") {
                "R-MAT"
            } else {
                &ids[0]
            };
            let url = format!("{base}{}", concrete(path, id, &mid));
            let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let mut rb = c.request(m, &url).bearer_auth(&t);
            if method == "POST" || method == "PUT" {
                rb = rb.header("idempotency-key", "doc-check").json(&json!({}));
            }
            let r = rb
                .send()
                .await
                .unwrap_or_else(|e| panic!("{method} {url}: {e}"));
            let s = r.status();
            assert!(
                s != StatusCode::NOT_FOUND && s != StatusCode::METHOD_NOT_ALLOWED,
                "[{}] {method} {path} answered {s}",
                db.engine
            );
            assert!(
                s.is_success() || s == StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path}: {s}"
            );
            // An event stream answers at once with its headers; leave it.
            drop(r);
        }
        // Schemas come from the handlers' types.
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for name in [
            "Page",
            "OrderSummary",
            "Decision",
            "DecisionOutcome",
            "Claim",
            "Change",
            "ErrorBody",
        ] {
            assert!(schemas.contains_key(name), "schema {name}");
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        server.stop().await.expect("stop");
    }
);

conformance!(
    stopping_finishes_requests_in_flight_and_ends_event_streams,
    |db| {
        let server = serve(&db, test_options()).await;
        let ids = seed(&db, 20).await;
        let t = token(&db, "alice", Role::Reviewer).await;
        let q = Arc::new(client(&server, &t).await);
        let mut events = q.subscribe(None).await.expect("subscribe");
        // Decisions in flight while the server is told to stop: each either completes
        // (and is stored) or is refused as unavailable; none is half done.
        let mut tasks = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let q = q.clone();
            let id = id.clone();
            tasks.push(tokio::spawn(async move {
                (
                    id.clone(),
                    q.decide(&id, &reject(1), &format!("stop-{i}")).await,
                )
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        tokio::time::timeout(std::time::Duration::from_secs(20), server.stop())
            .await
            .expect("the server stops with a subscriber connected")
            .expect("stop");
        for t in tasks {
            let (id, r) = t.await.expect("task");
            let stored = db.store.get(&id).await.expect("get").order.status;
            match r {
                Ok(out) => assert_eq!(
                    (out.status, stored),
                    (Status::Rejected, Status::Rejected),
                    "{id}"
                ),
                Err(QueueError::Unavailable(_)) => {
                    let rows =
                        decision_rows(&db.store.audit(Some(&id)).await.expect("audit")).len();
                    assert_eq!(
                        rows as i64,
                        if stored == Status::Rejected { 1 } else { 0 },
                        "{id}"
                    );
                }
                Err(e) => panic!("[{}] {id}: {e:?}", db.engine),
            }
        }
        // The subscriber hears that the connection dropped.
        let mut saw_drop = false;
        while let Some(e) = next_event(&mut events, 5).await {
            if e == icp_review::queue::QueueEvent::Connection(false) {
                saw_drop = true;
                break;
            }
        }
        assert!(
            saw_drop,
            "[{}] Connection(false) after the server stopped",
            db.engine
        );
    }
);

conformance!(
    the_leads_routes_serve_triage_reassign_the_report_and_the_ics_agenda,
    |db| {
        use icalendar::{Calendar, CalendarComponent, Component};
        let server = serve(&db, test_options()).await;
        let base = server.url();
        let ids = seed(&db, 2).await;
        let alice = token(&db, "alice", Role::Reviewer).await;
        let wang = token(&db, "wang", Role::Lead).await;
        let c = http();
        let q = client(&server, &alice).await;
        q.decide(&ids[0], &reject(1), "l-1").await.expect("reject");
        let triage: Value = c
            .get(format!("{base}/v1/triage"))
            .bearer_auth(&alice)
            .send()
            .await
            .expect("triage")
            .json()
            .await
            .expect("JSON");
        assert_eq!(triage[0]["summary"]["id"], ids[0].as_str(), "{triage}");
        assert_eq!(triage[0]["by"], "alice");
        // Reassign: 403 for a reviewer, 200 for a lead; a body without `to` is 422 at `to`.
        let url = format!("{base}/v1/orders/{}/reassign", ids[0]);
        let body = json!({ "to": "bob", "note": "bob knows GD" });
        let (s, e) = error_of(
            c.post(&url)
                .bearer_auth(&alice)
                .json(&body)
                .send()
                .await
                .expect("send"),
        )
        .await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden"))
        );
        let (s, e) = error_of(
            c.post(&url)
                .bearer_auth(&wang)
                .json(&json!({ "note": "x" }))
                .send()
                .await
                .expect("send"),
        )
        .await;
        assert_eq!(
            (s, e["error"]["path"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("to"))
        );
        let r = c
            .post(&url)
            .bearer_auth(&wang)
            .json(&body)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), StatusCode::OK);
        let out: Value = r.json().await.expect("JSON");
        assert_eq!(out["status"], "pending");
        // The report of today, as JSON figures.
        let today = jiff::Timestamp::now()
            .to_zoned(icp_review::queue::time::shanghai())
            .date();
        let r = c
            .get(format!("{base}/v1/report?from={today}&to={today}"))
            .bearer_auth(&wang)
            .send()
            .await
            .expect("report");
        assert_eq!(r.status(), StatusCode::OK);
        let report: Value = r.json().await.expect("JSON");
        assert_eq!(report["first_decisions"], 1, "{report}");
        assert_eq!(report["rejection_reasons"][0]["reason"], "ID-USCC-CHECKSUM");
        for bad in [
            "from=2026-13-01&to=2026-12-01",
            "from=2026-12-02&to=2026-12-01",
            "from=2026-12-01",
            "from=2026-12-01&to=2026-12-01&review_days=0",
        ] {
            let (s, _) = error_of(
                c.get(format!("{base}/v1/report?{bad}"))
                    .bearer_auth(&wang)
                    .send()
                    .await
                    .expect("send"),
            )
            .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
        // The agenda as iCalendar: a scheduled call is an event with the order and phone.
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        let cal = icp_review::domain::calendar::WorkCalendar::embedded();
        let mut d = jiff::Timestamp::now().to_zoned(tz.clone()).date();
        loop {
            d = d.tomorrow().expect("a date");
            if d.weekday() == jiff::civil::Weekday::Monday && cal.is_working_day(d) {
                break;
            }
        }
        let at = d
            .at(10, 0, 0, 0)
            .to_zoned(tz)
            .expect("a time")
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string();
        let call = Decision {
            action: Action::ScheduleCall,
            call: Some(icp_review::queue::CallPlan {
                at,
                who: "subject_leader".into(),
                phone: "13826541298".into(),
            }),
            reasons: Vec::new(),
            ..reject(1)
        };
        q.decide(&ids[1], &call, "l-2").await.expect("schedule");
        let r = c
            .get(format!("{base}/v1/calls.ics"))
            .bearer_auth(&alice)
            .send()
            .await
            .expect("ics");
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .expect("ascii")
                .starts_with("text/calendar"),
        );
        let text = r.text().await.expect("text");
        let parsed: Calendar = text.parse().expect("the icalendar parser reads it");
        let events: Vec<_> = parsed
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 1, "[{}] {text}", db.engine);
        let summary = events[0].get_summary().expect("summary");
        assert!(
            summary.contains(&ids[1]) && summary.contains("13826541298"),
            "{summary}"
        );
        server.stop().await.expect("stop");
    }
);
