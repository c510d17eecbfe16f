//! Shared helpers for the store suites (`store_conformance`, `store_concurrency`):
//! fresh stores on every engine (SQLite always, PostgreSQL when `DATABASE_URL` is set),
//! a runner that writes a test once and runs it on each engine, and the spec's sample
//! orders as JSON text with their material bytes.
#![allow(dead_code)]

use icp_review::queue::store::Store;
use icp_review::queue::{AuditEntry, QueueError};
use icp_review::rules::{ProviderSettings, RuleData};
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

// ---------------------------------------------------------------------------------------
// Rule data, provider settings, engines

pub fn data() -> Arc<RuleData> {
    static DATA: OnceLock<Arc<RuleData>> = OnceLock::new();
    DATA.get_or_init(|| Arc::new(RuleData::embedded().expect("embedded rule data loads")))
        .clone()
}

pub fn provider() -> Arc<ProviderSettings> {
    static P: OnceLock<Arc<ProviderSettings>> = OnceLock::new();
    P.get_or_init(|| {
        Arc::new(
            icp_review::config::Config::defaults()
                .provider_settings()
                .expect("default provider settings"),
        )
    })
    .clone()
}

/// `DATABASE_URL` when set and not empty.
pub fn postgres_base_url() -> Option<String> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// One store under test: which engine, how to reach its database, the store itself.
/// Cheap to clone (the store is a pair of pools).
#[derive(Clone, Debug)]
pub struct Db {
    /// `sqlite` or `postgres`.
    pub engine: &'static str,
    /// The database URL (`sqlite://…/queue.db` or `postgres://…/icp_test_…`).
    pub url: String,
    pub store: Store,
}

/// What keeps a test database alive; [`Guard::cleanup`] removes it.
pub enum Guard {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Guard {
    /// Remove the database (the SQLite directory, the PostgreSQL database).
    pub async fn cleanup(self) {
        match self {
            Guard::Sqlite(dir) => drop(dir),
            Guard::Postgres { admin_url, name } => {
                if let Ok(mut c) = admin_connection(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                        .execute(&mut c)
                        .await;
                }
            }
        }
    }

    /// Keep the database for a post-mortem (a failed test).
    pub fn keep(self) {
        if let Guard::Sqlite(dir) = self {
            let _ = dir.keep();
        }
    }
}

impl Db {
    /// A second, independent store over the same database (what another process or
    /// server would see).
    pub async fn reopen(&self) -> Store {
        open_url(&self.url).await
    }

    /// A raw connection to the same database, outside the store.
    pub async fn raw(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("[{}] raw connection to {}: {e}", self.engine, self.url))
    }
}

/// Open the store at `url` with the embedded rule data and the default provider settings.
pub async fn open_url(url: &str) -> Store {
    Store::open(url, data(), provider())
        .await
        .unwrap_or_else(|e| panic!("open store {url}: {e}"))
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// A fresh SQLite store in a new temporary directory.
pub async fn fresh_sqlite() -> (Db, Guard) {
    let dir = tempfile::Builder::new()
        .prefix("icp-store-test-")
        .tempdir()
        .expect("tempdir");
    let store = Store::open_dir(dir.path(), data(), provider())
        .await
        .unwrap_or_else(|e| panic!("open_dir {}: {e}", dir.path().display()));
    let url = sqlite_url(dir.path());
    (
        Db {
            engine: "sqlite",
            url,
            store,
        },
        Guard::Sqlite(dir),
    )
}

/// The URL `Store::open_dir(dir)` uses.
pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("queue.db").display())
}

/// `base` with its database name replaced by `name`.
pub fn with_database(base: &str, name: &str) -> String {
    let (main, query) = match base.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (base, None),
    };
    let authority_start = main.find("://").map_or(0, |i| i + 3);
    let prefix = match main[authority_start..].find('/') {
        Some(slash) => &main[..authority_start + slash],
        None => main,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

async fn admin_connection(admin_url: &str) -> Result<sqlx::postgres::PgConnection, sqlx::Error> {
    use sqlx::Connection;
    sqlx::postgres::PgConnection::connect(admin_url).await
}

/// A fresh PostgreSQL store in a new, uniquely named database on the `base` server.
pub async fn fresh_postgres(base: &str) -> (Db, Guard) {
    let name = format!("icp_test_{}", unique_suffix());
    let mut admin = admin_connection(base)
        .await
        .unwrap_or_else(|e| panic!("connect to DATABASE_URL {base}: {e}"));
    let sql = format!("CREATE DATABASE \"{name}\"");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    drop(admin);
    let url = with_database(base, &name);
    let store = open_url(&url).await;
    (
        Db {
            engine: "postgres",
            url,
            store,
        },
        Guard::Postgres {
            admin_url: base.to_string(),
            name,
        },
    )
}

/// Fresh stores on every engine available: SQLite always, PostgreSQL with `DATABASE_URL`.
pub async fn fresh_dbs() -> Vec<(Db, Guard)> {
    let mut out = vec![fresh_sqlite().await];
    if let Some(base) = postgres_base_url() {
        out.push(fresh_postgres(&base).await);
    }
    out
}

/// Fresh stores on every engine, named by engine. The databases live until the process
/// ends (prefer [`fresh_dbs`] or [`run_on_engines`], which clean up).
pub async fn engines() -> Vec<(String, Store)> {
    fresh_dbs()
        .await
        .into_iter()
        .map(|(db, guard)| {
            guard.keep();
            (db.engine.to_string(), db.store)
        })
        .collect()
}

/// `STORE_TEST_KEEP=1`: keep the databases of failed tests for a post-mortem.
pub fn keep_failed() -> bool {
    std::env::var("STORE_TEST_KEEP").is_ok_and(|v| v == "1")
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Run `body` once per engine on a fresh store. Every engine runs even when one fails;
/// the test then fails naming the engine(s) and the message. The databases are removed
/// afterwards (those of failed runs are kept with `STORE_TEST_KEEP=1`).
pub async fn run_on_engines<F, Fut>(test: &str, body: F)
where
    F: Fn(Db) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use futures::FutureExt;
    let mut failures = Vec::new();
    for (db, guard) in fresh_dbs().await {
        let started = Instant::now();
        let result = tokio::spawn(AssertUnwindSafe(body(db.clone())).catch_unwind()).await;
        let elapsed = started.elapsed();
        eprintln!(
            "store-timing {test} {} {:.3}s",
            db.engine,
            elapsed.as_secs_f64()
        );
        let url = db.url.clone();
        let engine = db.engine;
        drop(db);
        let failure = match result {
            Ok(Ok(())) => None,
            Ok(Err(p)) => Some(panic_message(&*p)),
            Err(e) => Some(format!("task error {e}")),
        };
        match failure {
            None => guard.cleanup().await,
            Some(message) if keep_failed() => {
                guard.keep();
                failures.push(format!(
                    "[{engine}] {test} failed: {message} (database kept at {url})"
                ));
            }
            Some(message) => {
                guard.cleanup().await;
                failures.push(format!(
                    "[{engine}] {test} failed: {message} (set STORE_TEST_KEEP=1 to keep the database)"
                ));
            }
        }
    }
    if !failures.is_empty() {
        panic!("{}", failures.join("\n"));
    }
}

/// A test written once and run on every engine:
/// `conformance!(name, |db| { … db.store … });` (`db` is a [`Db`], owned).
macro_rules! conformance {
    ($(#[$meta:meta])* $name:ident, |$db:ident| $body:block) => {
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            store_common::run_on_engines(stringify!($name), |$db: store_common::Db| async move $body).await;
        }
    };
}

// ---------------------------------------------------------------------------------------
// Sample orders

/// `../shared/spec/examples`.
pub fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples")
}

/// The JSON text of a sample order file (relative to the examples folder).
pub fn sample_text(name: &str) -> String {
    std::fs::read_to_string(examples_dir().join(name))
        .unwrap_or_else(|e| panic!("sample {name}: {e}"))
}

pub fn sample_value(name: &str) -> Value {
    serde_json::from_str(&sample_text(name)).expect("sample is JSON")
}

/// The bytes of the materials of an order read from `file` (paths relative to it);
/// materials whose file does not exist are left out, as the filing system would.
pub fn materials_of(file: &Path, order: &Value) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for m in order["materials"].as_array().into_iter().flatten() {
        let (Some(id), Some(f)) = (m["id"].as_str(), m["file"].as_str()) else {
            continue;
        };
        if let Ok(bytes) = std::fs::read(file.parent().unwrap_or(Path::new(".")).join(f)) {
            out.push((id.to_string(), bytes));
        }
    }
    out
}

/// The material bytes of a sample order.
pub fn sample_materials(name: &str) -> Vec<(String, Vec<u8>)> {
    materials_of(&examples_dir().join(name), &sample_value(name))
}

/// Bytes of a file in `examples/materials`.
pub fn material_file(name: &str) -> Vec<u8> {
    std::fs::read(examples_dir().join("materials").join(name)).expect("material file")
}

/// A resident id with a valid check character.
pub fn ric(area: &str, birth: &str, seq: &str) -> String {
    let body = format!("{area}{birth}{seq}");
    let c = icp_review::domain::person::resident_id_check_char(&body).expect("17 digits");
    format!("{body}{c}")
}

/// A unified social credit code with a valid check character.
pub fn uscc(body17: &str) -> String {
    let c = icp_review::domain::person::uscc_check_char(body17).expect("17 chars");
    format!("{body17}{c}")
}

/// The clean enterprise sample as a distinct order `id`: its own account, credit code,
/// people (id numbers, mobiles, e-mails), domain and server, so that cross-order rules
/// between copies stay silent. `n` < 200 picks the identity.
pub fn enterprise_copy(id: &str, n: u32) -> Value {
    assert!(n < 200, "enterprise_copy: n < 200");
    let mut v = sample_value("clean-enterprise.json");
    v["id"] = id.into();
    v["account"] = format!("acct-{}", id.to_lowercase()).into();
    v["subject"]["certificate"]["number"] = uscc(&format!("91440300MA5F{:05}", 10_000 + n)).into();
    let sl = &mut v["subject"]["leader"];
    sl["id_number"] = ric("440305", "19850612", &format!("{:03}", 300 + n)).into();
    sl["mobile"] = format!("1382654{:04}", 3000 + n).into();
    sl["emergency_phone"] = format!("1392654{:04}", 3000 + n).into();
    sl["email"] = format!("wanght{n}@lingyun-tech.cn").into();
    let site = &mut v["sites"][0];
    site["domains"][0]["name"] = format!("lingyun-data{n}.cn").into();
    site["access"]["resource_id"] = format!("ecs-7f3a{n:04x}").into();
    let ll = &mut site["leader"];
    ll["id_number"] = ric("440106", "19920318", &format!("{:03}", 600 + n)).into();
    ll["mobile"] = format!("1371345{:04}", 5000 + n).into();
    ll["emergency_phone"] = format!("1501345{:04}", 5000 + n).into();
    ll["email"] = format!("chensy{n}@lingyun-tech.cn").into();
    v
}

/// Intake `order` (a JSON value) with the material bytes of the clean enterprise sample.
pub async fn intake_value(
    store: &Store,
    order: &Value,
    materials: Vec<(String, Vec<u8>)>,
) -> icp_review::queue::DecisionOutcome {
    let id = order["id"].as_str().unwrap_or("?").to_string();
    store
        .intake("filing-system", &order.to_string(), materials)
        .await
        .unwrap_or_else(|e| panic!("intake {id}: {e}"))
}

/// Decision audit rows of an order (what `decide` appends).
pub fn decision_rows(audit: &[AuditEntry]) -> Vec<&AuditEntry> {
    audit
        .iter()
        .filter(|a| {
            matches!(
                a.action.as_str(),
                "approve" | "approve_override" | "reject" | "schedule_call"
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Error assertions

#[track_caller]
pub fn assert_conflict<T: std::fmt::Debug>(r: Result<T, QueueError>, what: &str) {
    match r {
        Err(QueueError::Conflict(_)) => {}
        other => panic!("{what}: expected Conflict, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(r: Result<T, QueueError>, what: &str) {
    match r {
        Err(QueueError::NotFound(_)) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

/// Expect `Invalid` with this JSON path (`None`: any path).
#[track_caller]
pub fn assert_invalid<T: std::fmt::Debug>(
    r: Result<T, QueueError>,
    path: Option<&str>,
    what: &str,
) {
    match r {
        Err(QueueError::Invalid { path: p, .. }) if path.is_none() || p.as_deref() == path => {}
        other => panic!("{what}: expected Invalid at {path:?}, got {other:?}"),
    }
}

/// The store as one caller sees it through the `Queue` trait.
pub fn as_actor(store: &Store, actor: icp_review::queue::Actor) -> icp_review::queue::LocalQueue {
    icp_review::queue::LocalQueue::new(std::sync::Arc::new(store.clone()), actor)
}
