//! TUI cost: (a) time to render one frame at 160×48 with a realistic state (100 orders in
//! the list, the clean enterprise sample in the detail; target < 2 ms per frame), and
//! (b) bytes written to the terminal for one `j` keystroke in the queue (target < 1 KB),
//! for the frame after the next order's detail arrives, and for a frame with no change.
//!
//! The App is built without a store, as in a unit test: effects are not run, their
//! results are fed back by hand. Byte counts include the synchronized-update brackets
//! (`\x1b[?2026h` … `\x1b[?2026l`, 16 bytes) that the event loop writes around each frame.
//!
//! cargo bench --bench tui

use criterion::Criterion;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use icp_review::config::Language;
use icp_review::domain::{FilingType, Order, Status, parse_order};
use icp_review::queue::{Claim, OrderDetail, OrderSummary, Page};
use icp_review::rules::{self, Context, Finding, MaterialState, MemoryIndex, RuleData};
use icp_review::tui::action::Action;
use icp_review::tui::app::{App, Settings};
use icp_review::tui::effect::Effect;
use icp_review::tui::shadow::Shadowed;
use icp_review::tui::theme::Theme;
use icp_review::tui::ui;
use icp_review::tui::wire::Wire;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

const W: u16 = 160;
const H: u16 = 48;
const SYNC_ON: &[u8] = b"\x1b[?2026h";
const SYNC_OFF: &[u8] = b"\x1b[?2026l";
/// 2026-11-24 10:00 +08:00: a couple of days after the last demo submission.
const NOW_MS: i64 = 1_795_485_600_000;
const DEBOUNCE_MS: i64 = 120;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples")
}

fn sample(name: &str) -> Order {
    parse_order(&std::fs::read_to_string(examples().join(name)).expect("sample exists"))
        .expect("sample parses")
}

/// Findings as `check` reports them: material bytes inspected, the order indexed alone.
fn findings(order: &Order, data: &RuleData) -> Vec<Finding> {
    let provider = icp_review::config::Config::defaults()
        .provider_settings()
        .unwrap();
    let states: Vec<MaterialState> = order
        .materials
        .iter()
        .map(|m| {
            MaterialState::from(icp_review::material::inspect_file(
                &examples().join(&m.file),
            ))
        })
        .collect();
    let index = MemoryIndex::build(std::iter::once(order));
    rules::check_order(
        order,
        &states,
        &Context {
            data,
            provider: &provider,
            others: &index,
        },
    )
}

fn settings(theme: Theme) -> Settings {
    let mut s = Settings::new(Language::Zh, "bench", Vec::new());
    s.theme = theme;
    s.undo_ms = 5000;
    s.page_size = 100;
    s.detail_debounce_ms = DEBOUNCE_MS;
    s
}

/// 100 queue rows like the demo's: mixed types, provinces, ages, findings and claims.
/// Row 0 is the order shown in the detail.
fn summaries(first: &Order) -> Vec<OrderSummary> {
    let types = FilingType::ALL;
    let provinces = [
        "CN-GD", "CN-ZJ", "CN-BJ", "CN-SH", "CN-JS", "CN-SC", "CN-HB", "CN-CQ", "CN-XJ", "CN-LN",
        "CN-HI", "CN-FJ",
    ];
    let names = [
        "深圳市凌云数据科技有限公司",
        "杭州星桥网络技术有限公司",
        "北京云帆信息服务有限公司",
        "上海青禾文化传播有限公司",
        "南京知安教育咨询有限公司",
        "张伟",
        "成都锦程软件开发有限公司",
        "武汉江城互动娱乐有限公司",
        "重庆山城物流科技有限公司",
        "李娜",
    ];
    let statuses = [
        Status::Pending,
        Status::Pending,
        Status::Resubmitted,
        Status::Pending,
        Status::AwaitingCall,
    ];
    (0..100)
        .map(|i| {
            let submitted_ms =
                NOW_MS - (i as i64 * 2 + 5) * 3_600_000 - (i as i64 * 7_919) % 3_600_000;
            OrderSummary {
                id: if i == 0 {
                    first.id.clone()
                } else {
                    format!("BENCH-2026-{i:04}")
                },
                filing_type: if i == 0 {
                    first.filing_type
                } else {
                    types[i % types.len()]
                },
                status: if i == 0 {
                    first.status
                } else {
                    statuses[i % statuses.len()]
                },
                province: if i == 0 {
                    first.subject.region.province.clone()
                } else {
                    provinces[i % provinces.len()].to_string()
                },
                subject_name: if i == 0 {
                    first.subject.name.clone()
                } else {
                    names[i % names.len()].to_string()
                },
                submitted_at: icp_review::queue::time::rfc3339_shanghai(submitted_ms),
                submitted_ms,
                blocks: if i % 3 == 1 { (i % 4) as u32 } else { 0 },
                warns: if i % 4 == 2 { 1 } else { 0 },
                claim: (i % 9 == 4).then(|| Claim {
                    reviewer: "wang.li".into(),
                    until_ms: NOW_MS + 600_000,
                }),
                version: 1 + (i % 3) as i64,
            }
        })
        .collect()
}

/// The detail of order `id`: the sample under that id.
fn detail_of(order: &Order, id: &str, data: &RuleData) -> OrderDetail {
    let mut o = order.clone();
    o.id = id.to_string();
    let findings = findings(&o, data);
    OrderDetail {
        order: o,
        version: 1,
        findings,
        claim: None,
        materials: Vec::new(),
    }
}

/// An App with the list loaded and the first order's detail shown.
fn loaded_app(theme: Theme, order: &Order, data: &RuleData) -> App {
    loaded_app_rows(theme, order, data, usize::MAX)
}

/// The same with only the first `rows` rows loaded.
fn loaded_app_rows(theme: Theme, order: &Order, data: &RuleData, rows: usize) -> App {
    let reasons = data.reasons.clone();
    let mut app = App::new(settings(theme), reasons, NOW_MS);
    let _ = app.update(Action::Resize(W, H));
    let start = app.start();
    let req = start
        .iter()
        .find_map(|e| match e {
            Effect::LoadPage { req, .. } => Some(*req),
            _ => None,
        })
        .expect("first page requested");
    let stats_req = start
        .iter()
        .find_map(|e| match e {
            Effect::LoadStats { req } => Some(*req),
            _ => None,
        })
        .expect("stats requested");
    let mut items = summaries(order);
    items.truncate(rows);
    let fx = app.update(Action::PageLoaded {
        req,
        append: false,
        result: Ok(Page { items, next: None }),
    });
    // The first order's detail is asked for with the list (no debounce at start).
    let req = load_detail_req(&fx)
        .or_else(|| load_detail_req(&app.update(Action::Tick(NOW_MS + DEBOUNCE_MS))))
        .expect("the first detail is requested");
    let first = app.rows()[0].summary().id.clone();
    let detail = detail_of(order, &first, data);
    let _ = app.update(Action::DetailLoaded {
        req,
        result: Ok(detail),
    });
    app.update(Action::StatsLoaded {
        req: stats_req,
        result: Ok(icp_review::queue::QueueStats {
            total: 162,
            awaiting_review: 100,
        }),
    });
    assert!(app.current_detail().is_some(), "the detail is shown");
    app
}

fn load_detail_req(fx: &[Effect]) -> Option<u64> {
    fx.iter().find_map(|e| match e {
        Effect::LoadDetail { req, .. } => Some(*req),
        _ => None,
    })
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

// ── (a) frame time ────────────────────────────────────────────────────────────────

struct Timing {
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn time_frames(n: usize, mut frame: impl FnMut()) -> Timing {
    for _ in 0..n / 10 {
        frame();
    }
    let mut t: Vec<Duration> = (0..n)
        .map(|_| {
            let s = Instant::now();
            frame();
            s.elapsed()
        })
        .collect();
    t.sort();
    Timing {
        median: t[n / 2],
        p99: t[n * 99 / 100],
        max: t[n - 1],
    }
}

fn frame_time_report(order: &Order, flawed: &Order, data: &RuleData) -> bool {
    println!(
        "\n(a) frame render time, {W}×{H}, TestBackend (ui::render + buffer diff), 1000 frames each"
    );
    println!("    target: < 2 ms per frame (median)");
    let mut ok = true;
    // (name, detail order, theme, j/k each frame, list rows kept, counts toward the target)
    let cases: [(&str, &Order, Theme, bool, usize, bool); 6] = [
        (
            "100 orders + clean enterprise detail, dark",
            order,
            Theme::dark(),
            false,
            100,
            true,
        ),
        (
            "  … j/k before each frame (detail ↔ loading)",
            order,
            Theme::dark(),
            true,
            100,
            true,
        ),
        ("  … mono theme", order, Theme::mono(), false, 100, true),
        (
            "100 orders + detail with a finding, dark",
            flawed,
            Theme::dark(),
            false,
            100,
            true,
        ),
        (
            "breakdown: 1 order + clean enterprise detail",
            order,
            Theme::dark(),
            false,
            1,
            false,
        ),
        (
            "breakdown: 100 orders, detail not loaded",
            order,
            Theme::dark(),
            false,
            0,
            false,
        ),
    ];
    for (name, o, theme, move_sel, rows, counts) in cases {
        let mut app = loaded_app_rows(theme, o, data, if rows == 0 { usize::MAX } else { rows });
        if rows == 0 {
            // Select another row: its detail is "loading", only the list is drawn.
            let _ = app.update(key('j'));
        }
        let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
        let mut down = true;
        let t = time_frames(1000, || {
            if move_sel {
                let _ = app.update(key(if down { 'j' } else { 'k' }));
                down = !down;
            }
            term.draw(|f| ui::render(&app, f)).unwrap();
            black_box(term.backend());
        });
        let pass = t.median < Duration::from_millis(2);
        if counts {
            ok &= pass;
        }
        println!(
            "    {name:<48} median {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms  {}",
            t.median.as_secs_f64() * 1e3,
            t.p99.as_secs_f64() * 1e3,
            t.max.as_secs_f64() * 1e3,
            match (counts, pass) {
                (false, _) => "",
                (true, true) => "OK",
                (true, false) => "OVER TARGET",
            }
        );
    }
    ok
}

// ── (b) bytes per frame ───────────────────────────────────────────────────────────

/// Counts what the terminal would receive (shared with the test, since the backend's
/// `writer()` accessor is behind ratatui's unstable `backend-writer` feature).
#[derive(Default, Clone)]
struct Counting {
    bytes: Rc<RefCell<Vec<u8>>>,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Term {
    term: Terminal<Shadowed<CrosstermBackend<Wire<Counting>>>>,
    out: Counting,
}

/// A crossterm terminal writing into memory through the writer the TUI uses
/// (`tui::shadow::Shadowed`, which prints short unchanged gaps instead of jumping them, and
/// `tui::wire::Wire`, which drops the backend's cursor moves after wide characters). A
/// fixed viewport at the origin draws exactly like the full-screen one but never asks the
/// real tty for its size.
fn counting_terminal() -> Term {
    let out = Counting::default();
    let term = Terminal::with_options(
        Shadowed::new(CrosstermBackend::new(Wire::new(out.clone()))),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, W, H)),
        },
    )
    .unwrap();
    Term { term, out }
}

/// Draw one frame as the event loop does (sync brackets around it); return its bytes.
fn frame_bytes(t: &mut Term, app: &App) -> usize {
    t.out.bytes.borrow_mut().clear();
    t.out.bytes.borrow_mut().extend_from_slice(SYNC_ON);
    t.term.draw(|f| ui::render(app, f)).unwrap();
    t.out.bytes.borrow_mut().extend_from_slice(SYNC_OFF);
    t.out.bytes.borrow().len()
}

/// Bytes of the last frame spent on cursor moves (`CSI row;col H` and `CSI col G`), and of those the
/// redundant ones: moves to where the terminal cursor already is. ratatui-crossterm 0.1
/// moves the cursor after every wide (CJK) character because it assumes each cell
/// advances the cursor by one column (upstream: ratatui PR #2721, merged, unreleased);
/// `Wire` drops those, so what is left here is what a terminal still receives.
fn move_bytes(t: &Term) -> (usize, usize) {
    use unicode_width::UnicodeWidthChar;
    let bytes = t.out.bytes.borrow();
    let text = String::from_utf8_lossy(&bytes);
    let b = text.as_bytes();
    let (mut all, mut redundant) = (0, 0);
    let mut cursor: Option<(u32, u32)> = None; // 1-based row, column
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0x1b && b.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < b.len() && !(0x40..=0x7e).contains(&b[j]) {
                j += 1;
            }
            if j < b.len() && b[j] == b'H' {
                let args = &text[i + 2..j];
                let mut it = args.split(';').map(|n| n.parse::<u32>().unwrap_or(1));
                let to = (it.next().unwrap_or(1), it.next().unwrap_or(1));
                all += j + 1 - i;
                if cursor == Some(to) {
                    redundant += j + 1 - i;
                }
                cursor = Some(to);
            } else if j < b.len() && b[j] == b'G' {
                // A column move within the row (written by `Wire` for same-row moves).
                all += j + 1 - i;
                let col = text[i + 2..j].parse::<u32>().unwrap_or(1);
                cursor = cursor.map(|(r, _)| (r, col));
            }
            i = j + 1;
            continue;
        }
        let ch = text[i..].chars().next().unwrap();
        if let Some((r, c)) = cursor.as_mut() {
            let _ = r;
            *c += ch.width().unwrap_or(0) as u32;
        }
        i += ch.len_utf8();
    }
    (all, redundant)
}

/// What the event loop would write after `action`: nothing unless the state is dirty.
fn loop_bytes(term: &mut Term, app: &mut App, action: Action) -> (usize, Vec<Effect>) {
    app.mark_drawn();
    let fx = app.update(action);
    let n = if app.dirty() {
        frame_bytes(term, app)
    } else {
        0
    };
    (n, fx)
}

/// The second order of the list: a different sample (an individual's website) under the
/// list's id, so that the detail really changes.
fn next_detail(app: &App, next: &Order, data: &RuleData) -> OrderDetail {
    detail_of(next, &app.rows()[1].summary().id.clone(), data)
}

struct Bytes {
    full: usize,
    j: usize,
    j_moves: (usize, usize),
    tick_early: usize,
    tick_due: usize,
    detail: usize,
    detail_moves: (usize, usize),
    unchanged: usize,
    idle_tick: usize,
    hour_tick: usize,
    hour_forced: usize,
    j2: usize,
    j3: usize,
    cached: usize,
    undo_total: usize,
    undo_frames: usize,
}

fn measure_bytes(theme: &str, order: &Order, next: &Order, data: &RuleData) -> Bytes {
    let mut app = loaded_app(
        Theme::from_config(theme, &BTreeMap::new(), false).expect("theme"),
        order,
        data,
    );
    let mut term = counting_terminal();
    let full = frame_bytes(&mut term, &app);

    // j: the selection moves; the detail of the next order is due after the debounce.
    let t0 = app.now_ms();
    let (j, _) = loop_bytes(&mut term, &mut app, key('j'));
    let j_moves = move_bytes(&term);
    assert_eq!(app.selected(), 1);
    let (tick_early, fx) = loop_bytes(&mut term, &mut app, Action::Tick(t0 + DEBOUNCE_MS / 2));
    assert!(
        load_detail_req(&fx).is_none(),
        "the debounce holds the fetch back"
    );
    let (tick_due, fx) = loop_bytes(&mut term, &mut app, Action::Tick(t0 + DEBOUNCE_MS + 50));
    let req = load_detail_req(&fx).expect("the detail is fetched once the selection rests");
    let result = Ok(next_detail(&app, next, data));
    let (detail, _) = loop_bytes(&mut term, &mut app, Action::DetailLoaded { req, result });
    let detail_moves = move_bytes(&term);
    assert!(app.current_detail().is_some());
    let unchanged = frame_bytes(&mut term, &app);
    let (idle_tick, _) = loop_bytes(&mut term, &mut app, Action::Tick(NOW_MS + 1000));
    // An hour later the ages in the list changed: does the idle loop ever redraw them?
    let (hour_tick, _) = loop_bytes(&mut term, &mut app, Action::Tick(NOW_MS + 3_600_000));
    let hour_forced = frame_bytes(&mut term, &app);
    // Holding j: the detail pane blanks once, then only the selection moves.
    let (j2, _) = loop_bytes(&mut term, &mut app, key('j'));
    let (j3, _) = loop_bytes(&mut term, &mut app, key('j'));

    // What a `j` would cost if the next detail were already at hand (a prefetched or
    // cached detail replacing the current one in the same frame, no "loading" frame).
    let mut app = loaded_app(
        Theme::from_config(theme, &BTreeMap::new(), false).expect("theme"),
        order,
        data,
    );
    let mut term = counting_terminal();
    frame_bytes(&mut term, &app);
    let _ = app.update(key('j'));
    let fx = app.update(Action::Tick(NOW_MS + 2 * DEBOUNCE_MS + 50));
    let req = load_detail_req(&fx).unwrap();
    let result = Ok(next_detail(&app, next, data));
    let _ = app.update(Action::DetailLoaded { req, result });
    let cached = frame_bytes(&mut term, &app);

    // How often the undo countdown (1 s resolution) redraws on the 100 ms ticks.
    let mut app = loaded_app(
        Theme::from_config(theme, &BTreeMap::new(), false).expect("theme"),
        order,
        data,
    );
    let mut term = counting_terminal();
    frame_bytes(&mut term, &app);
    let _ = app.update(key('a'));
    let _ = app.update(key('y'));
    assert!(!app.pending().is_empty(), "the approval is pending");
    frame_bytes(&mut term, &app);
    let (mut undo_total, mut undo_frames) = (0, 0);
    for t in 1..=10 {
        let (n, _) = loop_bytes(
            &mut term,
            &mut app,
            Action::Tick(NOW_MS + DEBOUNCE_MS + 50 + t * 100),
        );
        undo_total += n;
        undo_frames += usize::from(n > 0);
    }
    Bytes {
        full,
        j,
        j_moves,
        tick_early,
        tick_due,
        detail,
        detail_moves,
        unchanged,
        idle_tick,
        hour_tick,
        hour_forced,
        j2,
        j3,
        cached,
        undo_total,
        undo_frames,
    }
}

fn bytes_report(order: &Order, next: &Order, data: &RuleData) -> bool {
    let dark = measure_bytes("dark", order, next, data);
    let mono = measure_bytes("mono", order, next, data);
    let verdict = |n: usize| if n < 1024 { "OK" } else { "OVER 1 KB" };
    println!(
        "\n(b) bytes written to the terminal per frame, {W}×{H} (the event loop's 16 bytes of"
    );
    println!("    sync brackets included; 0 = the loop does not draw). dark / mono theme:");
    let rows: [(&str, usize, usize); 13] = [
        ("first full frame", dark.full, mono.full),
        ("`j` in the queue (target < 1 KB)", dark.j, mono.j),
        (
            "Tick inside the detail debounce",
            dark.tick_early,
            mono.tick_early,
        ),
        (
            "Tick when the detail is due (fetch starts)",
            dark.tick_due,
            mono.tick_due,
        ),
        ("next order's detail arrives", dark.detail, mono.detail),
        (
            "redraw with no change (forced draw)",
            dark.unchanged,
            mono.unchanged,
        ),
        ("Tick with nothing to do", dark.idle_tick, mono.idle_tick),
        (
            "Tick 1 h later, idle (list ages changed)",
            dark.hour_tick,
            mono.hour_tick,
        ),
        (
            "  … forced draw: what the ages would repaint",
            dark.hour_forced,
            mono.hour_forced,
        ),
        ("`j` again (detail shown → loading)", dark.j2, mono.j2),
        ("`j` a third time (loading → loading)", dark.j3, mono.j3),
        (
            "`j` with the next detail at hand (one frame)",
            dark.cached,
            mono.cached,
        ),
        (
            "undo window: 1 s of 100 ms ticks, total",
            dark.undo_total,
            mono.undo_total,
        ),
    ];
    for (what, d, m) in rows {
        println!("    {what:<46} {d:>7} B  {m:>7} B");
    }
    println!(
        "    (undo window: {} / {} of 10 ticks redrew)",
        dark.undo_frames, mono.undo_frames
    );
    println!("    cursor moves (all / redundant: to where the cursor already is), dark / mono:");
    println!(
        "      `j` frame            {:>5} / {:>5} B   {:>5} / {:>5} B",
        dark.j_moves.0, dark.j_moves.1, mono.j_moves.0, mono.j_moves.1
    );
    println!(
        "      next detail frame    {:>5} / {:>5} B   {:>5} / {:>5} B",
        dark.detail_moves.0, dark.detail_moves.1, mono.detail_moves.0, mono.detail_moves.1
    );
    println!(
        "      `j` without the redundant moves: {} / {} B",
        dark.j - dark.j_moves.1,
        mono.j - mono.j_moves.1
    );
    println!(
        "    `j` verdict: dark {} ({} B), mono {} ({} B)",
        verdict(dark.j),
        dark.j,
        verdict(mono.j),
        mono.j
    );
    dark.j < 1024 && mono.j < 1024
}

// ── (c) a queue of 100,000 orders ────────────────────────────────────────────────

/// Rows `from..from + n` of a long queue (the 100 rows above, repeated under new ids,
/// ages growing down the list).
fn long_rows(first: &Order, from: usize, n: usize) -> Vec<OrderSummary> {
    let base = summaries(first);
    (from..from + n)
        .map(|i| {
            let mut s = base[i % base.len()].clone();
            s.id = format!("LONG-{i:06}");
            s.submitted_ms = NOW_MS - 30 * 86_400_000 + i as i64 * 25_000;
            s.submitted_at = icp_review::queue::time::rfc3339_shanghai(s.submitted_ms);
            s
        })
        .collect()
}

/// The answer to the page request among `fx`, fed back to the app.
fn answer_page(app: &mut App, fx: &[Effect], page: Page) -> Vec<Effect> {
    let (req, append) = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadPage { req, append, .. } => Some((*req, *append)),
            _ => None,
        })
        .expect("a page is requested");
    app.update(Action::PageLoaded {
        req,
        append,
        result: Ok(page),
    })
}

/// An app whose queue holds `total` orders, `loaded` rows of it paged through with `j`.
fn long_app(order: &Order, data: &RuleData, total: usize, loaded: usize) -> App {
    let mut app = App::new(settings(Theme::dark()), data.reasons.clone(), NOW_MS);
    let _ = app.update(Action::Resize(W, H));
    let start = app.start();
    let stats_req = start
        .iter()
        .find_map(|e| match e {
            Effect::LoadStats { req } => Some(*req),
            _ => None,
        })
        .expect("stats requested");
    let fx = answer_page(
        &mut app,
        &start,
        Page {
            items: long_rows(order, 0, 100),
            next: Some("c0".into()),
        },
    );
    if let Some(req) = load_detail_req(&fx) {
        let first = app.rows()[0].summary().id.clone();
        let _ = app.update(Action::DetailLoaded {
            req,
            result: Ok(detail_of(order, &first, data)),
        });
    }
    let _ = app.update(Action::StatsLoaded {
        req: stats_req,
        result: Ok(icp_review::queue::QueueStats {
            total: total as u64,
            awaiting_review: total as u64,
        }),
    });
    // Page down the way `j` does: the list asks for the next page near its end; each
    // answer is appended.
    let mut page = 1;
    let mut guard = 0;
    while app.rows().len() < loaded && guard < 10 * loaded {
        guard += 1;
        let fx = app.update(key('j'));
        if fx.iter().any(|e| matches!(e, Effect::LoadPage { .. })) {
            let next = (page + 1 < total / 100).then(|| format!("c{page}"));
            let _ = answer_page(
                &mut app,
                &fx,
                Page {
                    items: long_rows(order, page * 100, 100),
                    next,
                },
            );
            page += 1;
        }
    }
    // The selected order's detail, after the debounce.
    let fx = app.update(Action::Tick(NOW_MS + 1000));
    if let Some(req) = load_detail_req(&fx) {
        let id = app.selected_id().expect("a selection").to_string();
        let _ = app.update(Action::DetailLoaded {
            req,
            result: Ok(detail_of(order, &id, data)),
        });
    }
    app
}

fn long_queue_report(order: &Order, data: &RuleData) -> bool {
    const TOTAL: usize = 100_000;
    const LOADED: usize = 1_000;
    println!(
        "\n(c) a queue of {TOTAL} orders, {LOADED} rows loaded (ten pages paged through), {W}×{H}"
    );
    println!("    targets: frame < 2 ms, key-to-frame < 5 ms for j/k, `G` < 50 ms");
    let mut app = long_app(order, data, TOTAL, LOADED);
    let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
    let frame = time_frames(1000, || {
        term.draw(|f| ui::render(&app, f)).unwrap();
        black_box(term.backend());
    });
    let mut down = true;
    let keyed = time_frames(1000, || {
        let _ = app.update(key(if down { 'j' } else { 'k' }));
        down = !down;
        term.draw(|f| ui::render(&app, f)).unwrap();
        black_box(term.backend());
    });
    // `G`: one query from the end; here the app's side (the key, the answer of 100 rows,
    // the frame). The store's side is `cargo bench --bench store` ("last page").
    let mut g = Vec::new();
    for _ in 0..20 {
        let mut a = long_app(order, data, TOTAL, LOADED);
        let t = Instant::now();
        let fx = a.update(key('G'));
        let _ = answer_page(
            &mut a,
            &fx,
            Page {
                items: long_rows(order, TOTAL - 100, 100),
                next: Some("before".into()),
            },
        );
        term.draw(|f| ui::render(&a, f)).unwrap();
        g.push(t.elapsed());
        assert_eq!(
            a.selected_id(),
            Some(format!("LONG-{:06}", TOTAL - 1).as_str()),
            "G selects the last order"
        );
    }
    g.sort();
    let ok = frame.median < Duration::from_millis(2)
        && keyed.median < Duration::from_millis(5)
        && g[g.len() / 2] < Duration::from_millis(50);
    for (name, t) in [("frame", &frame), ("j/k key to frame", &keyed)] {
        println!(
            "    {name:<48} median {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
            t.median.as_secs_f64() * 1e3,
            t.p99.as_secs_f64() * 1e3,
            t.max.as_secs_f64() * 1e3
        );
    }
    println!(
        "    {:<48} median {:>7.3} ms  max {:>7.3} ms  {}",
        "G: key, last page (100 rows) in, frame",
        g[g.len() / 2].as_secs_f64() * 1e3,
        g[g.len() - 1].as_secs_f64() * 1e3,
        if ok { "OK" } else { "OVER TARGET" }
    );
    ok
}

fn main() {
    let data = RuleData::embedded().expect("embedded rule data");
    let order = sample("clean-enterprise.json");
    let clean = findings(&order, &data);
    let flawed = sample("domain-www.json");
    println!(
        "clean-enterprise.json: {} findings; domain-www.json: {} findings",
        clean.len(),
        findings(&flawed, &data).len()
    );

    let frames_ok = frame_time_report(&order, &flawed, &data);
    let next = sample("clean-individual.json");
    let bytes_ok = bytes_report(&order, &next, &data);
    let long_ok = long_queue_report(&order, &data);

    // Criterion's statistics for the main case (cargo bench passes --bench; `-- render`
    // filters as usual).
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    {
        let mut app = loaded_app(Theme::dark(), &order, &data);
        let mut term = Terminal::new(TestBackend::new(W, H)).unwrap();
        c.bench_function("tui/render_frame_160x48_clean_enterprise", |b| {
            b.iter(|| term.draw(|f| ui::render(&app, f)).map(|_| ()).unwrap())
        });
        let mut down = true;
        c.bench_function("tui/render_frame_160x48_after_j_or_k", |b| {
            b.iter(|| {
                let _ = app.update(key(if down { 'j' } else { 'k' }));
                down = !down;
                term.draw(|f| ui::render(&app, f)).map(|_| ()).unwrap()
            })
        });
        let mut app = loaded_app(Theme::dark(), &order, &data);
        let mut term = counting_terminal();
        frame_bytes(&mut term, &app);
        let mut down = true;
        c.bench_function("tui/crossterm_frame_160x48_after_j_or_k", |b| {
            b.iter(|| {
                let _ = app.update(key(if down { 'j' } else { 'k' }));
                down = !down;
                frame_bytes(&mut term, &app)
            })
        });
    }
    c.final_summary();

    println!(
        "\nsummary: frame time {} (median), bytes per `j` {}, queue of 100,000 {}",
        if frames_ok {
            "within 2 ms"
        } else {
            "OVER 2 ms"
        },
        if bytes_ok { "within 1 KB" } else { "OVER 1 KB" },
        if long_ok {
            "within its targets"
        } else {
            "OVER TARGET"
        },
    );
}
