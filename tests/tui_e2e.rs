//! End-to-end tests of the TUI: the real `icp-review` binary runs in a pseudo-terminal
//! (120×40) on a fresh embedded store (the demo orders are imported on first start), a
//! reader thread feeds everything it writes into a vt100 parser, and the tests type
//! keys and read the parsed screen. Afterwards the store itself is opened and checked.
//!
//! cargo test --test tui_e2e

use icp_review::config::Config;
use icp_review::domain::{EventKind, Status};
use icp_review::queue::store::Store;
use icp_review::rules::RuleData;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: u16 = 40;
const COLS: u16 = 120;
/// The first start imports the 62 demo orders (rule checks, material inspection) in a
/// debug build: be generous.
const FIRST_SCREEN: Duration = Duration::from_secs(60);
const STEP: Duration = Duration::from_secs(15);
const EXIT: Duration = Duration::from_secs(30);

/// The sequence that leaves the alternate screen (crossterm's `LeaveAlternateScreen`).
const LEAVE_ALT_SCREEN: &[u8] = b"\x1b[?1049l";
const ENTER_ALT_SCREEN: &[u8] = b"\x1b[?1049h";

/// A running `icp-review` in a pseudo-terminal.
struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, unparsed.
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set by the reader thread when the pty reports end of file.
    eof: Arc<AtomicBool>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

impl Tui {
    /// Start the TUI on `data_dir` with the config file `config`.
    fn spawn(data_dir: &Path, config: &Path) -> Tui {
        Self::spawn_with(data_dir, config, &[])
    }

    /// [`Tui::spawn`] with more arguments (`--server URL --token-file F`).
    fn spawn_with(data_dir: &Path, config: &Path, args: &[&std::ffi::OsStr]) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_icp-review"));
        cmd.arg("--data-dir");
        cmd.arg(data_dir);
        cmd.arg("--config");
        cmd.arg(config);
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(data_dir);
        cmd.env("NO_COLOR", "1");
        cmd.env("TERM", "xterm-256color");
        for var in [
            "ICP_REVIEW_DATA_DIR",
            "ICP_REVIEW_CONFIG",
            "ICP_REVIEW_FAILPOINT",
            "ICP_REVIEW_LOG",
            "ICP_REVIEW_SERVER",
            "ICP_REVIEW_TOKEN",
        ] {
            cmd.env_remove(var);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn icp-review");
        // Only the child holds the slave side now: its exit ends our reads.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(ROWS).unwrap(),
            NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        {
            let (parser, raw, eof) = (parser.clone(), raw.clone(), eof.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
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
        Tui {
            parser,
            raw,
            eof,
            writer,
            child,
            master: pair.master,
        }
    }

    /// The parsed screen, one string per row.
    fn rows(&self) -> Vec<String> {
        self.parser.lock().unwrap().screen().rows(0, COLS).collect()
    }

    fn screen(&self) -> String {
        self.rows().join("\n")
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Wait until `done` holds for the screen's rows; on timeout, fail showing the screen.
    fn wait_until(&mut self, what: &str, timeout: Duration, done: impl Fn(&[String]) -> bool) {
        let start = Instant::now();
        loop {
            let rows = self.rows();
            if done(&rows) {
                return;
            }
            if start.elapsed() > timeout {
                self.fail(&format!("timed out after {timeout:?} waiting for {what}"));
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // One last look: the output may have arrived just before the exit.
                std::thread::sleep(Duration::from_millis(200));
                if done(&self.rows()) {
                    return;
                }
                self.fail(&format!(
                    "icp-review exited ({status:?}) while waiting for {what}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until the screen shows `text`.
    fn wait_for(&mut self, text: &str, timeout: Duration) {
        let t = text.to_string();
        self.wait_until(&format!("{text:?}"), timeout, move |rows| {
            rows.iter().any(|r| r.contains(&t))
        });
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Wait for the program to exit; on timeout kill it and fail with the last screen.
    fn wait_exit(&mut self, timeout: Duration) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader drain what was written before the exit.
                let drained = Instant::now();
                while !self.eof.load(Ordering::SeqCst) && drained.elapsed() < Duration::from_secs(5)
                {
                    std::thread::sleep(Duration::from_millis(20));
                }
                return status;
            }
            if start.elapsed() > timeout {
                self.fail(&format!("icp-review did not exit within {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kill the child (if it still runs) and panic with the last screen.
    fn fail(&mut self, why: &str) -> ! {
        // The screen first: once killed, the TUI leaves the alternate screen.
        let screen = self.screen();
        self.kill();
        panic!("{why}\n── last screen ({COLS}×{ROWS}) ──\n{screen}\n──────");
    }

    fn kill(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// The local-mode flags of the pty as the program left them (Debug of nix's `LocalFlags`).
    fn local_flags(&self) -> Option<String> {
        self.master
            .get_termios()
            .map(|t| format!("{:?}", t.local_flags))
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // Never leave a TUI running behind a failed test.
        self.kill();
    }
}

/// A temp dir with an empty data directory and a config for the tests.
struct Setup {
    _tmp: tempfile::TempDir,
    data_dir: std::path::PathBuf,
    config: std::path::PathBuf,
}

fn setup(undo_seconds: u32) -> Setup {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data_dir = tmp.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        format!("language = \"zh-CN\"\ntheme = \"dark\"\nreviewer = \"e2e\"\nundo_seconds = {undo_seconds}\n"),
    )
    .unwrap();
    Setup {
        _tmp: tmp,
        data_dir,
        config,
    }
}

/// The pty tests time keys against screens: they run one at a time, so two real binaries
/// (and a server) never compete for the machine's cores in the middle of a wait.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Open the store the TUI wrote (after it exited).
fn open_store(dir: &Path) -> (tokio::runtime::Runtime, Store) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let provider = Config::defaults()
        .provider_settings()
        .expect("default provider settings");
    let store = rt
        .block_on(Store::open_dir(
            dir,
            Arc::new(RuleData::embedded().expect("embedded rule data")),
            Arc::new(provider),
        ))
        .expect("open the store the TUI wrote");
    (rt, store)
}

/// The (order, action) of every audit row the tests' reviewer wrote, oldest first.
async fn e2e_decisions(store: &Store) -> Vec<(String, String)> {
    store
        .audit(None)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.actor == "e2e")
        // Decisions only: opening a dialog also claims the order (and leaving releases it).
        .filter(|a| !matches!(a.action.as_str(), "claim" | "release"))
        .map(|a| (a.order, a.action))
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The program restored the terminal: it left the alternate screen after it last entered
/// it, showed the cursor again and turned raw mode off.
#[track_caller]
fn assert_restored(tui: &Tui) {
    let raw = tui.raw();
    let entered = rfind(&raw, ENTER_ALT_SCREEN).expect("the TUI entered the alternate screen");
    let left =
        rfind(&raw, LEAVE_ALT_SCREEN).expect("the TUI left the alternate screen (\\x1b[?1049l)");
    assert!(
        left > entered,
        "the last alternate-screen sequence is an enter, not a leave"
    );
    let parser = tui.parser.lock().unwrap();
    let screen = parser.screen();
    assert!(
        !screen.alternate_screen(),
        "the terminal is still on the alternate screen"
    );
    assert!(!screen.hide_cursor(), "the cursor is still hidden");
    drop(parser);
    if let Some(flags) = tui.local_flags() {
        assert!(
            flags.contains("ICANON"),
            "raw mode is still on (local flags: {flags})"
        );
    }
}

/// The queue of the first start: the demo orders are listed.
fn wait_for_queue(tui: &mut Tui) {
    tui.wait_for("DEMO-2026-", FIRST_SCREEN);
    tui.wait_for("ICP备案初审", STEP);
    // While the TUI runs the terminal is in raw mode (so the check after exit means something).
    if let Some(flags) = tui.local_flags() {
        assert!(
            !flags.contains("ICANON"),
            "raw mode is off while the TUI runs: {flags}"
        );
    }
    assert!(
        tui.parser.lock().unwrap().screen().alternate_screen(),
        "the TUI draws on the alternate screen"
    );
}

/// `/`, clear the field (it starts with the last search), type, Enter; then wait for the
/// order's detail (title `ID · 待初审 vN`).
fn search_and_open(tui: &mut Tui, id: &str) {
    tui.send(b"/");
    tui.wait_for("/搜索", STEP);
    tui.send(b"\x15"); // ctrl-u
    tui.send(id.as_bytes());
    tui.send(b"\r");
    let title = format!("{id} · 待初审");
    tui.wait_for(&title, STEP);
}

#[test]
fn approve_and_reject_through_the_tui() {
    let _serial = one_at_a_time();
    let s = setup(1);
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    let started = Instant::now();
    wait_for_queue(&mut tui);
    eprintln!("first screen after {:?}", started.elapsed());

    // Approve the clean order.
    search_and_open(&mut tui, "DEMO-2026-0040");
    tui.wait_for("未发现问题", STEP); // no findings
    tui.send(b"a");
    tui.wait_for("确认通过该订单并提交管局？", STEP);
    tui.send(b"y");
    tui.wait_for("即将提交 已通过 DEMO-2026-0040", STEP); // the undo window
    // The window (1 s) passes; the decision is sent; the toast replaces the countdown.
    tui.wait_until("the approval toast", STEP, |rows| {
        let status = rows.last().map(String::as_str).unwrap_or("");
        status.contains("已通过 DEMO-2026-0040") && !status.contains("即将提交")
    });
    // The list reloads: the approved order left the review queue.
    tui.wait_for("没有符合条件的订单", STEP);

    // Reject the order with the www domain; its reason is pre-selected.
    search_and_open(&mut tui, "DEMO-2026-0059");
    tui.wait_for("DOMAIN-WWW", STEP);
    tui.send(b"r");
    tui.wait_for("驳回 · DEMO-2026-0059", STEP);
    tui.wait_for("[x] R-DOMAIN-FORMAT", STEP);
    tui.send(b"\r");
    tui.wait_for("即将提交 已驳回 DEMO-2026-0059", STEP);
    // Quit inside the undo window: the rejection is sent before the program exits.
    tui.send(b"q");
    let status = tui.wait_exit(EXIT);
    assert!(
        status.success(),
        "icp-review exited with {status:?}\n{}",
        tui.screen()
    );
    assert_restored(&tui);
    eprintln!("session done after {:?}", started.elapsed());

    let (rt, store) = open_store(&s.data_dir);
    rt.block_on(async {
        let d = store.get("DEMO-2026-0040").await.unwrap();
        assert_eq!(d.order.status, Status::Approved);
        assert_eq!(d.version, 2);
        let ev = d.order.history.last().expect("a history event");
        assert_eq!(ev.event, EventKind::Approved);
        assert_eq!(ev.actor, "reviewer:e2e");
        let audit = store.audit(Some("DEMO-2026-0040")).await.unwrap();
        let row = audit
            .iter()
            .find(|a| a.action == "approve")
            .unwrap_or_else(|| panic!("no approve audit row: {audit:#?}"));
        assert_eq!(row.actor, "e2e");
        assert_eq!((row.version_before, row.version_after), (Some(1), Some(2)));

        let d = store.get("DEMO-2026-0059").await.unwrap();
        assert_eq!(d.order.status, Status::Rejected);
        assert_eq!(d.version, 2);
        let ev = d.order.history.last().expect("a history event");
        assert_eq!(ev.event, EventKind::Rejected);
        assert_eq!(ev.actor, "reviewer:e2e");
        assert!(
            ev.reasons
                .iter()
                .any(|r| r.code == "R-DOMAIN-FORMAT" && !r.text.is_empty()),
            "the rejection carries the pre-selected reason: {:?}",
            ev.reasons
        );
        let audit = store.audit(Some("DEMO-2026-0059")).await.unwrap();
        let row = audit
            .iter()
            .find(|a| a.action == "reject")
            .unwrap_or_else(|| panic!("no reject audit row: {audit:#?}"));
        assert_eq!(row.actor, "e2e");
        assert!(
            row.reasons.iter().any(|r| r.code == "R-DOMAIN-FORMAT"),
            "{:?}",
            row.reasons
        );

        // Nothing else was decided.
        let decided = e2e_decisions(&store).await;
        assert_eq!(
            decided,
            vec![
                ("DEMO-2026-0040".to_string(), "approve".to_string()),
                ("DEMO-2026-0059".to_string(), "reject".to_string())
            ]
        );
    });
}

#[test]
fn quit_right_away_restores_the_terminal() {
    let _serial = one_at_a_time();
    let s = setup(1);
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    wait_for_queue(&mut tui);
    tui.send(b"q");
    let status = tui.wait_exit(EXIT);
    assert!(status.success(), "icp-review exited with {status:?}");
    assert!(
        contains(&tui.raw(), LEAVE_ALT_SCREEN),
        "no \\x1b[?1049l in the output"
    );
    assert_restored(&tui);
}

#[test]
fn sigterm_sends_the_pending_decision_and_restores_the_terminal() {
    let _serial = one_at_a_time();
    // A long undo window: the decision is still pending when the signal comes.
    let s = setup(60);
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    wait_for_queue(&mut tui);
    search_and_open(&mut tui, "DEMO-2026-0040");
    tui.send(b"a");
    tui.wait_for("确认通过该订单并提交管局？", STEP);
    tui.send(b"y");
    tui.wait_for("即将提交 已通过 DEMO-2026-0040", STEP);

    let pid = tui.pid().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -TERM {pid} failed");
    let status = tui.wait_exit(EXIT);
    assert!(
        status.success(),
        "icp-review exited with {status:?} after SIGTERM"
    );
    assert_restored(&tui);

    let (rt, store) = open_store(&s.data_dir);
    rt.block_on(async {
        let d = store.get("DEMO-2026-0040").await.unwrap();
        assert_eq!(
            d.order.status,
            Status::Approved,
            "the pending approval was sent before exiting"
        );
        assert_eq!(d.version, 2);
        let audit = store.audit(Some("DEMO-2026-0040")).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|a| a.action == "approve" && a.actor == "e2e"),
            "{audit:#?}"
        );
    });
}

/// The first `q` sends the pending decision and waits for it; a second `q` before it
/// lands must not exit and let the runtime drop the request: `App::quit` waits for
/// every decision in flight.
#[test]
fn quitting_twice_still_sends_the_pending_decision() {
    let _serial = one_at_a_time();
    let s = setup(60);
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    wait_for_queue(&mut tui);
    search_and_open(&mut tui, "DEMO-2026-0040");
    tui.send(b"a");
    tui.wait_for("确认通过该订单并提交管局？", STEP);
    tui.send(b"y");
    tui.wait_for("即将提交 已通过 DEMO-2026-0040", STEP);
    tui.send(b"qq"); // an impatient reviewer
    let status = tui.wait_exit(EXIT);
    assert!(status.success(), "icp-review exited with {status:?}");
    assert_restored(&tui);
    let (rt, store) = open_store(&s.data_dir);
    rt.block_on(async {
        let d = store.get("DEMO-2026-0040").await.unwrap();
        assert_eq!(
            d.order.status,
            Status::Approved,
            "the pending approval was lost on exit"
        );
    });
}

/// The id on the selected row of the list (`▶DEMO-2026-0001`).
fn selected_id(rows: &[String]) -> Option<String> {
    rows.iter().find_map(|r| {
        let at = r.find("▶")?;
        let rest = &r[at + "▶".len()..];
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        (!id.is_empty()).then_some(id)
    })
}

/// The finding counts of the detail's findings title (`审核提示 ✖1 ▲2`).
fn finding_counts(rows: &[String]) -> Option<(u32, u32)> {
    rows.iter().find_map(|r| {
        let at = r.find("审核提示 ✖")?;
        let rest = &r[at + "审核提示 ✖".len()..];
        let (b, rest) = rest.split_once(" ▲")?;
        let w: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((b.parse().ok()?, w.parse().ok()?))
    })
}

/// A desk's pace: ten orders of the demo queue decided one after another as fast as the
/// screen allows, with the default 5 s undo window on. A clean order is approved with
/// `a y`, one with blocking findings rejected with `r Enter` (the reasons come
/// pre-selected), one with warnings only sent to a call with `c Enter` (the proposed slot
/// and the warnings as the reason). The keys per decision and the wall time per decision
/// are printed (scripts/decision_speed.sh collects them for README); the store must hold
/// exactly those ten decisions afterwards.
#[test]
fn ten_orders_in_a_row_at_full_speed() {
    let _serial = one_at_a_time();
    let s = setup(5);
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    wait_for_queue(&mut tui);
    // scripts/decision_speed.sh runs it at other lengths too (ICP_E2E_ORDERS).
    let total: usize = std::env::var("ICP_E2E_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let mut decided: Vec<(String, &str)> = Vec::new();
    let mut keys: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let started = Instant::now();
    for n in 0..total {
        // The selected order and its detail (not the previous one's, still on screen).
        let mut id = String::new();
        tui.wait_until(&format!("order {n}'s detail"), STEP, |rows| {
            let Some(sel) = selected_id(rows) else {
                return false;
            };
            rows.iter()
                .any(|r| r.contains(&format!("{sel} · ")) && !r.contains("加载中"))
                && finding_counts(rows).is_some()
        });
        let rows = tui.rows();
        id.push_str(&selected_id(&rows).expect("a selected order"));
        let (blocks, warns) = finding_counts(&rows).expect("finding counts");
        let action = if blocks > 0 {
            tui.send(b"r");
            tui.wait_for(&format!("驳回 · {id}"), STEP);
            tui.send(b"\r");
            "reject"
        } else if warns > 0 {
            tui.send(b"c");
            tui.wait_for("预约核实电话", STEP);
            tui.send(b"\r");
            "schedule_call"
        } else {
            tui.send(b"a");
            tui.wait_for("确认通过该订单并提交管局？", STEP);
            tui.send(b"y");
            "approve"
        };
        let k = keys.entry(action).or_default();
        k.0 += 1; // decisions
        k.1 += 2; // keys pressed
        tui.wait_until(&format!("{id} waiting to be sent"), STEP, |rows| {
            rows.last().is_some_and(|l| l.contains("即将提交"))
                && selected_id(rows).is_some_and(|s| s != id)
        });
        decided.push((id, action));
    }
    let elapsed = started.elapsed();
    let per: Vec<String> = keys
        .iter()
        .map(|(a, (n, k))| format!("{a} {:.1} keys ({n}×)", *k as f64 / *n as f64))
        .collect();
    eprintln!(
        "decision speed: {} decisions, {}; {:.0} ms per decision wall time (undo window 5 s, windows overlap)",
        decided.len(),
        per.join(", "),
        elapsed.as_millis() as f64 / decided.len() as f64
    );
    // Quitting sends every decision still in its window.
    tui.send(b"q");
    let status = tui.wait_exit(EXIT);
    assert!(status.success(), "exit {status:?}\n{}", tui.screen());
    assert_restored(&tui);
    let (rt, store) = open_store(&s.data_dir);
    rt.block_on(async {
        let audit = e2e_decisions(&store).await;
        for (id, action) in &decided {
            assert!(
                audit.contains(&(id.clone(), action.to_string())),
                "{id} {action} not in the audit: {audit:?}"
            );
            let d = store.get(id).await.unwrap();
            assert_eq!(d.version, 2, "{id} decided once");
        }
        assert_eq!(audit.len(), total, "exactly {total} decisions: {audit:?}");
    });
}

/// A crash inside the undo window loses nothing: the decision was journalled when made;
/// the next start offers it, and `s` sends it.
#[test]
fn a_decision_survives_a_kill_inside_its_undo_window() {
    let _serial = one_at_a_time();
    let s = setup(30);
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    wait_for_queue(&mut tui);
    search_and_open(&mut tui, "DEMO-2026-0040");
    tui.wait_for("未发现问题", STEP);
    tui.send(b"a");
    tui.wait_for("确认通过该订单并提交管局？", STEP);
    tui.send(b"y");
    tui.wait_for("即将提交 已通过 DEMO-2026-0040", STEP);
    // kill -9: no chance to send anything.
    let pid = tui.pid();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let _ = tui.wait_exit(EXIT);
    drop(tui);
    {
        let (rt, store) = open_store(&s.data_dir);
        let d = rt.block_on(store.get("DEMO-2026-0040")).unwrap();
        assert_eq!(d.order.status, Status::Pending, "nothing reached the store");
    }
    // The next start offers it first.
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    tui.wait_for("上次未提交的决定", FIRST_SCREEN);
    tui.wait_for("DEMO-2026-0040", STEP);
    tui.send(b"s");
    tui.wait_for("已通过 DEMO-2026-0040", STEP);
    tui.send(b"q");
    let status = tui.wait_exit(EXIT);
    assert!(status.success(), "{status:?}\n{}", tui.screen());
    assert_restored(&tui);
    let (rt, store) = open_store(&s.data_dir);
    rt.block_on(async {
        let d = store.get("DEMO-2026-0040").await.unwrap();
        assert_eq!(d.order.status, Status::Approved);
        assert_eq!(d.version, 2, "applied once");
    });
    // And it is not offered a third time.
    let mut tui = Tui::spawn(&s.data_dir, &s.config);
    wait_for_queue(&mut tui);
    assert!(
        !tui.screen().contains("上次未提交的决定"),
        "{}",
        tui.screen()
    );
    tui.send(b"q");
    let _ = tui.wait_exit(EXIT);
}

// ---------------------------------------------------------------- a team server restarting

/// `icp-review ARGS` on the server's data directory, to completion.
fn icp_cli(server_dir: &Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_icp-review"))
        .arg("--data-dir")
        .arg(server_dir)
        .args(args)
        .env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATABASE_URL")
        .output()
        .expect("run icp-review");
    assert!(
        out.status.success(),
        "icp-review {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `icp-review serve` on `server_dir` at `addr`, once it says it listens.
fn serve(server_dir: &Path, addr: &str) -> std::process::Child {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_icp-review"))
        .arg("--data-dir")
        .arg(server_dir)
        .args(["serve", "--listen", addr])
        .env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start serve");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("serve's first line");
    assert!(line.contains("listening on"), "{line}");
    child
}

/// The team server dies under a reviewer writing a rejection and comes back: the TUI shows
/// it is offline, keeps the dialog and what was typed, reconnects by itself, and the
/// rejection is then sent with the text typed before the failure.
#[test]
fn a_server_restart_keeps_the_draft_and_the_decision_goes_through() {
    let _serial = one_at_a_time();
    let s = setup(1);
    let server_dir = s._tmp.path().join("server");
    std::fs::create_dir_all(&server_dir).unwrap();
    let order =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples/clean-individual.json");
    icp_cli(&server_dir, &["import", order.to_str().unwrap()]);
    let out = icp_cli(&server_dir, &["token", "add", "e2e", "--role", "lead"]);
    let token = String::from_utf8(out.stdout).unwrap();
    let token = token
        .lines()
        .last()
        .expect("the token is the last line")
        .trim();
    let token_file = s._tmp.path().join("token");
    std::fs::write(&token_file, token).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let url = format!("http://{addr}");
    let mut server = serve(&server_dir, &addr);

    let mut tui = Tui::spawn_with(
        &s.data_dir,
        &s.config,
        &[
            "--server".as_ref(),
            url.as_ref(),
            "--token-file".as_ref(),
            token_file.as_os_str(),
        ],
    );
    tui.wait_for("ICP备案初审", FIRST_SCREEN);
    search_and_open(&mut tui, "EX-2026-00002");
    tui.send(b"r");
    tui.wait_for("驳回", STEP);
    tui.send(b"e");
    std::thread::sleep(Duration::from_millis(200));
    tui.send("门牌号缺失".as_bytes());
    tui.wait_for("门牌号缺失", STEP);

    // The server is killed: the TUI says so, and nothing typed is lost.
    let _ = server.kill();
    let _ = server.wait();
    tui.wait_for("队列连接中断", STEP);
    assert!(tui.screen().contains("门牌号缺失"), "{}", tui.screen());

    // It comes back at the same address: the banner goes by itself.
    let mut server = serve(&server_dir, &addr);
    tui.wait_until("back online", Duration::from_secs(45), |rows| {
        !rows.iter().any(|r| r.contains("队列连接中断"))
    });
    assert!(tui.screen().contains("门牌号缺失"), "{}", tui.screen());

    // The rejection, as typed, is sent once its undo window passes.
    tui.send(b"\r");
    tui.send(b"\r");
    tui.wait_for("已驳回 EX-2026-00002", STEP);
    tui.send(b"q");
    let status = tui.wait_exit(EXIT);
    assert!(status.success(), "{status:?}\n{}", tui.screen());
    assert_restored(&tui);
    let _ = server.kill();
    let _ = server.wait();

    let (rt, store) = open_store(&server_dir);
    rt.block_on(async {
        let d = store.get("EX-2026-00002").await.unwrap();
        assert_eq!(d.order.status, Status::Rejected);
        let audit = store.audit(Some("EX-2026-00002")).await.unwrap();
        let row = audit
            .iter()
            .find(|a| a.action == "reject")
            .expect("a reject audit row");
        assert_eq!(row.actor, "e2e");
        assert!(
            row.reasons.iter().any(|r| r.text.contains("门牌号缺失")),
            "{:?}",
            row.reasons
        );
    });
}
