//! Shared helpers of the server suites: a `serve` running in this process on
//! 127.0.0.1:0 over a fresh store (SQLite, or PostgreSQL with `DATABASE_URL`), tokens
//! for named callers, HTTP queue clients, and the queue backends the trait-level
//! conformance suite runs on.
#![allow(dead_code)]

use crate::store_common::{self, Db, Guard};
use icp_review::queue::{Actor, HttpQueue, LocalQueue, Queue, Role};
use icp_review::server::{self, Options, Running};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A server over `db`'s store (its own pools: as another process would see the database).
pub async fn serve(db: &Db, options: Options) -> Running {
    let store = Arc::new(db.store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let options = Options {
        listen_url: (db.engine == "postgres").then(|| db.url.clone()),
        ..options
    };
    server::start(store, listener, options)
        .await
        .unwrap_or_else(|e| panic!("[{}] start the server: {e}", db.engine))
}

/// Options for tests: quick polls, a short keep-alive.
pub fn test_options() -> Options {
    Options {
        keep_alive: Duration::from_millis(300),
        poll: Duration::from_millis(100),
        ..Options::default()
    }
}

/// A token for `name` with `role` in `db`.
pub async fn token(db: &Db, name: &str, role: Role) -> String {
    db.store
        .token_add(name, role)
        .await
        .unwrap_or_else(|e| panic!("[{}] token add {name}: {e}", db.engine))
}

/// An HTTP queue client of `server` acting with `token`.
pub async fn client(server: &Running, token: &str) -> HttpQueue {
    HttpQueue::connect(&server.url(), token)
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", server.url()))
}

/// One queue backend of the conformance suite.
pub struct Backend {
    /// `local-sqlite`, `http-sqlite` or `http-postgres`.
    pub name: String,
    pub db: Db,
    pub server: Option<Running>,
    tokens: Mutex<HashMap<String, String>>,
}

impl Backend {
    /// The queue as `actor` sees it on this backend (over HTTP: with a token for the
    /// actor's name and role, made on first use).
    pub async fn queue(&self, actor: Actor) -> Arc<dyn Queue> {
        match &self.server {
            None => Arc::new(LocalQueue::new(Arc::new(self.db.store.clone()), actor)),
            Some(server) => {
                let key = format!("{}/{}", actor.name, actor.role.as_str());
                let known = self.tokens.lock().expect("tokens").get(&key).cloned();
                let t = match known {
                    Some(t) => t,
                    None => {
                        let t = token(&self.db, &actor.name, actor.role).await;
                        self.tokens.lock().expect("tokens").insert(key, t.clone());
                        t
                    }
                };
                let q = client(server, &t).await;
                assert_eq!(
                    q.actor(),
                    &actor,
                    "[{}] the server names the caller",
                    self.name
                );
                Arc::new(q)
            }
        }
    }
    pub async fn reviewer(&self, name: &str) -> Arc<dyn Queue> {
        self.queue(Actor::reviewer(name)).await
    }
    pub async fn lead(&self, name: &str) -> Arc<dyn Queue> {
        self.queue(Actor::lead(name)).await
    }
}

/// The backends: the embedded queue on SQLite, HTTP → serve on SQLite, and HTTP →
/// serve on PostgreSQL when `DATABASE_URL` is set.
async fn backends() -> Vec<(Backend, Guard)> {
    let mut out = Vec::new();
    let (db, guard) = store_common::fresh_sqlite().await;
    out.push((
        Backend {
            name: "local-sqlite".into(),
            db,
            server: None,
            tokens: Mutex::default(),
        },
        guard,
    ));
    let (db, guard) = store_common::fresh_sqlite().await;
    let server = serve(&db, test_options()).await;
    out.push((
        Backend {
            name: "http-sqlite".into(),
            db,
            server: Some(server),
            tokens: Mutex::default(),
        },
        guard,
    ));
    if let Some(base) = store_common::postgres_base_url() {
        let (db, guard) = store_common::fresh_postgres(&base).await;
        let server = serve(&db, test_options()).await;
        out.push((
            Backend {
                name: "http-postgres".into(),
                db,
                server: Some(server),
                tokens: Mutex::default(),
            },
            guard,
        ));
    }
    out
}

/// Run `body` on every backend; every backend runs even when one fails, and the test
/// then fails naming the backend(s).
pub async fn run_on_backends<F, Fut>(test: &str, body: F)
where
    F: Fn(Arc<Backend>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use futures::FutureExt;
    let mut failures = Vec::new();
    for (backend, guard) in backends().await {
        let backend = Arc::new(backend);
        let name = backend.name.clone();
        let result =
            tokio::spawn(std::panic::AssertUnwindSafe(body(backend.clone())).catch_unwind()).await;
        if let Ok(b) = Arc::try_unwrap(backend)
            && let Some(s) = b.server
        {
            let _ = tokio::time::timeout(Duration::from_secs(10), s.stop()).await;
        }
        guard.cleanup().await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(p)) => {
                let m = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into());
                failures.push(format!("[{name}] {test}: {m}"));
            }
            Err(e) => failures.push(format!("[{name}] {test}: task {e}")),
        }
    }
    if !failures.is_empty() {
        panic!("{}", failures.join("\n"));
    }
}

/// A test written once and run on every queue backend: `queue_test!(name, |b| { … })`.
macro_rules! queue_test {
    ($name:ident, |$b:ident| $body:block) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            server_common::run_on_backends(
                stringify!($name),
                |$b: std::sync::Arc<server_common::Backend>| async move $body,
            )
            .await;
        }
    };
}

/// The next event of `stream` within `secs` seconds.
pub async fn next_event(
    stream: &mut icp_review::queue::EventStream,
    secs: u64,
) -> Option<icp_review::queue::QueueEvent> {
    use futures::StreamExt;
    tokio::time::timeout(Duration::from_secs(secs), stream.next())
        .await
        .ok()
        .flatten()
}

/// The next change event (skipping connection notices) within `secs` seconds.
pub async fn next_change(
    stream: &mut icp_review::queue::EventStream,
    secs: u64,
) -> Option<icp_review::queue::Change> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        use futures::StreamExt;
        match tokio::time::timeout(left, stream.next()).await {
            Ok(Some(icp_review::queue::QueueEvent::Change(c))) => return Some(c),
            Ok(Some(_)) => continue,
            _ => return None,
        }
    }
}

/// Wait until `server`'s event reader has read up to event `head` (its health says so).
pub async fn wait_hub(server: &Running, head: i64) {
    let url = format!("{}/v1/health", server.url());
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(&url).await
            && let Ok(v) = r.json::<serde_json::Value>().await
            && v["events_head"].as_i64().is_some_and(|h| h >= head)
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server's event reader did not reach event {head}");
}
