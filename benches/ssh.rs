//! The SSH front end on loopback, with the real OpenSSH client (`ssh -tt`, its output
//! read from a pipe) against the server in this process, on the demo orders:
//!
//! - bytes per `j` over SSH at 160×48 (and 80×24): the channel data of the list frame
//!   and of the detail frame that follows it, for the first 40 `j` from the top: the
//!   same keys `scripts/wire_bytes.py BINARY 40` presses in a local pty;
//! - key-to-frame latency, p50/p99: from writing `j` to the client until the end of the
//!   frame (`ESC [ ? 2026 l`) comes back, alone and with 50 idle sessions open;
//! - memory per idle session: this process's resident memory with 10 and with 50 idle
//!   sessions open, less that with none.
//!
//! cargo bench --bench ssh            (release; about 2 minutes)
//! ICP_BENCH_SSH_KEYS=60 cargo bench --bench ssh   (ICP_BENCH_SSH_EACH=1: every press's bytes)

use icp_review::config::Config;
use icp_review::queue::Role;
use icp_review::queue::store::Store;
use icp_review::rules::RuleData;
use icp_review::server::events::Hub;
use icp_review::server::ssh::{SshOptions, SshServer};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const END_OF_FRAME: &[u8] = b"\x1b[?2026l";
/// The presses whose bytes are counted: the first 40 `j` from the top, as
/// `scripts/wire_bytes.py BINARY 40` counts them for the local terminal.
const BYTES_PRESSES: usize = 40;

fn main() {
    let keys: usize = std::env::var("ICP_BENCH_SSH_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let key = keygen(tmp.path());
    let (server, _store) = rt.block_on(start(tmp.path(), &key));
    let port = server.addr.port();

    println!("ssh: bytes per key and key-to-frame latency ({keys} keys, demo orders, release)");
    for (cols, rows) in [(80u16, 24u16), (160, 48)] {
        let r = keys_over_ssh(&key.0, port, cols, rows, keys);
        println!(
            "  {cols}×{rows}: list frame {} B, detail frame {} B, list + detail {} B (median; p95 {} B); key-to-frame p50 {:.2} ms, p99 {:.2} ms",
            r.list_bytes, r.detail_bytes, r.total_bytes, r.total_p95, r.p50_ms, r.p99_ms
        );
    }

    println!("ssh: resident memory of idle sessions (this process)");
    let base = rss_kib();
    let mut idle: Vec<Child> = Vec::new();
    let mut per_session = Vec::new();
    for target in [10usize, 50] {
        while idle.len() < target {
            idle.push(idle_client(&key.0, port));
        }
        wait_sessions(&server, target);
        std::thread::sleep(Duration::from_secs(2));
        let now = rss_kib();
        let each = now.saturating_sub(base) as f64 / target as f64;
        per_session.push(each);
        println!(
            "  {target} idle sessions: +{} KiB in all, {each:.0} KiB per session",
            now.saturating_sub(base)
        );
    }
    let r = keys_over_ssh(&key.0, port, 160, 48, keys);
    println!(
        "  with 50 idle sessions open, 160×48: key-to-frame p50 {:.2} ms, p99 {:.2} ms",
        r.p50_ms, r.p99_ms
    );
    for mut c in idle {
        let _ = c.kill();
        let _ = c.wait();
    }
    rt.block_on(server.stop());
}

/// A user key: (private key file, public key file).
fn keygen(dir: &Path) -> (PathBuf, PathBuf) {
    let key = dir.join("bench_key");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen");
    assert!(out.status.success());
    (key.clone(), dir.join("bench_key.pub"))
}

async fn start(dir: &Path, key: &(PathBuf, PathBuf)) -> (SshServer, Arc<Store>) {
    let data = RuleData::embedded().unwrap();
    let store = Arc::new(
        Store::open_dir(
            &dir.join("data"),
            Arc::new(data.clone()),
            Arc::new(Config::defaults().provider_settings().unwrap()),
        )
        .await
        .unwrap(),
    );
    icp_review::queue::seed_embedded(&store, &dir.join("data"))
        .await
        .unwrap();
    store.token_add("王芳", Role::Reviewer).await.unwrap();
    let (text, fp) = icp_review::server::ssh::keys::read_public_key(&key.1).unwrap();
    store.ssh_key_add("王芳", &text, &fp).await.unwrap();
    let hub = Arc::new(
        Hub::start(store.clone(), None, Duration::from_millis(250))
            .await
            .unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let options = SshOptions {
        host_key: dir.join("host_key"),
        authorized_keys: None,
        idle: Duration::from_secs(3600),
        max_connections: 256,
        config: Arc::new(Config::defaults()),
        data: Arc::new(data),
        export_dir: dir.join("exports"),
    };
    let server = icp_review::server::ssh::start(store.clone(), hub, listener, options)
        .await
        .unwrap();
    (server, store)
}

/// `ssh -tt` in a pty of `cols`×`rows` (made by `script`, so that nothing here has to
/// read a screen), to the server at `port`, in Chinese; stdin and stdout as given.
fn client(key: &Path, port: u16, cols: u16, rows: u16, stdout: Stdio) -> Child {
    Command::new("script")
        .args(["-q", "-f", "-e", "-c"])
        .arg(format!(
            "stty cols {cols} rows {rows}; exec ssh -tt -F /dev/null -p {port} -i {} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o SetEnv=LANG=zh_CN.UTF-8 bench@127.0.0.1",
            key.display()
        ))
        .arg("/dev/null")
        .env("TERM", "xterm-256color")
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .expect("script + ssh")
}

fn idle_client(key: &Path, port: u16) -> Child {
    client(key, port, 160, 48, Stdio::null())
}

fn wait_sessions(server: &SshServer, n: usize) {
    let start = Instant::now();
    loop {
        let drawn = server
            .sessions()
            .iter()
            .filter(|s| {
                s.open.load(std::sync::atomic::Ordering::Acquire)
                    && s.stats.frames.load(std::sync::atomic::Ordering::Relaxed) > 0
            })
            .count();
        if drawn >= n {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "only {drawn} of {n} sessions drew"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct KeyFigures {
    list_bytes: usize,
    detail_bytes: usize,
    total_bytes: usize,
    total_p95: usize,
    p50_ms: f64,
    p99_ms: f64,
}

/// Press `j` (then `k` on the way back) `keys` times in a session of `cols`×`rows`.
fn keys_over_ssh(key: &Path, port: u16, cols: u16, rows: u16, keys: usize) -> KeyFigures {
    let mut child = client(key, port, cols, rows, Stdio::piped());
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 64 * 1024];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    });
    // The first screen, then quiet.
    let mut seen = Vec::new();
    let start = Instant::now();
    while !contains(&seen, "DEMO-2026-".as_bytes()) {
        if let Ok((_, b)) = rx.recv_timeout(Duration::from_secs(60)) {
            seen.extend_from_slice(&b);
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no first screen");
    }
    drain_quiet(&rx, Duration::from_millis(600));
    let mut latencies = Vec::new();
    let (mut lists, mut details, mut totals) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..keys {
        // Down from the first order (the first 40 presses are the same keys as
        // scripts/wire_bytes.py's), then up and down in runs of 30 (the review queue holds 47): always a move.
        let key = if i < BYTES_PRESSES || ((i - BYTES_PRESSES) / 30) % 2 == 1 {
            b"j"
        } else {
            b"k"
        };
        let sent = Instant::now();
        stdin.write_all(key).unwrap();
        stdin.flush().unwrap();
        // The list frame: until the first end of frame.
        let mut got = Vec::new();
        let first = loop {
            let Ok((at, b)) = rx.recv_timeout(Duration::from_secs(10)) else {
                panic!(
                    "no frame after press {i} ({cols}×{rows}); the last output: {:?}",
                    String::from_utf8_lossy(&got[got.len().saturating_sub(300)..])
                );
            };
            got.extend_from_slice(&b);
            if contains(&got, END_OF_FRAME) {
                break at;
            }
        };
        latencies.push(first.duration_since(sent).as_secs_f64() * 1000.0);
        let list = position(&got, END_OF_FRAME).unwrap() + END_OF_FRAME.len();
        let rest = drain_quiet(&rx, Duration::from_millis(350));
        if i < BYTES_PRESSES {
            lists.push(list);
            details.push(got.len() - list + rest);
            totals.push(got.len() + rest);
        }
    }
    let _ = stdin.write_all(b"q");
    let _ = stdin.flush();
    drop(stdin);
    let _ = child.wait();
    latencies.sort_by(|a, b| a.total_cmp(b));
    lists.sort_unstable();
    details.sort_unstable();
    totals.sort_unstable();
    if std::env::var_os("ICP_BENCH_SSH_EACH").is_some() {
        println!(
            "  {cols}×{rows}, each press, all frames: {}",
            totals
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let pct = |v: &[f64], p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    assert!(!totals.is_empty(), "no key pressed");
    // The median as scripts/wire_bytes.py takes it (Python's: the mean of the middle two).
    let median = |v: &[usize]| (v[(v.len() - 1) / 2] + v[v.len() / 2]).div_ceil(2);
    KeyFigures {
        list_bytes: median(&lists),
        detail_bytes: median(&details),
        total_bytes: median(&totals),
        total_p95: totals[((totals.len() as f64 - 1.0) * 0.95).round() as usize],
        p50_ms: pct(&latencies, 0.5),
        p99_ms: pct(&latencies, 0.99),
    }
}

/// Read until nothing has come for `quiet`; the bytes read.
fn drain_quiet(rx: &mpsc::Receiver<(Instant, Vec<u8>)>, quiet: Duration) -> usize {
    let mut n = 0;
    while let Ok((_, b)) = rx.recv_timeout(quiet) {
        n += b.len();
    }
    n
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    position(hay, needle).is_some()
}

fn position(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// This process's resident memory (KiB).
fn rss_kib() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
