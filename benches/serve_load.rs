//! Load benchmark of `icp-review serve` (loopback only, bounded in time and count; run on
//! demand, not in CI):
//!
//! ```text
//! cargo bench --bench serve_load                       # SQLite; PostgreSQL too with DATABASE_URL
//! LOAD_SECS=5 LOAD_REVIEWERS=16 cargo bench --bench serve_load
//! ```
//!
//! N simulated reviewers (16 and 64 by default) list the pending orders, claim one at
//! random, and reject it at the version they listed; a lead client reopens it so the
//! queue never runs dry (waiting while a reviewer with an older list holds a claim on the
//! decided order: that reviewer's decision fails on the version and it lets go). Meanwhile 64 SSE subscribers follow `GET /v1/events`. On SQLite
//! one `serve` process; on PostgreSQL two, with the reviewers and subscribers spread
//! over both. Printed per run: decisions/s, p50/p99 latency of list, claim and decide,
//! p50/p99 event delivery lag (commit stamp to a subscriber's hands) over all 64
//! subscribers, and the number of double decisions (one order version decided twice),
//! which must be 0.

use icp_review::domain::{Reason, Status};
use icp_review::queue::store::Store;
use icp_review::queue::{
    Action, Decision, HttpQueue, ListQuery, Queue, QueueError, QueueEvent, Role,
};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

struct Server(Child, String);

impl Server {
    fn start(data_dir: &Path, url: Option<&str>) -> Server {
        let mut c = Command::new(env!("CARGO_BIN_EXE_icp-review"));
        c.env_remove("ICP_REVIEW_CONFIG")
            .env("ICP_REVIEW_LOG", "warn")
            .arg("--data-dir")
            .arg(data_dir);
        if let Some(u) = url {
            c.arg("--database-url").arg(u);
        }
        let mut child = c
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("serve's first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        Server(child, url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        unsafe {
            libc::kill(self.0.id() as i32, libc::SIGTERM);
        }
        let _ = self.0.wait();
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// The clean enterprise sample as order `id` with an identity of its own (credit code,
/// people, phones, e-mails, domain, server), so that cross-order rules between the
/// copies stay silent (`n` < 200), as tests/store_common's `enterprise_copy` does.
fn order(id: &str, n: u32) -> String {
    use icp_review::domain::person::{resident_id_check_char, uscc_check_char};
    let ric = |area: &str, birth: &str, seq: String| {
        let body = format!("{area}{birth}{seq}");
        let c = resident_id_check_char(&body).expect("17 digits");
        format!("{body}{c}")
    };
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples/clean-enterprise.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("sample")).expect("json");
    v["id"] = id.into();
    v["account"] = format!("acct-{}", id.to_lowercase()).into();
    let body = format!("91440300MA5F{:05}", 10_000 + n);
    let c = uscc_check_char(&body).expect("17 chars");
    v["subject"]["certificate"]["number"] = format!("{body}{c}").into();
    let sl = &mut v["subject"]["leader"];
    sl["id_number"] = ric("440305", "19850612", format!("{:03}", 300 + n)).into();
    sl["mobile"] = format!("1382654{:04}", 3000 + n).into();
    sl["emergency_phone"] = format!("1392654{:04}", 3000 + n).into();
    sl["email"] = format!("wanght{n}@lingyun-tech.cn").into();
    let site = &mut v["sites"][0];
    site["domains"][0]["name"] = format!("lingyun-data{n}.cn").into();
    site["access"]["resource_id"] = format!("ecs-7f3a{n:04x}").into();
    let ll = &mut site["leader"];
    ll["id_number"] = ric("440106", "19920318", format!("{:03}", 600 + n)).into();
    ll["mobile"] = format!("1371345{:04}", 5000 + n).into();
    ll["emergency_phone"] = format!("1501345{:04}", 5000 + n).into();
    ll["email"] = format!("chensy{n}@lingyun-tech.cn").into();
    v.to_string()
}

#[derive(Default)]
struct Tally {
    list: Vec<f64>,
    claim: Vec<f64>,
    decide: Vec<f64>,
    decided: Vec<(String, i64)>,
    conflicts: u64,
    /// Reopens that found the order claimed by a reviewer with an older list, and waited.
    reopen_waits: u64,
    errors: u64,
    /// Errors by operation and kind (`claim: unavailable`) with the first message of
    /// each, to explain the count.
    error_kinds: HashMap<String, (u64, String)>,
}

impl Tally {
    fn error(&mut self, op: &str, e: &QueueError) {
        self.errors += 1;
        let k = self
            .error_kinds
            .entry(format!("{op}: {}", e.code()))
            .or_insert_with(|| (0, e.to_string().chars().take(160).collect()));
        k.0 += 1;
    }
}

fn reject(v: i64) -> Decision {
    Decision {
        action: Action::Reject,
        expected_version: v,
        reasons: vec![Reason {
            code: "ID-USCC-CHECKSUM".into(),
            text: "load test".into(),
        }],
        note: None,
        call: None,
        override_blocks: false,
    }
}

async fn reviewer(q: HttpQueue, lead: HttpQueue, end: Instant, seed: u64) -> Tally {
    let mut t = Tally::default();
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        | 1;
    let query = ListQuery {
        status: vec![Status::Pending],
        limit: Some(20),
        ..ListQuery::default()
    };
    let mut n = 0u64;
    while Instant::now() < end {
        let s = Instant::now();
        let page = match q.list(&query).await {
            Ok(p) => p,
            Err(e) => {
                t.error("list", &e);
                continue;
            }
        };
        t.list.push(s.elapsed().as_secs_f64() * 1e3);
        if page.items.is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let pick = &page.items[(x % page.items.len() as u64) as usize];
        let s = Instant::now();
        match q.claim(&pick.id, 60).await {
            Ok(_) => t.claim.push(s.elapsed().as_secs_f64() * 1e3),
            Err(QueueError::Conflict(_)) => {
                t.conflicts += 1;
                continue;
            }
            Err(e) => {
                t.error("claim", &e);
                continue;
            }
        }
        n += 1;
        let s = Instant::now();
        match q
            .decide(&pick.id, &reject(pick.version), &format!("{seed}-{n}"))
            .await
        {
            Ok(out) if !out.replayed => {
                t.decide.push(s.elapsed().as_secs_f64() * 1e3);
                t.decided.push((pick.id.clone(), pick.version));
                // Back into the queue for the next reviewer. Another reviewer working
                // from an older list may hold a claim on the decided order for a moment
                // (its decision then fails on the version and it lets go): the lead waits
                // for that rather than leaving the order out of the queue for good.
                let mut tries = 0;
                loop {
                    match lead.reopen(&pick.id, "load test").await {
                        Ok(_) => break,
                        Err(QueueError::Conflict(_)) if tries < 200 => {
                            tries += 1;
                            t.reopen_waits += 1;
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                        Err(e) => {
                            t.error("reopen", &e);
                            break;
                        }
                    }
                }
            }
            Ok(_) => {}
            Err(QueueError::Conflict(_)) => {
                t.conflicts += 1;
                let _ = q.release(&pick.id).await;
            }
            Err(e) => t.error("decide", &e),
        }
    }
    t
}

async fn run(engine: &str, reviewers: u64, secs: u64, subscribers: u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = Arc::new(icp_review::rules::RuleData::embedded().expect("rule data"));
    let provider = Arc::new(
        icp_review::config::Config::defaults()
            .provider_settings()
            .expect("provider"),
    );
    let (url, _pg) = match engine {
        "sqlite" => (
            format!("sqlite://{}", dir.path().join("queue.db").display()),
            None,
        ),
        _ => {
            let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
            let name = format!("icp_load_{}", std::process::id());
            let mut admin = <sqlx::postgres::PgConnection as sqlx::Connection>::connect(&base)
                .await
                .expect("admin connection");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\""
            )))
            .execute(&mut admin)
            .await
            .expect("drop");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut admin)
                .await
                .expect("create");
            let (main, _) = base.split_once('?').unwrap_or((&base, ""));
            let prefix = &main[..main.rfind('/').expect("a database in DATABASE_URL")];
            (format!("{prefix}/{name}"), Some(name))
        }
    };
    let store = Store::open(&url, data, provider).await.expect("store");
    let orders = (reviewers * 3).clamp(48, 199) as u32;
    for i in 0..orders {
        store
            .intake("bench", &order(&format!("B-{i:05}"), i), Vec::new())
            .await
            .expect("intake");
    }
    let mut tokens = Vec::new();
    for r in 0..reviewers {
        tokens.push(
            store
                .token_add(&format!("r{r:02}"), Role::Reviewer)
                .await
                .expect("token"),
        );
    }
    let lead_token = store.token_add("lead", Role::Lead).await.expect("token");
    let sub_token = store
        .token_add("watcher", Role::Reviewer)
        .await
        .expect("token");
    let pg_url = (engine != "sqlite").then_some(url.as_str());
    let servers: Vec<Server> = if engine == "sqlite" {
        vec![Server::start(dir.path(), None)]
    } else {
        vec![
            Server::start(dir.path(), pg_url),
            Server::start(dir.path(), pg_url),
        ]
    };
    // Subscribers, spread over the servers; each keeps its own lags (every delivery
    // counted, also those after the last reviewer stops).
    let mut lag_sets = Vec::new();
    let mut subs = Vec::new();
    for s in 0..subscribers {
        let url = servers[(s as usize) % servers.len()].1.clone();
        let q = HttpQueue::connect(&url, &sub_token)
            .await
            .expect("subscriber");
        let mut stream = q.subscribe(None).await.expect("subscribe");
        let mine = Arc::new(Mutex::new(Vec::<f64>::new()));
        lag_sets.push(mine.clone());
        subs.push(tokio::spawn(async move {
            use futures::StreamExt;
            while let Some(e) = stream.next().await {
                if let QueueEvent::Change(c) = e {
                    let now = icp_review::queue::time::now_ms();
                    mine.lock().expect("lags").push((now - c.at_ms) as f64);
                }
            }
        }));
    }
    let start = Instant::now();
    let end = start + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (r, t) in tokens.iter().enumerate() {
        let url = servers[r % servers.len()].1.clone();
        let q = HttpQueue::connect(&url, t).await.expect("reviewer");
        let lead = HttpQueue::connect(&url, &lead_token).await.expect("lead");
        tasks.push(tokio::spawn(reviewer(q, lead, end, r as u64 + 1)));
    }
    let mut all = Tally::default();
    for t in tasks {
        let mut x = t.await.expect("reviewer task");
        all.list.append(&mut x.list);
        all.claim.append(&mut x.claim);
        all.decide.append(&mut x.decide);
        all.decided.append(&mut x.decided);
        all.conflicts += x.conflicts;
        all.reopen_waits += x.reopen_waits;
        all.errors += x.errors;
        for (k, (n, first)) in x.error_kinds {
            all.error_kinds.entry(k).or_insert((0, first)).0 += n;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    // Let the last events arrive, then stop the subscribers.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for s in &subs {
        s.abort();
    }
    for s in subs {
        let _ = s.await;
    }
    let mut seen: HashMap<(String, i64), u32> = HashMap::new();
    for d in &all.decided {
        *seen.entry(d.clone()).or_default() += 1;
    }
    let doubles = seen.values().filter(|&&n| n > 1).count();
    // The store's own count: decision audit rows per (order, version before).
    let audit = store.audit(None).await.expect("audit");
    let mut rows: HashMap<(String, Option<i64>), u32> = HashMap::new();
    for a in audit.iter().filter(|a| a.action == "reject") {
        *rows.entry((a.order.clone(), a.version_before)).or_default() += 1;
    }
    let stored_doubles = rows.values().filter(|&&n| n > 1).count();
    let mut lags: Vec<f64> = lag_sets
        .iter()
        .flat_map(|m| std::mem::take(&mut *m.lock().expect("lags")))
        .collect();
    let mut kinds: Vec<(String, (u64, String))> = all.error_kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    println!(
        "{engine:<8} servers={} reviewers={reviewers:<3} subscribers={subscribers} secs={elapsed:.1}: \
         decisions/s={:.0} (total {}), list p50/p99={:.1}/{:.1} ms, claim p50/p99={:.1}/{:.1} ms, \
         decide p50/p99={:.1}/{:.1} ms, event lag p50/p99={:.0}/{:.0} ms ({} deliveries), \
         conflicts={}, reopen waits={}, errors={} {:?}, double decisions={} (audit: {})",
        servers.len(),
        all.decided.len() as f64 / elapsed,
        all.decided.len(),
        percentile(&mut all.list, 0.5),
        percentile(&mut all.list, 0.99),
        percentile(&mut all.claim, 0.5),
        percentile(&mut all.claim, 0.99),
        percentile(&mut all.decide, 0.5),
        percentile(&mut all.decide, 0.99),
        percentile(&mut lags, 0.5),
        percentile(&mut lags, 0.99),
        lags.len(),
        all.conflicts,
        all.reopen_waits,
        all.errors,
        kinds,
        doubles,
        stored_doubles,
    );
    assert_eq!(doubles + stored_doubles, 0, "double decisions");
    drop(servers);
    drop(store);
    if let Some(name) = _pg {
        let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
        if let Ok(mut admin) =
            <sqlx::postgres::PgConnection as sqlx::Connection>::connect(&base).await
        {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run only
    // when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let secs = env_num("LOAD_SECS", 30);
    let subscribers = env_num("LOAD_SUBSCRIBERS", 64);
    let sizes: Vec<u64> = std::env::var("LOAD_REVIEWERS")
        .unwrap_or_else(|_| "16,64".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut engines = vec!["sqlite"];
    if std::env::var("DATABASE_URL").is_ok_and(|u| !u.trim().is_empty()) {
        engines.push("postgres");
    }
    for engine in engines {
        for &n in &sizes {
            rt.block_on(run(engine, n, secs, subscribers));
        }
    }
}
