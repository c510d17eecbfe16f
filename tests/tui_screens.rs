//! Screen details of issue 7: who holds an order shows at every width, a day outside the
//! working calendar is said on screen, and without a terminal the app stops before it
//! touches anything.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::queue::Claim;
use icp_review::tui::action::Action;
use icp_review::tui::app::App;
use tui_common::*;

/// The review queue with the first order claimed by `wang.fang`.
fn claimed() -> Sim {
    let mut db = review_db();
    db[0].claim = Some(Claim {
        reviewer: "wang.fang".into(),
        until_ms: FIXED_NOW_MS + 15 * MIN,
    });
    Sim::booted_with(new_app(Language::En), db)
}

#[test]
fn who_holds_an_order_shows_at_every_width() {
    for w in [80u16, 100, 119, 120, 140, 159, 160, 200] {
        let mut s = claimed();
        s.app.update(Action::Resize(w, 30));
        let lines = screen_lines(&render(&s.app, w, 30));
        let row = lines
            .iter()
            .find(|l| l.contains("EX-2026-00001"))
            .unwrap_or_else(|| panic!("{w}: the first row\n{}", lines.join("\n")));
        assert!(
            row.contains("wang"),
            "{w} columns: the claim is missing from {row:?}"
        );
    }
}

#[test]
fn a_day_outside_the_calendar_is_said_on_screen() {
    // 2031 is beyond the calendar's years.
    let later = 1_925_000_000_000;
    let app = App::new(
        settings(Language::En, icp_review::tui::theme::Theme::dark()),
        reasons(),
        later,
    );
    let s = Sim::booted_with(app, review_db());
    let text = screen_text(&render(&s.app, 160, 48));
    assert!(text.contains("outside the holiday calendar"), "{text}");
    // Inside the calendar: no such line.
    let s = Sim::booted(Language::En);
    let text = screen_text(&render(&s.app, 160, 48));
    assert!(!text.contains("outside the holiday calendar"), "{text}");
}

#[test]
fn without_a_terminal_it_exits_2_before_touching_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_icp-review"))
        .arg("--data-dir")
        .arg(&data)
        .env_remove("ICP_REVIEW_CONFIG")
        .env_remove("ICP_REVIEW_DATA_DIR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run icp-review");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        !data.join("queue.db").exists(),
        "no store was created: {:?}",
        std::fs::read_dir(&data).map(|d| d.count())
    );
}

/// Issue 13 (bytes per `j`): by default the selected row shows `▶` and its order id in
/// the selection colours, the rest of the row as every other row (a move repaints two
/// ids); `selection = "row"` colours the whole row.
#[test]
fn the_selected_row_is_marked_by_its_id_or_drawn_whole() {
    use icp_review::tui::app::Selection;
    use icp_review::tui::theme::Theme;
    for (selection, whole) in [(Selection::Marker, false), (Selection::Row, true)] {
        let mut settings = settings(Language::En, Theme::dark());
        settings.selection = selection;
        let sel_style = settings.theme.selection;
        let app = App::new(settings, rule_data().reasons.clone(), FIXED_NOW_MS);
        let mut s = Sim::booted_with(app, review_db());
        s.app.update(Action::Resize(160, 30));
        s.key(ch('j'));
        let (_, buf) = render_frame(&s.app, 160, 30);
        let row_of = |id: &str| {
            (0..buf.area.height)
                .find(|&y| {
                    (0..buf.area.width)
                        .map(|x| buf[(x, y)].symbol().to_string())
                        .collect::<String>()
                        .contains(id)
                })
                .unwrap_or_else(|| panic!("{id} on screen"))
        };
        let selected = s.app.selected_id().expect("a selection").to_string();
        let y = row_of(&selected);
        let marker_x = (0..80)
            .find(|&x| buf[(x, y)].symbol() == "▶")
            .expect("the marker on the selected row");
        let id_x = marker_x + 1;
        let id: String = (id_x..id_x + selected.len() as u16)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        assert_eq!(id, selected, "{selection:?}: the id follows ▶");
        assert_eq!(
            buf[(id_x, y)].bg,
            sel_style.bg.expect("a selection background"),
            "{selection:?}: the id is in the selection colours"
        );
        // A cell well past the id (the subject) is coloured only with the whole row.
        let subject_x = id_x + 25;
        assert_eq!(
            buf[(subject_x, y)].bg == sel_style.bg.unwrap(),
            whole,
            "{selection:?}: the subject cell at column {subject_x}"
        );
        // The row before (not selected) is plain either way.
        assert_ne!(buf[(id_x, y - 1)].bg, sel_style.bg.unwrap());
    }
}

/// Issue 13 (bytes per `j`): a finding's message is in the findings box; under its field
/// it shows only once the reviewer jumps there (`n`), so the fields keep their rows from
/// one order to the next.
#[test]
fn a_findings_message_shows_under_its_field_after_the_jump() {
    let mut s = Sim::booted(Language::En);
    s.app.update(Action::Resize(160, 48));
    s.select(FLAWED);
    let finding = s.app.current_detail().expect("the detail").findings[0].clone();
    let head: String = finding.message_en.chars().take(30).collect();
    let rows_with = |s: &Sim| {
        screen_lines(&render(&s.app, 160, 48))
            .iter()
            .filter(|l| l.contains(&head))
            .count()
    };
    assert_eq!(rows_with(&s), 1, "in the box only: {head:?}");
    s.key(ch('n'));
    assert_eq!(
        s.app.detail_state().highlight(),
        Some(finding.path.as_str()),
        "jumped to the first finding's field"
    );
    assert_eq!(rows_with(&s), 2, "in the box and under the field: {head:?}");
}
