//! `G` on a long queue: one keyset query from the list's other end (not a page per
//! press), the last order selected; moving up from there loads the rows before it; `g`
//! `g` goes back to the first page.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::tui::effect::Effect;
use icp_review::tui::state::Keyed;
use tui_common::*;

/// 1,050 pending orders (ten and a half pages of 100), oldest first as listed.
fn long_queue() -> Sim {
    let base = review_db()[CLEAN].clone();
    let db = (0..1050)
        .map(|i| {
            let mut d = base.clone();
            d.order.id = format!("EX-LONG-{i:04}");
            d.order.submitted_at =
                jiff::Timestamp::from_millisecond(FIXED_NOW_MS - 20 * DAY + i * MIN).unwrap();
            d
        })
        .collect();
    Sim::booted_with(new_app(Language::En), db)
}

fn loads(fx: &[Effect]) -> Vec<(bool, Option<String>)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::LoadPage { query, .. } => Some((query.backward, query.cursor.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn g_loads_the_end_directly_and_k_walks_back_into_the_rows_before_it() {
    let mut s = long_queue();
    assert_eq!(s.app.rows().len(), 100, "one page loaded");
    let fx = s.app.update(icp_review::tui::action::Action::Key(ch('G')));
    assert_eq!(
        loads(&fx),
        vec![(true, None)],
        "one query from the end, whatever the length"
    );
    s.run(fx);
    s.settle();
    assert_eq!(s.app.selected_id(), Some("EX-LONG-1049"), "the last order");
    assert_eq!(s.app.rows().len(), 100, "only the last page is loaded");
    assert_eq!(
        s.app.current_detail().map(|d| d.order.id.as_str()),
        Some("EX-LONG-1049")
    );
    // `G` again: already at the end, nothing to load.
    let fx = s.app.update(icp_review::tui::action::Action::Key(ch('G')));
    assert!(loads(&fx).is_empty(), "{:?}", loads(&fx));
    // Up past the loaded rows: the page before them comes in front, the selection keeps
    // walking one order at a time.
    for k in 1..=150 {
        s.key(ch('k'));
        let want = format!("EX-LONG-{:04}", 1049 - k);
        assert_eq!(s.app.selected_id(), Some(want.as_str()), "after {k} × k");
    }
    assert!(s.app.rows().len() >= 200, "the rows before were loaded");
    let ids: Vec<&str> = s.app.rows().iter().map(|r| r.key()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "in list order, none twice");
    // `g`: the first page again.
    s.key(ch('g'));
    s.settle();
    assert_eq!(s.app.selected_id(), Some("EX-LONG-0000"));
    assert_eq!(s.app.rows()[0].key(), "EX-LONG-0000");
}

/// A short queue, all loaded: `G` moves without a query (the near miss).
#[test]
fn g_on_a_queue_that_is_all_loaded_asks_nothing() {
    let mut s = Sim::booted(Language::En);
    let fx = s.app.update(icp_review::tui::action::Action::Key(ch('G')));
    assert!(loads(&fx).is_empty(), "{:?}", loads(&fx));
    let last = s.app.rows().last().map(|r| r.key().to_string());
    assert_eq!(s.app.selected_id().map(str::to_string), last);
}
