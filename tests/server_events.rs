//! `GET /v1/events`: the SSE frames themselves (id = event row, event = kind, data =
//! JSON), resuming with `Last-Event-ID`, `resync` for a client too far behind, the
//! keep-alive comment, and the HTTP client reconnecting to a restarted server and
//! resuming where it stopped. SQLite, and PostgreSQL where `DATABASE_URL` is set.

#[macro_use]
#[allow(unused_macros, unused_imports)]
mod store_common;
#[macro_use]
#[allow(unused_macros)]
mod server_common;

use icp_review::queue::events::MAX_BACKLOG;
use icp_review::queue::{ChangeKind, Queue, QueueEvent, Role};
use serde_json::Value;
use server_common::*;
use std::time::Duration;
use store_common::*;

/// A raw SSE reader: frames (`id`, `event`, `data`) and comment lines, as sent.
struct Raw {
    resp: reqwest::Response,
    buf: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Frame {
    Event {
        id: Option<String>,
        event: Option<String>,
        data: String,
    },
    Comment,
}

impl Raw {
    async fn open(base: &str, token: &str, last: Option<i64>) -> Raw {
        let mut rb = reqwest::Client::new()
            .get(format!("{base}/v1/events"))
            .bearer_auth(token);
        if let Some(l) = last {
            rb = rb.header("last-event-id", l.to_string());
        }
        let resp = rb.send().await.expect("events");
        assert_eq!(resp.status(), reqwest::StatusCode::OK);
        assert!(
            resp.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/event-stream"))
        );
        Raw {
            resp,
            buf: String::new(),
        }
    }

    async fn next(&mut self, secs: u64) -> Option<Frame> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut id = None;
                let mut event = None;
                let mut data = Vec::new();
                let mut comment = false;
                for line in block.lines() {
                    if let Some(c) = line.strip_prefix(':') {
                        let _ = c;
                        comment = true;
                    } else if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push(v.trim_start().to_string());
                    }
                }
                if comment && id.is_none() && event.is_none() && data.is_empty() {
                    return Some(Frame::Comment);
                }
                return Some(Frame::Event {
                    id,
                    event,
                    data: data.join("\n"),
                });
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.resp.chunk()).await {
                Ok(Ok(Some(b))) => self.buf.push_str(&String::from_utf8_lossy(&b)),
                _ => return None,
            }
        }
    }

    /// The next frame that is not a comment.
    async fn next_event(&mut self, secs: u64) -> Option<(i64, String, Value)> {
        loop {
            match self.next(secs).await? {
                Frame::Comment => continue,
                Frame::Event { id, event, data } => {
                    return Some((
                        id.and_then(|i| i.parse().ok()).expect("an id"),
                        event.expect("an event kind"),
                        serde_json::from_str(&data).expect("data is JSON"),
                    ));
                }
            }
        }
    }
}

async fn seed(db: &Db, n: u32) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let id = format!("E-{i:02}");
        intake_value(&db.store, &enterprise_copy(&id, i), Vec::new()).await;
        ids.push(id);
    }
    ids
}

conformance!(
    frames_carry_the_row_id_the_kind_and_json_and_resume_after_last_event_id,
    |db| {
        let server = serve(&db, test_options()).await;
        let base = server.url();
        let t = token(&db, "alice", Role::Reviewer).await;
        let mut live = Raw::open(&base, &t, None).await;
        let ids = seed(&db, 3).await;
        db.store.claim(&ids[0], "alice", 60).await.expect("claim");
        db.store.release(&ids[0], "alice").await.expect("release");
        let mut got = Vec::new();
        for _ in 0..5 {
            got.push(
                live.next_event(10)
                    .await
                    .unwrap_or_else(|| panic!("[{}] after {got:?}", db.engine)),
            );
        }
        let kinds: Vec<&str> = got.iter().map(|(_, k, _)| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "order_added",
                "order_added",
                "order_added",
                "claimed",
                "released"
            ]
        );
        assert!(got.windows(2).all(|w| w[0].0 < w[1].0), "ids increase");
        for (id, kind, data) in &got {
            assert_eq!(data["id"].as_i64(), Some(*id));
            assert_eq!(data["kind"].as_str(), Some(kind.as_str()));
            assert!(
                data["order"].is_string() && data["version"].is_i64() && data["at_ms"].is_i64()
            );
        }
        assert_eq!(got[3].2["actor"], "alice");
        // The ids are the table's.
        let table = db.store.changes_after(0, 100).await.expect("changes");
        assert_eq!(
            table.iter().map(|c| c.id).collect::<Vec<_>>(),
            got.iter().map(|g| g.0).collect::<Vec<_>>()
        );
        // Reconnecting after the second event gets the three after it, in order, then live ones.
        let mut resumed = Raw::open(&base, &t, Some(got[1].0)).await;
        for want in &got[2..] {
            let e = resumed.next_event(10).await.expect("a resumed event");
            assert_eq!(&e, want, "[{}]", db.engine);
        }
        db.store.claim(&ids[2], "bob", 60).await.expect("claim");
        let e = resumed
            .next_event(10)
            .await
            .expect("a live event after the backlog");
        assert_eq!(
            (e.1.as_str(), e.2["order"].as_str(), e.2["actor"].as_str()),
            ("claimed", Some("E-03"), Some("bob"))
        );
        // Keep-alive comments on an idle stream (every 300 ms in this test's options).
        let mut idle = Raw::open(&base, &t, None).await;
        assert_eq!(
            idle.next(5).await,
            Some(Frame::Comment),
            "[{}] keep-alive",
            db.engine
        );
        server.stop().await.expect("stop");
    }
);

conformance!(
    a_client_too_far_behind_gets_resync_and_continues_from_the_head,
    |db| {
        let server = serve(&db, test_options()).await;
        let base = server.url();
        let t = token(&db, "alice", Role::Reviewer).await;
        let ids = seed(&db, 1).await;
        // A backlog longer than the server replays (as after a long night offline).
        let n = MAX_BACKLOG + 50;
        let mut conn = db.raw().await;
        let sql = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         INSERT INTO events (at_ms, kind, order_id, version, status, actor) \
         SELECT 0, 'claimed', 'E-01', 1, NULL, 'someone' FROM n"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .expect("backlog");
        let head = db.store.last_change().await.expect("head");
        // Let the server's reader pass the backlog first (otherwise this test's clients,
        // connected while it broadcasts ten thousand rows, would be told to resync again).
        wait_hub(&server, head).await;
        let mut raw = Raw::open(&base, &t, Some(1)).await;
        let (id, kind, data) = raw.next_event(10).await.expect("resync");
        assert_eq!((id, kind.as_str()), (head, "resync"), "[{}]", db.engine);
        assert_eq!(data["head"].as_i64(), Some(head));
        db.store.claim(&ids[0], "bob", 60).await.expect("claim");
        let (id, kind, _) = raw.next_event(10).await.expect("the next change");
        assert_eq!(kind, "claimed");
        assert!(id > head);
        // Within the backlog limit: every event is replayed, no resync.
        let mut near = Raw::open(&base, &t, Some(head - 3)).await;
        for _ in 0..4 {
            let (_, kind, _) = near.next_event(10).await.expect("replayed");
            assert_eq!(kind, "claimed");
        }
        // The HTTP client turns the frame into Resync.
        let q = client(&server, &t).await;
        let mut s = q.subscribe(Some(1)).await.expect("subscribe");
        assert_eq!(
            next_event(&mut s, 10).await,
            Some(QueueEvent::Resync),
            "[{}]",
            db.engine
        );
        server.stop().await.expect("stop");
    }
);

conformance!(
    the_client_reconnects_to_a_restarted_server_and_misses_nothing,
    |db| {
        let server = serve(&db, test_options()).await;
        let addr = server.addr;
        let t = token(&db, "alice", Role::Reviewer).await;
        let ids = seed(&db, 2).await;
        let q = client(&server, &t).await;
        let mut s = q.subscribe(None).await.expect("subscribe");
        db.store.claim(&ids[0], "bob", 60).await.expect("claim");
        let c = next_change(&mut s, 10).await.expect("first");
        assert_eq!(c.kind, ChangeKind::Claimed);
        server.stop().await.expect("stop");
        assert_eq!(
            next_event(&mut s, 10).await,
            Some(QueueEvent::Connection(false))
        );
        // Changes while the server is down (another process writes the database).
        db.store.release(&ids[0], "bob").await.expect("release");
        db.store.claim(&ids[1], "carol", 60).await.expect("claim");
        // The server comes back on the same address.
        let listener = loop {
            match tokio::net::TcpListener::bind(addr).await {
                Ok(l) => break l,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        let again = icp_review::server::start(
            std::sync::Arc::new(db.store.clone()),
            listener,
            icp_review::server::Options {
                listen_url: (db.engine == "postgres").then(|| db.url.clone()),
                ..test_options()
            },
        )
        .await
        .expect("restart");
        assert_eq!(
            next_event(&mut s, 20).await,
            Some(QueueEvent::Connection(true)),
            "[{}]",
            db.engine
        );
        let a = next_change(&mut s, 10).await.expect("missed 1");
        let b = next_change(&mut s, 10).await.expect("missed 2");
        assert_eq!((a.kind, a.order.as_str()), (ChangeKind::Released, "E-01"));
        assert_eq!(
            (b.kind, b.order.as_str(), b.actor.as_str()),
            (ChangeKind::Claimed, "E-02", "carol")
        );
        assert!(c.id < a.id && a.id < b.id);
        // And it is live again.
        q.claim(&ids[0], 60).await.expect("alice claims");
        let c = next_change(&mut s, 10).await.expect("live");
        assert_eq!((c.kind, c.actor.as_str()), (ChangeKind::Claimed, "alice"));
        again.stop().await.expect("stop");
    }
);

conformance!(one_reader_per_server_serves_many_subscribers, |db| {
    let server = serve(&db, test_options()).await;
    let t = token(&db, "alice", Role::Reviewer).await;
    let ids = seed(&db, 1).await;
    let q = client(&server, &t).await;
    let mut streams = Vec::new();
    for _ in 0..20 {
        streams.push(q.subscribe(None).await.expect("subscribe"));
    }
    let health: Value = reqwest::get(format!("{}/v1/health", server.url()))
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(health["event_clients"].as_u64(), Some(20), "{health}");
    db.store.claim(&ids[0], "bob", 60).await.expect("claim");
    for s in &mut streams {
        let c = next_change(s, 10).await.expect("every subscriber gets it");
        assert_eq!((c.kind, c.order.as_str()), (ChangeKind::Claimed, "E-01"));
    }
    drop(streams);
    server.stop().await.expect("stop");
});

conformance!(
    presence_frames_carry_no_id_and_reach_the_clients_of_every_server,
    |db| {
        let a = serve(&db, test_options()).await;
        let b = serve(&db, test_options()).await;
        let t = token(&db, "alice", Role::Reviewer).await;
        let tb = token(&db, "bob", Role::Reviewer).await;
        let ids = seed(&db, 1).await;
        let mut live = Raw::open(&b.url(), &tb, None).await;
        let alice = client(&a, &t).await;
        alice
            .set_presence(&icp_review::queue::presence::Viewing {
                order: Some(ids[0].clone()),
                view: "review".into(),
                ..Default::default()
            })
            .await
            .expect("report on server a");
        let (id, data) = loop {
            match live.next(10).await {
                Some(Frame::Event { id, event, data }) if event.as_deref() == Some("presence") => {
                    break (id, data);
                }
                Some(_) => continue,
                None => panic!("[{}] no presence frame on server b", db.engine),
            }
        };
        assert_eq!(id, None, "[{}] a presence frame has no id", db.engine);
        let p: Value = serde_json::from_str(&data).expect("JSON");
        assert_eq!(p["name"], "alice");
        assert_eq!(p["viewing"]["order"].as_str(), Some(ids[0].as_str()));
        // Changes keep their ids around it.
        db.store.claim(&ids[0], "alice", 60).await.expect("claim");
        let (cid, kind, _) = live.next_event(10).await.expect("the claim");
        assert_eq!(kind, "claimed");
        assert!(cid > 0);
        a.stop().await.expect("stop");
        b.stop().await.expect("stop");
    }
);
