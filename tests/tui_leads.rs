//! The leads' morning in the TUI, driven through keys and the `:` line against the
//! simulated queue: the triage view (groups, counts, trend, filters, marks, bulk reopen
//! and reassign, export, lead-only refusal), the call agenda (outcomes and the next step
//! pre-filled, the iCalendar export, the overdue flag in the queue) and the resubmission
//! diff with the previous reasons checked.

mod common;
mod tui_common;

use crossterm::event::KeyCode;
use icp_review::config::Language;
use icp_review::tui::command::ViewKind;
use icp_review::tui::effect::Effect;
use icp_review::tui::overlay::Overlay;
use icp_review::tui::theme::Theme;
use tui_common::*;

fn palette(s: &mut Sim, line: &str) {
    s.key(ch(':'));
    s.type_text(line);
    s.key(enter());
}

fn triage(lang: Language) -> Sim {
    let mut s = leads(lang);
    s.key(ch('T'));
    assert_eq!(s.app.view_kind(), ViewKind::Triage);
    s
}

#[test]
fn triage_groups_by_reason_largest_first_with_counts_and_trend() {
    let s = triage(Language::En);
    assert_eq!(
        ids(&s),
        vec![
            // R-CONTACT-FORMAT (2), newest first.
            "EX-2026-00102",
            "EX-2026-00101",
            // The bureau's own words (2).
            common::sample("halfwidth-brackets.json").id.as_str(),
            "EX-2026-00103",
            // R-SUBJECT-NAME (1).
            common::sample("uscc-bad-check.json").id.as_str(),
        ]
    );
    let counts: Vec<(&str, u64)> = s
        .app
        .triage()
        .counts()
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    // An order counts once under each of its reasons.
    assert_eq!(
        counts,
        vec![
            ("R-CONTACT-FORMAT", 3),
            ("短信核验超时", 2),
            ("R-SUBJECT-NAME", 1)
        ]
    );
    let trend = s.app.triage().trend();
    assert_eq!(trend.len(), 30);
    assert_eq!(trend.iter().sum::<u64>(), 5);
    assert_eq!(trend[29], 1, "three hours ago is today");
    assert_eq!(trend[21], 1, "eight days ago");
}

#[test]
fn triage_filters_by_reviewer_reason_age_and_province() {
    let mut s = triage(Language::En);
    palette(&mut s, "reviewer rev-07");
    assert_eq!(ids(&s).len(), 2);
    let text = screen_text(&render(&s.app, 160, 48));
    assert!(text.contains("By=rev-07"), "the top bar names the filter");
    palette(&mut s, "clear");
    assert_eq!(ids(&s).len(), 5);
    palette(&mut s, "reason R-CONTACT-FORMAT");
    assert_eq!(ids(&s).len(), 3);
    palette(&mut s, "reason 短信核验超时");
    assert_eq!(ids(&s).len(), 2);
    palette(&mut s, "clear");
    palette(&mut s, "min_age 3");
    assert_eq!(ids(&s), vec!["EX-2026-00102", "EX-2026-00101"]);
    palette(&mut s, "clear");
    palette(&mut s, "province BJ");
    assert_eq!(ids(&s), vec!["EX-2026-00101"]);
    // A near miss: a bad age is refused, naming what is accepted.
    palette(&mut s, "min_age soon");
    assert!(s.app.toast().is_some_and(|t| t.is_error()));
    assert_eq!(ids(&s), vec!["EX-2026-00101"], "filters unchanged");
}

#[test]
fn bulk_reopen_of_marked_orders_with_a_note() {
    let mut s = triage(Language::En);
    s.key(code(KeyCode::Char(' '))); // mark row 0, move to row 1
    s.key(ch('j'));
    s.key(ch('V')); // range from row 0 to row 2
    assert_eq!(s.app.triage().marks().len(), 3);
    s.key(code(KeyCode::Char(' '))); // unmark row 2
    assert_eq!(s.app.triage().marks().len(), 2);
    s.key(ch('O'));
    assert!(
        matches!(s.app.overlay(), Some(Overlay::Palette(p)) if p.input().text() == "reopen "),
        "the note is asked on the line"
    );
    s.type_text("address was right");
    s.key(enter());
    let reopened: Vec<(String, String)> = s
        .sent
        .iter()
        .filter_map(|e| match e {
            Effect::Reopen { order, note, .. } => Some((order.clone(), note.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        reopened,
        vec![
            ("EX-2026-00102".into(), "address was right".into()),
            ("EX-2026-00101".into(), "address was right".into())
        ]
    );
    assert!(s.app.triage().marks().is_empty());
    assert_eq!(ids(&s).len(), 3, "the list reloaded without them");
}

#[test]
fn reassign_the_selected_order_and_refuse_reviewers() {
    let mut s = triage(Language::En);
    palette(&mut s, "reassign rev-02 please look again");
    let got: Vec<(String, String, String)> = s
        .sent
        .iter()
        .filter_map(|e| match e {
            Effect::Reassign {
                order, to, note, ..
            } => Some((order.clone(), to.clone(), note.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        got,
        vec![(
            "EX-2026-00102".into(),
            "rev-02".into(),
            "please look again".into()
        )]
    );
    // A reassignment without a note is refused by the line.
    palette(&mut s, "reassign rev-02");
    assert!(s.app.toast().is_some_and(|t| t.is_error()));

    // A reviewer (not a lead) is refused, and nothing is sent.
    let mut settings = settings(Language::En, Theme::dark());
    settings.lead = false;
    let app = icp_review::tui::app::App::new(settings, reasons(), FIXED_NOW_MS);
    let mut s = Sim::new(app, leads_db());
    let fx = s.app.start();
    s.run(fx);
    s.key(ch('T'));
    s.key(ch('O'));
    assert!(s.app.overlay().is_none());
    assert_eq!(
        s.app.toast().map(|t| t.text().to_string()),
        Some("Only a lead may do this".into())
    );
    palette(&mut s, "reassign rev-02 x");
    assert!(
        !s.sent
            .iter()
            .any(|e| matches!(e, Effect::Reassign { .. } | Effect::Reopen { .. }))
    );
}

#[test]
fn export_writes_the_marked_orders_as_csv() {
    let mut s = triage(Language::En);
    s.key(code(KeyCode::Char(' ')));
    s.key(ch('X'));
    let (path, contents) = s
        .sent
        .iter()
        .find_map(|e| match e {
            Effect::WriteFile { path, contents } => Some((path.clone(), contents.clone())),
            _ => None,
        })
        .expect("an export");
    assert!(path.to_string_lossy().ends_with(".csv"));
    let lines: Vec<&str> = contents.lines().collect();
    assert_eq!(
        lines[0],
        "order,status,province,subject,rejected_by,rejected_at,reasons"
    );
    assert_eq!(lines.len(), 2, "only the marked order: {contents}");
    assert!(
        lines[1].starts_with("EX-2026-00102,rejected,CN-GD,"),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with(",rev-07,2026-11-19T10:00:00+08:00,R-CONTACT-FORMAT"));
    // Nothing marked: every order shown.
    s.key(ch('k'));
    s.key(code(KeyCode::Char(' ')));
    s.key(ch('X'));
    let last = s
        .sent
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::WriteFile { contents, .. } => Some(contents.clone()),
            _ => None,
        })
        .expect("an export");
    assert_eq!(last.lines().count(), 6);
}

#[test]
fn agenda_first_unanswered_call_schedules_the_retry() {
    let mut s = leads(Language::En);
    s.key(ch('P'));
    let c = s.app.agenda().selected_call().expect("a call").clone();
    assert_eq!(c.order, CALL_OVERDUE, "the first open call is selected");
    s.key(ch('n'));
    assert!(s.sent.iter().any(|e| matches!(e,
        Effect::CloseCall { order, outcome, .. }
            if order == CALL_OVERDUE && *outcome == icp_review::domain::CallOutcome::NoAnswer)));
    let toast = s.app.toast().expect("a toast").text().to_string();
    assert!(
        toast.contains("Retry scheduled at 2026-11-23 10:00"),
        "{toast}"
    );
    assert!(
        s.app.screen().is_some(),
        "the agenda stays open for the next call"
    );
    assert!(s.app.overlay().is_none());
}

#[test]
fn agenda_verified_opens_approve_and_second_unanswered_opens_reject() {
    let mut s = leads(Language::En);
    s.key(ch('P'));
    s.key(ch('j'));
    assert_eq!(
        s.app.agenda().selected_call().map(|c| c.order.as_str()),
        Some(CALL_DUE)
    );
    s.key(ch('y'));
    assert!(s.app.screen().is_none());
    assert_eq!(s.app.view_kind(), ViewKind::Review);
    assert_eq!(s.app.selected_id(), Some(CALL_DUE));
    assert!(matches!(s.app.overlay(), Some(Overlay::Approve(_))));

    // An order whose first call went unanswered: the second one ends in a rejection.
    let mut s = leads(Language::En);
    let mut first = s.calls[1].clone();
    first.at_ms -= 3 * HOUR;
    first.outcome = Some(icp_review::domain::CallOutcome::NoAnswer);
    s.calls.push(first);
    s.key(ch('P'));
    let sel = s.app.agenda().selected_call().expect("call").order.clone();
    assert_eq!(sel, CALL_OVERDUE);
    s.key(ch('n'));
    assert_eq!(
        s.app.selected_id(),
        Some(CALL_OVERDUE),
        "{:?} {:?}",
        s.app.toast().map(|t| t.text().to_string()),
        s.app.screen()
    );
    match s.app.overlay() {
        Some(Overlay::Reject(r)) => {
            let chosen: Vec<&str> = r
                .rows()
                .iter()
                .filter(|x| x.selected)
                .map(|x| x.code.as_str())
                .collect();
            assert_eq!(chosen, vec!["CALL-UNREACHABLE"]);
        }
        other => panic!("expected the reject dialog, got {other:?}"),
    }
    // A call already done takes no outcome.
    let mut s = leads(Language::En);
    s.key(ch('P'));
    s.key(ch('g'));
    for _ in 0..5 {
        s.key(ch('k'));
    }
    assert!(
        s.app
            .agenda()
            .selected_call()
            .is_some_and(|c| c.outcome.is_some())
    );
    let before = s.sent.len();
    s.key(ch('y'));
    assert_eq!(s.sent.len(), before);
    assert!(s.app.toast().is_some_and(|t| t.is_error()));
}

#[test]
fn agenda_exports_icalendar_that_parses_back() {
    let mut s = leads(Language::En);
    s.key(ch('P'));
    s.key(ch('i'));
    let (path, contents) = s
        .sent
        .iter()
        .find_map(|e| match e {
            Effect::WriteFile { path, contents } => Some((path.clone(), contents.clone())),
            _ => None,
        })
        .expect("an export");
    assert!(path.to_string_lossy().ends_with(".ics"));
    let cal: icalendar::Calendar = contents.parse().expect("parses");
    assert_eq!(cal.events().count(), 5);
}

#[test]
fn queue_flags_an_awaiting_call_order_whose_call_is_overdue() {
    let s = leads(Language::En);
    let lines = screen_lines(&render(&s.app, 160, 48));
    let row = |id: &str| {
        lines
            .iter()
            .find(|l| l.contains(id))
            .cloned()
            .unwrap_or_else(|| panic!("{id} on screen"))
    };
    assert!(row(CALL_OVERDUE).contains("☎!"), "{}", row(CALL_OVERDUE));
    assert!(!row(CALL_DUE).contains("☎!"), "{}", row(CALL_DUE));
}

#[test]
fn resubmitted_order_shows_the_diff_and_the_previous_reasons() {
    for (lang, summary, resolved) in [
        (
            Language::En,
            "2 fields changed, 0 materials replaced",
            "resolved",
        ),
        (Language::Zh, "2 项字段变更，0 份资料已替换", "已解决"),
    ] {
        let mut s = Sim::booted(lang);
        s.select(RESUBMITTED);
        s.keys([tab(), tab()]);
        let text = screen_text(&render(&s.app, 160, 48));
        assert!(text.contains(summary), "{text}");
        assert!(
            text.contains(&format!("R-CONTACT-FORMAT {resolved}")),
            "{text}"
        );
        assert!(
            text.contains("Δ subject.address 深圳市某路88号 →"),
            "{text}"
        );
        s.key(tab());
        let text = screen_text(&render(&s.app, 160, 48));
        assert!(text.contains("Δ sites[0].name 凌云官网 →"), "{text}");
    }
}
