//! The snags of a reviewer's day (issue 7, section 2), each found by trying it, each
//! pinned by a test that fails if it comes back: queued decisions and undo, two-key
//! approvals, Enter taking the default, visible and per-view filters, errors for unknown
//! values, the working calendar for calls, the palette, keymap shadows, late answers,
//! our own rejection in the history, and findings read in full.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::domain::calls::CallError;
use icp_review::domain::{EventKind, FilingType, Status};
use icp_review::queue::{Action as Decision, DecisionOutcome, QueueError, QueueStats};
use icp_review::tui::action::Action;
use icp_review::tui::app::App;
use icp_review::tui::command::ViewKind;
use icp_review::tui::effect::Effect;
use icp_review::tui::overlay::Overlay;
use icp_review::tui::state::Pane;
use icp_review::tui::text::{self, L};
use icp_review::tui::theme::Theme;
use std::collections::BTreeMap;
use tui_common::*;

// ---------------------------------------------------------------- helpers

fn at(lang: Language, row: usize) -> Sim {
    let mut s = Sim::booted(lang);
    s.select(row);
    s
}

fn selected_id(app: &App) -> String {
    app.selected_summary().expect("a selection").id.clone()
}

fn id_of_row(app: &App, row: usize) -> String {
    app.rows()[row].summary().id.clone()
}

fn toast(app: &App) -> (String, bool) {
    let t = app.toast().expect("a toast");
    (t.text().to_string(), t.is_error())
}

fn decides(fx: &[Effect]) -> Vec<(u64, String, Decision)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Decide {
                req,
                order,
                decision,
                ..
            } => Some((*req, order.clone(), decision.action)),
            _ => None,
        })
        .collect()
}

/// Orders the simulated queue was asked to decide, in order.
fn sent_decisions(s: &Sim) -> Vec<String> {
    s.sent
        .iter()
        .filter_map(|e| match e {
            Effect::Decide { order, .. } => Some(order.clone()),
            _ => None,
        })
        .collect()
}

fn pages(fx: &[Effect]) -> Vec<icp_review::queue::ListQuery> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadPage { query, .. } => Some(query.clone()),
            _ => None,
        })
        .collect()
}

/// Run a `:` line through the palette (typed, then Enter), answering its effects.
fn command(s: &mut Sim, line: &str) {
    s.key(ch(':'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Palette(_))));
    s.type_text(line);
    s.key(enter());
}

fn search(s: &mut Sim, text: &str) {
    s.key(ch('/'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Search(_))));
    s.type_text(text);
    s.key(enter());
}

fn top_bar(app: &App, w: u16, h: u16) -> String {
    screen_lines(&render(app, w, h))[0].clone()
}

fn palette_text(app: &App) -> String {
    match app.overlay() {
        Some(Overlay::Palette(p)) => p.input().text().to_string(),
        other => panic!("palette expected: {other:?}"),
    }
}

fn call_error(app: &App) -> Option<CallError> {
    match app.overlay() {
        Some(Overlay::Call(d)) => d.error().cloned(),
        other => panic!("call dialog expected: {other:?}"),
    }
}

/// A screen's text with the box borders taken off each line and the lines joined by
/// spaces, so a wrapped message reads as one run of words.
fn unwrapped(lines: &[String]) -> String {
    let joined: Vec<String> = lines
        .iter()
        .map(|l| {
            l.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_string()
        })
        .collect();
    joined
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339
        .parse::<jiff::Timestamp>()
        .expect("timestamp")
        .as_millisecond()
}

// ---------------------------------------------------------------- 1. decisions queue, z undoes the latest

#[test]
fn decisions_queue_and_z_undoes_the_latest() {
    let mut s = at(Language::Zh, CLEAN);
    let first = selected_id(&s.app);
    s.keys([ch('a'), ch('y')]);
    assert_eq!(s.app.pending().len(), 1);
    // The next order is decided while the first still waits: it is queued, not ignored.
    assert_eq!(s.app.selected(), SHARED_MOBILE);
    let second = selected_id(&s.app);
    s.keys([ch('r'), enter()]);
    assert_eq!(s.app.pending().len(), 2, "the second decision is queued");
    let items = s.app.pending().items().to_vec();
    assert_eq!(items[0].order, first);
    assert_eq!(items[1].order, second);
    assert_eq!(items[1].decision.action, Decision::Reject);
    // z takes back the latest and goes back to its order.
    s.key(ch('z'));
    assert_eq!(s.app.pending().len(), 1);
    assert!(s.app.pending().holds(&first) && !s.app.pending().holds(&second));
    assert_eq!(selected_id(&s.app), second, "z reselects the undone order");
    let (t, err) = toast(&s.app);
    assert!(!err && t.contains(L::Undone.text(Language::Zh)) && t.contains(&second));
    // The remaining one is sent when its window ends; the undone one never.
    s.advance(5_000);
    assert!(s.app.pending().is_empty());
    assert_eq!(sent_decisions(&s), vec![first]);
    s.advance(60_000);
    assert_eq!(sent_decisions(&s).len(), 1);
}

#[test]
fn z_with_nothing_pending_says_so() {
    let mut s = at(Language::En, CLEAN);
    assert!(s.app.pending().is_empty());
    let fx = s.app.update(Action::Key(ch('z')));
    assert!(fx.is_empty());
    let (t, err) = toast(&s.app);
    assert_eq!(t, L::NothingToUndo.text(Language::En));
    assert!(!err);
    // After an undo empties the queue, z says so again.
    s.keys([ch('a'), ch('y'), ch('z')]);
    assert!(s.app.pending().is_empty());
    s.key(ch('z'));
    assert_eq!(toast(&s.app).0, L::NothingToUndo.text(Language::En));
}

// ---------------------------------------------------------------- 2. two keys approve a clean order

#[test]
fn two_keys_approve_a_clean_order_and_the_cursor_moves_to_the_next_undecided() {
    let mut s = at(Language::Zh, SHARED_MOBILE);
    // Row 1 already has a decision waiting.
    s.keys([ch('r'), enter()]);
    assert!(s.app.pending().holds(&id_of_row(&s.app, SHARED_MOBILE)));
    s.select(CLEAN);
    let clean = selected_id(&s.app);
    // Exactly two keys.
    s.key(ch('a'));
    s.key(ch('y'));
    assert_eq!(s.app.pending().len(), 2);
    let p = s.app.pending().items().last().unwrap().clone();
    assert_eq!(p.order, clean);
    assert_eq!(p.decision.action, Decision::Approve);
    assert!(!p.decision.override_blocks);
    // The cursor skips row 1 (decided, waiting) and lands on row 2, the next undecided.
    assert_eq!(s.app.selected(), SHARED_MOBILE + 1);
    assert!(!s.app.pending().holds(&selected_id(&s.app)));
    assert!(
        s.app.current_detail().is_some(),
        "its detail is there to read"
    );
}

// ---------------------------------------------------------------- 3. Enter takes the default, no

#[test]
fn enter_cancels_the_approve_dialog() {
    let mut s = at(Language::Zh, CLEAN);
    s.key(ch('a'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Approve(_))));
    let fx = s.app.update(Action::Key(enter()));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(s.app.overlay().is_none(), "Enter closes the dialog");
    assert!(s.app.pending().is_empty(), "and approves nothing");
    assert_eq!(s.app.selected(), CLEAN, "the cursor stays");
    s.advance(60_000);
    assert!(sent_decisions(&s).is_empty());
    // y still approves.
    s.keys([ch('a'), ch('y')]);
    assert_eq!(s.app.pending().len(), 1);
}

// ---------------------------------------------------------------- 4. filters: visible, :clear clears all, Esc, per view

#[test]
fn clear_clears_every_filter_and_the_top_bar_shows_a_status_filter() {
    let mut s = at(Language::En, CLEAN);
    let shown = format!(
        "{}={}",
        L::Status.text(Language::En),
        text::value(Status::Pending, Language::En)
    );
    assert!(
        !top_bar(&s.app, 80, 24).contains(&shown),
        "no status filter yet"
    );
    command(&mut s, "status pending");
    assert_eq!(s.app.view().query().status, vec![Status::Pending]);
    for (w, h) in SIZES {
        let bar = top_bar(&s.app, w, h);
        assert!(bar.contains(&shown), "{w}x{h}: {bar}");
    }
    command(&mut s, "province gd");
    command(&mut s, "type new_filing");
    search(&mut s, "凌云");
    let q = s.app.view().query().clone();
    assert_eq!(q.province.as_deref(), Some("CN-GD"));
    assert_eq!(q.filing_type, Some(FilingType::NewFiling));
    assert_eq!(q.q.as_deref(), Some("凌云"));

    s.key(ch(':'));
    s.type_text("clear");
    let fx = s.app.update(Action::Key(enter()));
    let asked = pages(&fx);
    assert_eq!(asked.len(), 1);
    let q = s.app.view().query().clone();
    assert_eq!(
        q.status,
        vec![Status::Pending, Status::Resubmitted, Status::AwaitingCall],
        "status back to the view's own"
    );
    assert_eq!(q.province, None);
    assert_eq!(q.filing_type, None);
    assert_eq!(q.q, None);
    assert_eq!(asked[0].status, q.status);
    assert_eq!(asked[0].province, None);
    assert_eq!(asked[0].q, None);
    s.run(fx);
    let bar = top_bar(&s.app, 160, 48);
    assert!(!bar.contains(&shown), "{bar}");
    assert!(!bar.contains("/凌云"), "{bar}");
    let (t, err) = toast(&s.app);
    assert!(!err && t == L::FiltersCleared.text(Language::En));
}

#[test]
fn esc_in_the_queue_clears_the_search() {
    let mut s = at(Language::Zh, CLEAN);
    search(&mut s, "凌云");
    assert_eq!(s.app.view().query().q.as_deref(), Some("凌云"));
    assert!(top_bar(&s.app, 160, 48).contains("/凌云"));
    assert_eq!(s.app.focus(), Pane::Queue);
    let fx = s.app.update(Action::Key(esc()));
    let asked = pages(&fx);
    assert_eq!(asked.len(), 1, "the list reloads");
    assert_eq!(asked[0].q, None);
    assert_eq!(s.app.view().query().q, None);
    assert_eq!(toast(&s.app).0, L::SearchCleared.text(Language::Zh));
    s.run(fx);
    assert!(!top_bar(&s.app, 160, 48).contains("/凌云"));
    // From a detail pane, Esc first returns to the queue; the next one clears.
    search(&mut s, "凌云");
    s.key(enter());
    assert_eq!(s.app.focus(), Pane::Findings);
    s.key(esc());
    assert_eq!(s.app.focus(), Pane::Queue);
    assert_eq!(s.app.view().query().q.as_deref(), Some("凌云"));
    s.key(esc());
    assert_eq!(s.app.view().query().q, None);
}

#[test]
fn each_view_keeps_its_own_filters() {
    let mut s = at(Language::Zh, CLEAN);
    command(&mut s, "province gd");
    search(&mut s, "凌云");
    // Triage starts from its own filters: no province, no search.
    let fx = s.app.update(Action::Key(ch('T')));
    assert_eq!(s.app.view_kind(), ViewKind::Triage);
    // The triage list is its own query (with reasons), filtered by the view's filters.
    assert!(pages(&fx).is_empty());
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadTriage { .. })));
    assert_eq!(s.app.view().query().province, None);
    assert_eq!(s.app.view().query().q, None);
    assert_eq!(
        s.app.view().query().status,
        vec![Status::Rejected, Status::BureauRejected]
    );
    s.run(fx);
    s.settle();
    assert_eq!(s.app.rows().len(), 2, "the search did not leak into triage");
    command(&mut s, "sort findings");
    // Back to review: its province and search are still there, and asked for.
    let fx = s.app.update(Action::Key(ch('1')));
    let asked = pages(&fx);
    assert_eq!(asked[0].province.as_deref(), Some("CN-GD"));
    assert_eq!(asked[0].q.as_deref(), Some("凌云"));
    assert_eq!(asked[0].sort, icp_review::queue::Sort::Age);
    s.run(fx);
    let review = s.app.view_of(ViewKind::Review).query();
    assert_eq!(review.province.as_deref(), Some("CN-GD"));
    assert_eq!(review.q.as_deref(), Some("凌云"));
    let triage = s.app.view_of(ViewKind::Triage).query();
    assert_eq!(triage.province, None);
    assert_eq!(triage.q, None);
    assert_eq!(triage.sort, icp_review::queue::Sort::Findings);
}

// ---------------------------------------------------------------- 10. unknown values are errors

#[test]
fn unknown_province_language_and_theme_are_errors_naming_the_choices() {
    let mut s = at(Language::En, CLEAN);
    let theme_before = s.app.settings().theme.name.clone();
    let first_province = s.app.settings().provinces[0].clone();
    let first_province = first_province.strip_prefix("CN-").unwrap().to_string();
    for (line, accepted) in [
        ("province XX", vec![first_province.as_str()]),
        ("lang xx", vec!["zh", "en"]),
        ("theme foo", vec!["dark", "mono"]),
    ] {
        s.key(ch(':'));
        s.type_text(line);
        let fx = s.app.update(Action::Key(enter()));
        assert!(fx.is_empty(), "{line}: {fx:?}");
        let (t, err) = toast(&s.app);
        assert!(err, "{line}: an error");
        assert!(
            t.contains(L::UnknownValue.text(Language::En))
                && t.contains(line.split(' ').nth(1).unwrap()),
            "{line}: {t}"
        );
        for a in accepted {
            assert!(t.contains(a), "{line}: {t} names {a}");
        }
    }
    // Nothing changed.
    assert_eq!(s.app.view().query().province, None);
    assert_eq!(s.app.settings().lang, Language::En);
    assert_eq!(s.app.settings().theme.name, theme_before);
}

// ---------------------------------------------------------------- 6. calls: holidays and reasons

#[test]
fn a_call_on_national_day_is_refused() {
    // Monday 2026-09-28 10:00: National Day (2026-10-01) is ahead.
    let now = ms("2026-09-28T10:00:00+08:00");
    let app = App::new(settings(Language::Zh, Theme::dark()), reasons(), now);
    let mut s = Sim::booted_with(app, review_db());
    s.select(FLAWED);
    s.key(ch('c'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Call(_))));
    s.key(tab());
    s.key(ctrl('u'));
    s.type_text("2026-10-01 10:00");
    s.key(enter());
    let err = call_error(&s.app).expect("refused");
    assert_eq!(
        err,
        CallError::Holiday {
            zh: "国庆节".into(),
            en: "National Day".into()
        }
    );
    assert!(s.app.pending().is_empty());
    let screen = screen_text(&render(&s.app, 160, 48));
    assert!(screen.contains(&err.message(false)), "{screen}");
    // The working Tuesday before it is accepted.
    s.key(ctrl('u'));
    s.type_text("2026-09-29 10:00");
    s.key(enter());
    assert!(s.app.overlay().is_none());
    assert_eq!(s.app.pending().len(), 1);
}

#[test]
fn a_call_without_a_reason_is_refused() {
    // A clean order has no warnings: the reason starts empty.
    let mut s = at(Language::Zh, CLEAN);
    s.key(ch('c'));
    s.key(enter());
    assert_eq!(call_error(&s.app), Some(CallError::EmptyReason));
    assert!(s.app.pending().is_empty());
    // A flawed order's reason is pre-filled; emptied (or blank) it is refused too.
    let mut s = at(Language::Zh, FLAWED);
    s.key(ch('c'));
    s.keys([tab(), tab()]);
    s.key(ctrl('u'));
    s.key(enter());
    assert_eq!(call_error(&s.app), Some(CallError::EmptyReason));
    s.type_text("   ");
    s.key(enter());
    assert_eq!(call_error(&s.app), Some(CallError::EmptyReason));
    assert!(s.app.pending().is_empty());
    s.type_text("核实手机号归属");
    s.key(enter());
    assert_eq!(s.app.pending().len(), 1);
    let p = &s.app.pending().items()[0];
    assert_eq!(p.decision.note.as_deref(), Some("核实手机号归属"));
}

// ---------------------------------------------------------------- the palette

#[test]
fn palette_tab_completes_and_up_recalls_the_last_line() {
    let mut s = at(Language::Zh, CLEAN);
    s.key(ch(':'));
    s.type_text("ap");
    s.key(tab());
    assert_eq!(palette_text(&s.app), "approve ");
    s.key(esc());
    assert!(s.app.overlay().is_none());
    // History: the lines run, newest first with ↑.
    command(&mut s, "sort findings");
    command(&mut s, "province gd");
    s.key(ch(':'));
    assert_eq!(palette_text(&s.app), "");
    s.key(code(crossterm::event::KeyCode::Up));
    assert_eq!(palette_text(&s.app), "province gd");
    s.key(code(crossterm::event::KeyCode::Up));
    assert_eq!(palette_text(&s.app), "sort findings");
    s.key(code(crossterm::event::KeyCode::Down));
    assert_eq!(palette_text(&s.app), "province gd");
    s.key(esc());
    // A recalled line runs like a typed one.
    command(&mut s, "province");
    assert_eq!(s.app.view().query().province, None);
    s.key(ch(':'));
    s.key(code(crossterm::event::KeyCode::Up));
    s.key(code(crossterm::event::KeyCode::Up));
    assert_eq!(palette_text(&s.app), "province gd");
    s.key(enter());
    assert_eq!(s.app.view().query().province.as_deref(), Some("CN-GD"));
}

// ---------------------------------------------------------------- the keymap

#[test]
fn a_binding_that_shadows_another_in_its_layer_is_refused() {
    assert!(keymap_with(&BTreeMap::new()).is_ok());
    let mut o = BTreeMap::new();
    o.insert("approve".to_string(), vec!["j".to_string()]);
    let e = keymap_with(&o).expect_err("j already moves down in the global layer");
    let (name, message) = (e.name.as_str(), e.message.as_str());
    assert_eq!(name, "global");
    assert!(
        message.contains("\"approve\"")
            && message.contains("\"down\"")
            && message.contains("\"j\""),
        "{message}"
    );
    // The same key in another layer is no shadow: y confirms in the approve dialog only.
    let mut o = BTreeMap::new();
    o.insert("approve".to_string(), vec!["y".to_string()]);
    assert!(keymap_with(&o).is_ok());
}

// ---------------------------------------------------------------- late answers

#[test]
fn a_late_stats_answer_is_dropped() {
    let mut s = at(Language::Zh, CLEAN);
    let fx_old = s.app.update(Action::Key(ch('R')));
    let fx_new = s.app.update(Action::Key(ch('R')));
    let stats_req = |fx: &[Effect]| {
        fx.iter()
            .find_map(|e| match e {
                Effect::LoadStats { req } => Some(*req),
                _ => None,
            })
            .unwrap()
    };
    let (old, new) = (stats_req(&fx_old), stats_req(&fx_new));
    s.app.update(Action::StatsLoaded {
        req: new,
        result: Ok(QueueStats {
            total: 10,
            awaiting_review: 4,
        }),
    });
    // The older request answers last: dropped.
    let fx = s.app.update(Action::StatsLoaded {
        req: old,
        result: Ok(QueueStats {
            total: 99,
            awaiting_review: 98,
        }),
    });
    assert!(fx.is_empty());
    assert_eq!(s.app.stats().total, 10);
    assert_eq!(s.app.stats().awaiting_review, 4);
}

#[test]
fn a_late_decision_answer_is_dropped() {
    let mut s = at(Language::Zh, CLEAN);
    let id = selected_id(&s.app);
    s.keys([ch('a'), ch('y')]);
    let now = s.now() + 5_000;
    let fx = s.app.update(Action::Tick(now));
    let d = decides(&fx);
    assert_eq!(d.len(), 1);
    let req = d[0].0;
    assert_eq!(s.app.in_flight(), 1);
    let answer = |req: u64, result| Action::Decided {
        req,
        order: id.clone(),
        result,
    };
    // An answer to a request that is not in flight: dropped, the real one still awaited.
    let fx = s
        .app
        .update(answer(req + 1000, Err(QueueError::Conflict("late".into()))));
    assert!(fx.is_empty());
    assert_eq!(s.app.in_flight(), 1);
    assert!(s.app.toast().is_none_or(|t| !t.is_error()));
    let ok = Ok(DecisionOutcome {
        order: id.clone(),
        status: Status::Approved,
        version: 2,
        replayed: false,
    });
    let fx = s.app.update(answer(req, ok.clone()));
    assert!(!pages(&fx).is_empty(), "the real answer reloads the list");
    assert_eq!(s.app.in_flight(), 0);
    let shown = toast(&s.app);
    // The same answer again (a retry's echo) is late: dropped, nothing reloads.
    let fx = s
        .app
        .update(answer(req, Err(QueueError::Conflict("echo".into()))));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(toast(&s.app), shown);
}

// ---------------------------------------------------------------- 7. our rejection stays in the history

#[test]
fn our_rejection_stays_in_the_history_after_resubmission() {
    let mut s = at(Language::Zh, RESUBMITTED);
    let l = s.app.current().expect("loaded");
    assert_eq!(l.order().status, Status::Resubmitted);
    let rejected: Vec<_> = l
        .history()
        .iter()
        .filter(|e| e.event == EventKind::Rejected)
        .collect();
    assert_eq!(rejected.len(), 1, "{:?}", l.history());
    assert_eq!(rejected[0].actor, "reviewer:rev-07");
    // The store keeps only the new version's events on the order; the rejection is on
    // the previous version alone. It still shows.
    let mut db = review_db();
    let o = &mut db[RESUBMITTED].order;
    o.history.retain(|e| e.event != EventKind::Rejected);
    assert!(
        o.previous
            .as_ref()
            .unwrap()
            .history
            .iter()
            .any(|e| e.event == EventKind::Rejected)
    );
    s = Sim::booted_with(new_app(Language::Zh), db);
    s.select(RESUBMITTED);
    let l = s.app.current().expect("loaded");
    let ev: Vec<EventKind> = l.history().iter().map(|e| e.event).collect();
    assert!(ev.contains(&EventKind::Rejected), "{ev:?}");
    assert!(ev.contains(&EventKind::Resubmitted), "{ev:?}");
    let at_rej = ev.iter().position(|e| *e == EventKind::Rejected).unwrap();
    let at_res = ev
        .iter()
        .position(|e| *e == EventKind::Resubmitted)
        .unwrap();
    assert!(at_rej < at_res, "oldest first: {ev:?}");
    // And the History pane shows it.
    while s.app.focus() != Pane::History {
        s.key(tab());
    }
    let screen = screen_text(&render(&s.app, 160, 48));
    assert!(screen.contains("rev-07"), "{screen}");
}

// ---------------------------------------------------------------- 3. findings read in full

#[test]
fn a_findings_full_message_is_shown_and_the_pane_scrolls() {
    let mut s = at(Language::En, FLAWED);
    s.app.update(Action::Resize(80, 24));
    let findings = s.app.current_detail().unwrap().findings.clone();
    // The longest message after the first (the first also shows in the findings box).
    let (i, target) = findings
        .iter()
        .enumerate()
        .skip(1)
        .max_by_key(|(_, f)| f.message_en.chars().count())
        .expect("several findings");
    assert!(
        unicode_width::UnicodeWidthStr::width(target.message_en.as_str()) > 78,
        "longer than the pane is wide: {}",
        target.message_en
    );
    let mut guard = 0;
    loop {
        s.key(ch('n'));
        if s.app.detail_state().finding() == i {
            break;
        }
        guard += 1;
        assert!(guard < findings.len() * 2, "n reaches finding {i}");
    }
    assert_eq!(s.app.detail_state().highlight(), Some(target.path.as_str()));
    let lines = screen_lines(&render(&s.app, 80, 24));
    // The field pane: below its title (the order and its version).
    let title = lines
        .iter()
        .position(|l| l.contains(&format!("{} · ", findings_order(&s))))
        .expect("pane title");
    let pane = unwrapped(&lines[title + 1..lines.len() - 1]);
    let want = target
        .message_en
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(pane.contains(&want), "{want}\nnot in\n{pane}");
    // j scrolls the pane on from there.
    let before = s.app.detail_state().scroll();
    s.key(ch('j'));
    s.key(ch('j'));
    assert!(s.app.detail_state().scroll() > before);
    assert_eq!(s.app.detail_state().scroll(), before + 2);
    s.key(ch('k'));
    assert_eq!(s.app.detail_state().scroll(), before + 1);
}

fn findings_order(s: &Sim) -> String {
    s.app.current_detail().unwrap().order.id.clone()
}

/// A decision is about the order its dialog was opened on: a reload that moves the
/// selection while the dialog is open (an earlier decision's answer) does not move it.
#[test]
fn a_dialog_decides_the_order_it_was_opened_on() {
    let mut s = Sim::booted(Language::Zh);
    s.select(0);
    s.keys([ch('a'), ch('y')]);
    let target = s.app.selected_summary().unwrap().id.clone();
    assert_eq!(target, "EX-2026-00021");
    s.key(ch('r'));
    // Meanwhile someone else approves the order under the dialog.
    if let Some(d) = s.db.iter_mut().find(|d| d.order.id == target) {
        d.order.status = icp_review::domain::Status::Approved;
    }
    // Row 0's window ends; its answer reloads the list; the selection moves on.
    s.advance(5_000);
    assert_ne!(
        s.app.selected_summary().map(|x| x.id.clone()),
        Some(target.clone())
    );
    s.key(enter());
    let staged: Vec<String> = s
        .app
        .pending()
        .items()
        .iter()
        .map(|p| p.order.clone())
        .collect();
    assert_eq!(
        staged,
        vec![target],
        "the rejection stays with the order it was written for"
    );
}
