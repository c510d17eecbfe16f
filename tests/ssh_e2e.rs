//! End-to-end tests of `serve --ssh`: the real OpenSSH client (`ssh -tt`, in a
//! pseudo-terminal read by a vt100 parser) logs in to the SSH front end running on
//! loopback, with user and host keys made for the test. The server runs in this process
//! (its sessions' counters are read directly); the store holds the demo orders.
//!
//! cargo test --test ssh_e2e

#![cfg(feature = "ssh")]

use icp_review::config::Config;
use icp_review::queue::store::Store;
use icp_review::queue::{Actor, Queue, Role};
use icp_review::rules::RuleData;
use icp_review::server::events::Hub;
use icp_review::server::ssh::{SessionInfo, SshOptions, SshServer};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const STEP: Duration = Duration::from_secs(20);

/// `ssh` in a pseudo-terminal.
struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    eof: Arc<AtomicBool>,
    /// While set, the reader thread stops reading: the client's output backs up.
    paused: Arc<AtomicBool>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    cols: u16,
}

impl Pty {
    fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn ssh");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let paused = Arc::new(AtomicBool::new(false));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        {
            let (parser, raw, eof, paused) =
                (parser.clone(), raw.clone(), eof.clone(), paused.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
                    while paused.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            parser.lock().unwrap().process(&buf[..n]);
                            raw.lock().unwrap().extend_from_slice(&buf[..n]);
                        }
                    }
                }
                eof.store(true, Ordering::SeqCst);
            });
        }
        let writer = pair.master.take_writer().expect("pty writer");
        Pty {
            parser,
            raw,
            eof,
            paused,
            writer,
            child,
            master: pair.master,
            cols,
        }
    }

    fn rows(&self) -> Vec<String> {
        self.parser
            .lock()
            .unwrap()
            .screen()
            .rows(0, self.cols)
            .collect()
    }

    fn screen(&self) -> String {
        self.rows().join("\n")
    }

    fn wait_until(&mut self, what: &str, timeout: Duration, done: impl Fn(&[String]) -> bool) {
        let start = Instant::now();
        loop {
            if done(&self.rows()) {
                return;
            }
            if start.elapsed() > timeout || self.eof.load(Ordering::SeqCst) {
                let screen = self.screen();
                let _ = self.child.kill();
                panic!("waiting for {what}: not seen\n── screen ──\n{screen}\n────");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn wait_for(&mut self, text: &str) {
        let t = text.to_string();
        self.wait_until(&format!("{text:?}"), STEP, move |rows| {
            rows.iter().any(|r| r.contains(&t))
        });
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        self.parser.lock().unwrap().screen_mut().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        self.cols = cols;
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                let drained = Instant::now();
                while !self.eof.load(Ordering::SeqCst) && drained.elapsed() < Duration::from_secs(5)
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                return status;
            }
            if start.elapsed() > STEP {
                let screen = self.screen();
                let _ = self.child.kill();
                panic!("ssh did not exit\n── screen ──\n{screen}\n────");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A user key made with ssh-keygen: (private key file, public key file).
fn keygen(dir: &Path, name: &str, comment: &str) -> (PathBuf, PathBuf) {
    let key = dir.join(name);
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(&key)
        .output()
        .expect("run ssh-keygen");
    assert!(out.status.success(), "ssh-keygen: {out:?}");
    let public = dir.join(format!("{name}.pub"));
    (key, public)
}

/// The client's options: the test's key only, no questions, no known-hosts file.
const OPTIONS: [&str; 5] = [
    "IdentitiesOnly=yes",
    "BatchMode=yes",
    "StrictHostKeyChecking=no",
    "UserKnownHostsFile=/dev/null",
    "LogLevel=ERROR",
];

/// `ssh -T` (no pty) with `key` to the server at `port`: its output.
fn ssh_without_pty(key: &Path, port: u16) -> std::process::Output {
    std::process::Command::new("ssh")
        .args(["-T", "-F", "/dev/null", "-p", &port.to_string(), "-i"])
        .arg(key)
        .args(OPTIONS.iter().flat_map(|o| ["-o", o]))
        .arg("someone@127.0.0.1")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run ssh -T")
}

/// The OpenSSH client for `key`, to the server at `port`, in English without colours,
/// running `command` (empty: a shell, i.e. the TUI).
fn ssh(key: &Path, port: u16, command: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new("ssh");
    cmd.args(["-tt", "-F", "/dev/null", "-p"]);
    cmd.arg(port.to_string());
    cmd.arg("-i");
    cmd.arg(key);
    for opt in OPTIONS
        .iter()
        .chain(&["SetEnv=LANG=en_US.UTF-8 NO_COLOR=1"])
    {
        cmd.arg("-o");
        cmd.arg(opt);
    }
    cmd.arg("reviewer@127.0.0.1");
    for c in command {
        cmd.arg(c);
    }
    cmd.env("TERM", "xterm-256color");
    cmd
}

/// A server with the demo orders, 王芳's key added as a token holder's key, and 李明 (a
/// lead) in the authorized-keys file.
struct World {
    rt: tokio::runtime::Runtime,
    store: Arc<Store>,
    server: Option<SshServer>,
    port: u16,
    dir: tempfile::TempDir,
    wang: PathBuf,
    li: PathBuf,
    stranger: PathBuf,
}

impl World {
    fn new() -> World {
        World::with_idle(Duration::from_secs(600))
    }

    fn with_idle(idle: Duration) -> World {
        World::with(idle, 64)
    }

    fn with(idle: Duration, max_connections: usize) -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (wang, wang_pub) = keygen(dir.path(), "wang", "laptop");
        let (li, li_pub) = keygen(dir.path(), "li", "李明");
        let (stranger, _) = keygen(dir.path(), "stranger", "someone");
        let authorized = dir.path().join("authorized_keys");
        let li_line = std::fs::read_to_string(&li_pub).unwrap();
        std::fs::write(&authorized, format!("# leads\nrole=\"lead\" {li_line}")).unwrap();
        let data = RuleData::embedded().unwrap();
        let (store, server) = rt.block_on(async {
            let store = Arc::new(
                Store::open_dir(
                    &dir.path().join("data"),
                    Arc::new(data.clone()),
                    Arc::new(Config::defaults().provider_settings().unwrap()),
                )
                .await
                .unwrap(),
            );
            icp_review::queue::seed_embedded(&store, &dir.path().join("data"))
                .await
                .unwrap();
            store.token_add("王芳", Role::Reviewer).await.unwrap();
            let (key, fp) = icp_review::server::ssh::keys::read_public_key(&wang_pub).unwrap();
            store.ssh_key_add("王芳", &key, &fp).await.unwrap();
            let hub = Arc::new(
                Hub::start(store.clone(), None, Duration::from_millis(100))
                    .await
                    .unwrap(),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let mut config = Config::defaults();
            config.undo_seconds = 1;
            let options = SshOptions {
                host_key: dir.path().join("host_key"),
                authorized_keys: Some(authorized),
                idle,
                max_connections,
                config: Arc::new(config),
                data: Arc::new(data),
                export_dir: dir.path().join("exports"),
            };
            let server = icp_review::server::ssh::start(store.clone(), hub, listener, options)
                .await
                .unwrap();
            (store, server)
        });
        World {
            rt,
            store,
            port: server.addr.port(),
            server: Some(server),
            dir,
            wang,
            li,
            stranger,
        }
    }

    fn sessions(&self) -> Vec<SessionInfo> {
        self.server.as_ref().unwrap().sessions()
    }

    fn session_of(&self, name: &str) -> SessionInfo {
        self.sessions()
            .into_iter()
            .rev()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no session of {name}"))
    }

    fn audit_actions(&self, order: &str) -> Vec<(String, String)> {
        let q = icp_review::queue::LocalQueue::new(self.store.clone(), Actor::lead("test"));
        self.rt
            .block_on(q.audit(Some(order)))
            .unwrap()
            .into_iter()
            .map(|e| (e.actor, e.action))
            .collect()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(s) = self.server.take() {
            self.rt.block_on(s.stop());
        }
    }
}

/// The pty tests time keys against screens: one at a time.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn search_and_open(t: &mut Pty, id: &str) {
    t.send(b"/");
    t.wait_for("Search");
    t.send(b"\x15");
    t.send(id.as_bytes());
    t.send(b"\r");
    t.wait_for(&format!("{id} · pending"));
}

#[test]
fn log_in_review_decide_resize_and_quit_over_openssh() {
    let _serial = one_at_a_time();
    let w = World::new();
    let mut t = Pty::spawn(ssh(&w.wang, w.port, &[]), 120, 40);
    t.wait_for("DEMO-2026-");
    // The client's LANG chose English; the key chose the reviewer.
    t.wait_for("ICP first review");
    assert!(t.parser.lock().unwrap().screen().alternate_screen());
    search_and_open(&mut t, "DEMO-2026-0040");
    t.wait_for("No findings");
    t.send(b"a");
    t.wait_for("Approve this order and hand it to the bureau?");
    t.send(b"y");
    t.wait_for("Committing");
    // The window grows: the TUI is laid out again at the new size.
    t.resize(160, 48);
    t.wait_until("a frame 160 columns wide", STEP, |rows| {
        rows.len() == 48
            && rows
                .iter()
                .any(|r| r.chars().count() > 130 && r.contains('┐'))
    });
    // Wait for the decision to leave its undo window, then quit.
    let committed = Instant::now();
    while !w
        .audit_actions("DEMO-2026-0040")
        .iter()
        .any(|(who, what)| who == "王芳" && what == "approve")
    {
        assert!(
            committed.elapsed() < STEP,
            "the approval never reached the store"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    t.send(b"q");
    let status = t.wait_exit();
    assert!(status.success(), "ssh exit: {status:?}");
    // The client's terminal is given back: the alternate screen left, the cursor shown.
    let raw = t.raw.lock().unwrap().clone();
    let tail = &raw[raw.len().saturating_sub(64)..];
    let has = |needle: &[u8]| tail.windows(needle.len()).any(|x| x == needle);
    assert!(has(b"\x1b[?1049l"), "left the alternate screen: {tail:?}");
    assert!(has(b"\x1b[?25h"), "showed the cursor: {tail:?}");
    assert!(!t.parser.lock().unwrap().screen().alternate_screen());
    // The same host key after a restart is the one made at the first start.
    let fp = w.server.as_ref().unwrap().fingerprint.clone();
    let again = icp_review::server::ssh::keys::host_key(&w.dir.path().join("host_key")).unwrap();
    assert_eq!(
        fp,
        icp_review::server::ssh::keys::fingerprint(again.public_key())
    );
}

#[test]
fn an_unknown_key_is_refused_and_a_session_without_a_pty_is_told_why() {
    let _serial = one_at_a_time();
    let w = World::new();
    let mut t = Pty::spawn(ssh(&w.stranger, w.port, &[]), 80, 24);
    let status = t.wait_exit();
    assert!(!status.success());
    assert!(
        t.screen().contains("Permission denied"),
        "ssh says the key was refused: {}",
        t.screen()
    );
    assert!(w.sessions().is_empty());
    // A known key without a pty (`ssh -T`): one line, exit status 1, no hang.
    let out = ssh_without_pty(&w.wang, w.port);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("needs a terminal"), "{said}");
}

#[test]
fn a_follower_sees_the_leader_and_cannot_decide() {
    let _serial = one_at_a_time();
    let w = World::new();
    let mut leader = Pty::spawn(ssh(&w.wang, w.port, &[]), 120, 40);
    leader.wait_for("DEMO-2026-");
    let mut follower = Pty::spawn(ssh(&w.li, w.port, &["follow", "王芳"]), 100, 30);
    follower.wait_for("following 王芳");
    leader.wait_for("watched by 李明");
    // The leader opens an order: the follower, at its own size, shows it too.
    search_and_open(&mut leader, "DEMO-2026-0040");
    follower.wait_for("DEMO-2026-0040 · pending");
    // The follower's decision keys explain, and the queue records nothing of theirs.
    follower.send(b"a");
    follower.wait_for("no decisions or claims");
    follower.send(b"q");
    assert!(follower.wait_exit().success());
    assert!(
        !w.audit_actions("DEMO-2026-0040")
            .iter()
            .any(|(who, _)| who == "李明"),
        "the follower decided nothing"
    );
    leader.send(b"q");
    assert!(leader.wait_exit().success());
}

/// The bound a session keeps while its client reads nothing: one frame waiting, and
/// what the channel sent within the client's SSH window (OpenSSH grants 2 MiB) plus what
/// the pty and sockets between hold.
const ONE_FRAME: usize = 512 * 1024;
const WINDOW_AND_BUFFERS: u64 = 3 * 1024 * 1024;

#[test]
fn a_client_that_stops_reading_makes_frames_skip_not_queue() {
    let _serial = one_at_a_time();
    let w = World::new();
    let mut t = Pty::spawn(ssh(&w.wang, w.port, &[]), 400, 150);
    t.wait_for("DEMO-2026-");
    let before = rss_kib();
    // The client's output stops being read: ssh's buffer fills, its window closes.
    t.paused.store(true, Ordering::SeqCst);
    let s = w.session_of("王芳");
    let sent_at_pause = s.stats.bytes.load(Ordering::Relaxed);
    // Keys keep coming, one frame each (each switch of view repaints the list), until the
    // channel has stopped taking frames for a while and frames are being skipped.
    let started = Instant::now();
    let mut plateau = (0, 0u64);
    let mut keys = 0;
    loop {
        t.send(if keys % 2 == 0 { b"2" } else { b"1" });
        keys += 1;
        std::thread::sleep(Duration::from_millis(4));
        if keys % 100 == 0 {
            let bytes = s.stats.bytes.load(Ordering::Relaxed);
            plateau = if bytes == plateau.1 {
                (plateau.0 + 1, bytes)
            } else {
                (0, bytes)
            };
            if plateau.0 >= 3 && s.stats.skipped.load(Ordering::Relaxed) > 0 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the channel kept taking frames: {} bytes in {} frames after {keys} keys",
            s.stats.bytes.load(Ordering::Relaxed),
            s.stats.frames.load(Ordering::Relaxed)
        );
    }
    let taken = s.stats.bytes.load(Ordering::Relaxed) - sent_at_pause;
    let max = s.stats.max_in_flight.load(Ordering::Relaxed);
    let grown = rss_kib().saturating_sub(before);
    eprintln!(
        "slow client: {keys} keys; the channel took {taken} bytes, then none; {} frames skipped; at most {max} bytes waiting; the process grew {grown} KiB",
        s.stats.skipped.load(Ordering::Relaxed)
    );
    assert!(
        taken <= WINDOW_AND_BUFFERS,
        "{taken} bytes went to a client that reads nothing"
    );
    assert!(max <= ONE_FRAME, "{max} bytes waited at once");
    assert!(
        grown < 64 * 1024,
        "the server grew {grown} KiB while the client read nothing"
    );
    // Reading again, the client catches up to the state of the last key.
    t.paused.store(false, Ordering::SeqCst);
    t.send(b"?");
    t.wait_for("Keys");
    // Esc alone (Esc and `q` in one packet would be Alt+q).
    t.send(b"\x1b");
    t.wait_until("the help closed", STEP, |rows| {
        !rows.iter().any(|r| r.contains("Reject dialog"))
    });
    t.send(b"q");
    assert!(t.wait_exit().success());
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

/// The binary on the data directory `dir`, with none of the caller's settings.
fn icp_command(dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_icp-review"));
    c.env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATABASE_URL")
        .env_remove("ICP_REVIEW_LISTEN")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .arg("--data-dir")
        .arg(dir);
    c
}

/// `icp-review ARGS` on the data directory `dir`: exit code, stdout, stderr.
fn icp(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = icp_command(dir)
        .args(args)
        .output()
        .expect("run icp-review");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn keys_are_added_from_the_command_line_and_serve_ssh_logs_them_in() {
    let _serial = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir_all(&dir).unwrap();
    let (k1, k1_pub) = keygen(tmp.path(), "k1", "wang@laptop");
    let (_, k2_pub) = keygen(tmp.path(), "k2", "wang@desk");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    // A new name: the key, then the token on the last line.
    let (code, out, err) = icp(&dir, &["token", "add", "王芳", "--ssh-key", &s(&k1_pub)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("SHA256:") && out.contains("王芳"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("icpr_"), "{out}");
    // A second key for the same name: only the key.
    let (code, out, err) = icp(&dir, &["token", "add", "王芳", "--ssh-key", &s(&k2_pub)]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("icpr_"), "no second token: {out}");
    // One key, one person: refused before a token is made for the other.
    let (code, _, err) = icp(&dir, &["token", "add", "李明", "--ssh-key", &s(&k1_pub)]);
    assert_eq!(code, 2);
    assert!(err.contains("already belongs to 王芳"), "{err}");
    let (_, out, _) = icp(&dir, &["token", "list"]);
    assert!(!out.contains("李明"), "{out}");
    // Not a key: the file is named.
    let bad = tmp.path().join("bad.pub");
    std::fs::write(&bad, "hello\n").unwrap();
    let (code, _, err) = icp(&dir, &["token", "add", "李明", "--ssh-key", &s(&bad)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.pub") && err.contains("not an OpenSSH public key"),
        "{err}"
    );

    // `serve --ssh` alone: prints where it listens and the host key it made.
    let mut server = icp_command(&dir)
        .args(["serve", "--ssh", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve --ssh");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert!(
        line.contains("SSH on 127.0.0.1:") && line.contains("SHA256:"),
        "{line}"
    );
    assert!(
        !line.contains("http://"),
        "no HTTP API without --listen: {line}"
    );
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .expect("a port");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("ssh_host_ed25519_key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The key added on the command line logs in (no pty: told so, exit status 1).
    let out = ssh_without_pty(&k1, port);
    let said = String::from_utf8_lossy(&out.stdout);
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let status = server.wait().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(said.contains("needs a terminal"), "{said}");
    assert!(status.success(), "serve stopped on SIGTERM: {status:?}");
    // Revoking the token refuses its keys.
    let (code, _, _) = icp(&dir, &["token", "revoke", "王芳"]);
    assert_eq!(code, 0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt
        .block_on(Store::open_dir(
            &dir,
            Arc::new(RuleData::embedded().unwrap()),
            Arc::new(Config::defaults().provider_settings().unwrap()),
        ))
        .unwrap();
    let (_, fp) = icp_review::server::ssh::keys::read_public_key(&k1_pub).unwrap();
    assert_eq!(rt.block_on(store.ssh_key_actor(&fp)).unwrap(), None);
}

#[test]
fn an_idle_session_ends_and_a_stopping_server_says_so() {
    let _serial = one_at_a_time();
    let mut w = World::with_idle(Duration::from_secs(2));
    let mut t = Pty::spawn(ssh(&w.wang, w.port, &[]), 100, 30);
    t.wait_for("DEMO-2026-");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!t.parser.lock().unwrap().screen().alternate_screen());
    assert!(
        t.screen().contains("without a key"),
        "the reason is the last line: {}",
        t.screen()
    );
    // A session open when the server stops is ended, its terminal given back, with why.
    let mut t = Pty::spawn(ssh(&w.wang, w.port, &[]), 100, 30);
    t.wait_for("DEMO-2026-");
    let server = w.server.take().unwrap();
    w.rt.block_on(server.stop());
    t.wait_exit();
    assert!(!t.parser.lock().unwrap().screen().alternate_screen());
    assert!(
        t.screen().contains("the server is stopping"),
        "{}",
        t.screen()
    );
}

#[test]
fn serve_listens_for_http_and_ssh_side_by_side() {
    let _serial = one_at_a_time();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = icp_command(&dir)
        .args(["serve", "--listen", "127.0.0.1:0", "--ssh", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let mut out = std::io::BufReader::new(server.stdout.take().unwrap());
    let (mut http, mut ssh) = (String::new(), String::new());
    std::io::BufRead::read_line(&mut out, &mut http).unwrap();
    std::io::BufRead::read_line(&mut out, &mut ssh).unwrap();
    let url = http
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("an HTTP address: {http}"))
        .to_string();
    assert!(ssh.contains("SSH on 127.0.0.1:"), "{ssh}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let health =
        rt.block_on(async { reqwest::get(format!("{url}/v1/health")).await?.text().await });
    unsafe { libc::kill(server.id() as i32, libc::SIGTERM) };
    let status = server.wait().unwrap();
    let body = health.expect("the HTTP API answers beside SSH");
    assert!(body.contains("sqlite"), "{body}");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_sessions_queue_refuses_claims_and_decisions_while_it_follows() {
    use icp_review::queue::presence::Viewing;
    use icp_review::queue::{Decision, QueueError};
    use icp_review::server::ssh::queue::SessionQueue;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    rt.block_on(async {
        let data = RuleData::embedded().unwrap();
        let store = Arc::new(
            Store::open_dir(
                tmp.path(),
                Arc::new(data),
                Arc::new(Config::defaults().provider_settings().unwrap()),
            )
            .await
            .unwrap(),
        );
        icp_review::queue::seed_embedded(&store, tmp.path())
            .await
            .unwrap();
        let hub = Arc::new(
            Hub::start(store.clone(), None, Duration::from_millis(100))
                .await
                .unwrap(),
        );
        let q = SessionQueue::new(store.clone(), hub, Actor::reviewer("李明"));
        let following = Viewing {
            following: Some("王芳".into()),
            ..Viewing::default()
        };
        q.set_presence(&following).await.unwrap();
        let refused = |r: Result<(), QueueError>| {
            assert!(matches!(r, Err(QueueError::Forbidden(_))), "{r:?}");
        };
        refused(q.claim("DEMO-2026-0040", 60).await.map(drop));
        refused(
            q.decide(
                "DEMO-2026-0040",
                &Decision {
                    action: icp_review::queue::Action::Approve,
                    expected_version: 1,
                    reasons: Vec::new(),
                    note: None,
                    call: None,
                    override_blocks: false,
                },
                "k1",
            )
            .await
            .map(drop),
        );
        // Following no more: the same calls go through.
        q.set_presence(&Viewing::default()).await.unwrap();
        q.claim("DEMO-2026-0040", 60).await.unwrap();
    });
}

#[test]
fn connections_over_the_limit_are_closed_at_once() {
    let _serial = one_at_a_time();
    let w = World::with(Duration::from_secs(600), 1);
    let mut first = Pty::spawn(ssh(&w.wang, w.port, &[]), 100, 30);
    first.wait_for("DEMO-2026-");
    // A second connection while the first is open: turned away before any handshake.
    let started = Instant::now();
    let out = ssh_without_pty(&w.li, w.port);
    assert_eq!(out.status.code(), Some(255), "{out:?}");
    assert!(started.elapsed() < STEP);
    // The first session is unharmed and, once it ends, the slot is free again.
    first.send(b"q");
    assert!(first.wait_exit().success());
    let deadline = Instant::now();
    loop {
        let out = ssh_without_pty(&w.wang, w.port);
        if out.status.code() == Some(1) {
            break;
        }
        assert!(
            deadline.elapsed() < STEP,
            "the slot never came back: {out:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
