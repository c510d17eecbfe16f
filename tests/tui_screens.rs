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
