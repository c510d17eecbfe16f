//! The real binary: `icp-review token add|list|revoke`, `icp-review serve` answering,
//! logging request ids (never tokens) and stopping cleanly on SIGTERM, and two `serve`
//! processes on one PostgreSQL database delivering each other's events, none skipped
//! while many writers commit at once.

#[macro_use]
#[allow(unused_macros, unused_imports)]
mod store_common;
#[macro_use]
#[allow(unused_macros)]
mod server_common;

use icp_review::queue::{Action, Change, Decision, HttpQueue, Queue, QueueEvent};
use server_common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;
use store_common::*;

fn bin(data_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_icp-review"));
    c.env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATABASE_URL")
        .env_remove("ICP_REVIEW_LISTEN")
        .env("HOME", data_dir)
        .env("XDG_CONFIG_HOME", data_dir.join("config"))
        .arg("--data-dir")
        .arg(data_dir);
    c
}

/// Run `icp-review ARGS`: exit code, stdout, stderr.
fn run(data_dir: &Path, url: Option<&str>, args: &[&str]) -> (i32, String, String) {
    let mut c = bin(data_dir);
    if let Some(u) = url {
        c.arg("--database-url").arg(u);
    }
    let out = c.args(args).output().expect("run icp-review");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `token add NAME`: the token (the last line).
fn token_add(data_dir: &Path, url: Option<&str>, name: &str, role: &str) -> String {
    let (code, out, err) = run(data_dir, url, &["token", "add", name, "--role", role]);
    assert_eq!(code, 0, "token add {name}: {err}");
    let last = out.lines().last().expect("a last line").trim().to_string();
    assert!(last.starts_with("icpr_") && last.len() == 5 + 64, "{last}");
    last
}

/// A `serve` process and its URL (read from its first line of output).
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(data_dir: &Path, url: Option<&str>) -> Server {
        let mut c = bin(data_dir);
        if let Some(u) = url {
            c.arg("--database-url").arg(u);
        }
        let mut child = c
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("ICP_REVIEW_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_string();
        Server { child, url }
    }

    /// SIGTERM, then the exit code.
    fn stop(mut self) -> i32 {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        for _ in 0..100 {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s.code().unwrap_or(-1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("serve did not stop within 10 s of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn tokens_are_added_listed_and_revoked_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let alice = token_add(d, None, "alice", "reviewer");
    let wang = token_add(d, None, "王芳", "lead");
    assert_ne!(alice, wang);
    // A second live token for a name is refused.
    let (code, _, err) = run(d, None, &["token", "add", "alice"]);
    assert_eq!(code, 2);
    assert!(err.contains("revoke"), "{err}");
    let (code, out, _) = run(d, None, &["token", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("alice")
            && out.contains("reviewer")
            && out.contains("王芳")
            && out.contains("lead"),
        "{out}"
    );
    assert!(
        !out.contains(&alice) && !out.contains(&alice[5..]),
        "the list never shows a token"
    );
    let (code, _, _) = run(d, None, &["token", "revoke", "alice"]);
    assert_eq!(code, 0);
    let (_, out, _) = run(d, None, &["token", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&out).expect("json");
    let a = list
        .as_array()
        .expect("array")
        .iter()
        .find(|t| t["name"] == "alice")
        .expect("alice");
    assert!(a["revoked_ms"].is_i64(), "{a}");
    let (code, _, err) = run(d, None, &["token", "revoke", "alice"]);
    assert_eq!(code, 1, "revoking a revoked token: {err}");
    // After a revocation the name may get a new token.
    let again = token_add(d, None, "alice", "reviewer");
    assert_ne!(again, alice);
    // The database holds hashes only.
    let db = std::fs::read(d.join("queue.db")).expect("db");
    let text = String::from_utf8_lossy(&db);
    assert!(
        !text.contains(&again[5..]) && !text.contains(&wang[5..]),
        "tokens are stored hashed"
    );
    let (code, _, err) = run(d, None, &["token", "add", " spaced "]);
    assert_eq!(code, 2, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_logs_request_ids_not_tokens_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let t = token_add(d, None, "alice", "reviewer");
    let server = Server::start(d, None);
    let q = HttpQueue::connect(&server.url, &t).await.expect("connect");
    assert_eq!(q.actor().name, "alice");
    let fs = HttpQueue::connect(
        &server.url,
        &token_add(d, None, "filing-system", "reviewer"),
    )
    .await
    .expect("connect");
    let id = "P-01";
    fs.intake(&enterprise_copy(id, 1).to_string(), Vec::new())
        .await
        .expect("intake");
    q.claim(id, 60).await.expect("claim");
    let r = reqwest::Client::new()
        .get(format!("{}/v1/orders/{id}", server.url))
        .bearer_auth(&t)
        .header("x-request-id", "req-abc-123")
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let code = tokio::task::spawn_blocking(move || server.stop())
        .await
        .expect("stop");
    assert_eq!(code, 0, "serve exits 0 after SIGTERM");
    let log = std::fs::read_to_string(d.join("icp-review.log")).expect("log file");
    let line = log
        .lines()
        .find(|l| l.contains("req-abc-123"))
        .unwrap_or_else(|| panic!("the request id is in the log:\n{log}"));
    assert!(
        line.contains("alice"),
        "the caller is in the request's log line: {line}"
    );
    assert!(
        !log.contains(&t) && !log.contains(&t[5..]),
        "no token in the log"
    );
}

/// The changes `stream` delivers until `n` have arrived (or 30 s pass).
async fn collect(stream: &mut icp_review::queue::EventStream, n: usize) -> Vec<Change> {
    let mut got = Vec::new();
    while got.len() < n {
        match next_event(stream, 30).await {
            Some(QueueEvent::Change(c)) => got.push(c),
            Some(other) => panic!("unexpected {other:?} after {} changes", got.len()),
            None => break,
        }
    }
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_serve_processes_on_one_postgres_database_share_every_event() {
    let Some(base) = postgres_base_url() else {
        eprintln!("DATABASE_URL unset: skipped");
        return;
    };
    let (db, guard) = fresh_postgres(&base).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let url = db.url.clone();
    let alice = token_add(d, Some(&url), "alice", "reviewer");
    let bob = token_add(d, Some(&url), "bob", "reviewer");
    let a = Server::start(d, Some(&url));
    let b = Server::start(d, Some(&url));
    assert_ne!(a.url, b.url);
    let on_a = Arc::new(
        HttpQueue::connect(&a.url, &alice)
            .await
            .expect("alice on A"),
    );
    let on_b = Arc::new(HttpQueue::connect(&b.url, &bob).await.expect("bob on B"));
    let mut watch_b = on_b.subscribe(None).await.expect("subscribe on B");
    let mut watch_a = on_a.subscribe(None).await.expect("subscribe on A");
    // One change through A reaches B's client, and the other way round.
    on_a.intake(&enterprise_copy("PG-00", 0).to_string(), Vec::new())
        .await
        .expect("intake on A");
    let t0 = std::time::Instant::now();
    let c = collect(&mut watch_b, 1).await;
    assert_eq!(c.len(), 1, "the event from A reached B");
    assert_eq!(
        (c[0].kind, c[0].order.as_str()),
        (icp_review::queue::ChangeKind::OrderAdded, "PG-00")
    );
    assert!(
        t0.elapsed() < Duration::from_secs(2),
        "within 2 s: {:?}",
        t0.elapsed()
    );
    on_b.claim("PG-00", 60).await.expect("claim on B");
    let c = collect(&mut watch_a, 2).await;
    assert_eq!(c[1].actor, "bob");
    // Many writers on both servers at once: every event reaches B's subscriber, once,
    // in id order, and matches the table (none skipped although commits interleave).
    let mut tasks = Vec::new();
    for w in 0..8u32 {
        let q = if w % 2 == 0 {
            on_a.clone()
        } else {
            on_b.clone()
        };
        tasks.push(tokio::spawn(async move {
            for i in 0..6u32 {
                let id = format!("PG-{w}-{i}");
                let n = 1 + w * 10 + i;
                q.intake(&enterprise_copy(&id, n).to_string(), Vec::new())
                    .await
                    .expect("intake");
                q.claim(&id, 60).await.expect("claim");
                let d = Decision {
                    action: Action::Reject,
                    expected_version: 1,
                    reasons: vec![icp_review::domain::Reason {
                        code: "X".into(),
                        text: "x".into(),
                    }],
                    note: None,
                    call: None,
                    override_blocks: false,
                };
                q.decide(&id, &d, &format!("k-{id}")).await.expect("decide");
            }
        }));
    }
    for t in tasks {
        t.await.expect("writer");
    }
    let head = db.store.last_change().await.expect("head");
    let table = db
        .store
        .changes_after(c[1].id, 100_000)
        .await
        .expect("table");
    assert_eq!(table.len(), 8 * 6 * 3);
    let got = collect(&mut watch_b, 1 + table.len()).await;
    let got: Vec<i64> = got.iter().map(|c| c.id).filter(|&i| i > c[1].id).collect();
    let want: Vec<i64> = table.iter().map(|c| c.id).collect();
    assert_eq!(got, want, "B delivered every event in order");
    assert_eq!(want.last().copied(), Some(head));
    drop((watch_a, watch_b));
    let (ca, cb) = tokio::task::spawn_blocking(move || (a.stop(), b.stop()))
        .await
        .expect("stop");
    assert_eq!((ca, cb), (0, 0));
    guard.cleanup().await;
}
