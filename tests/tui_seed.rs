//! The first start: the demo orders are imported on a task while the screen shows (it
//! says what is happening instead of staying blank), and the list loads when they are in,
//! its first order's detail at once.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::queue::QueueError;
use icp_review::tui::action::Action;
use icp_review::tui::text::L;
use tui_common::*;

#[test]
fn the_screen_says_the_demo_orders_are_coming_then_lists_them() {
    for lang in [Language::Zh, Language::En] {
        let mut s = Sim::new(new_app(lang), review_db());
        s.app.seeding_started();
        // The store answers the first page before the import is done: empty.
        s.hold_pages = true;
        let fx = s.app.start();
        s.run(fx);
        for (w, h) in [(80, 24), (160, 48)] {
            let text = screen_text(&render(&s.app, w, h));
            assert!(
                text.contains(L::SeedingDemo.text(lang)),
                "{lang:?} {w}x{h}: the empty screen says the import runs\n{text}"
            );
        }
        s.hold_pages = false;
        let fx = s.app.update(Action::Seeded { result: Ok(3) });
        assert!(!fx.is_empty(), "the list loads again after the import");
        s.run(fx);
        // No settling: the first order's detail is asked for without the debounce.
        let text = screen_text(&render(&s.app, 160, 48));
        assert!(
            !text.contains(L::SeedingDemo.text(lang)),
            "{lang:?}: the import message is gone\n{text}"
        );
        let first = &s.db[0].order.id;
        assert!(
            text.contains(first.as_str()),
            "{lang:?}: {first} listed\n{text}"
        );
        assert_eq!(
            s.app.current_detail().map(|d| d.order.id.clone()),
            Some(first.clone()),
            "{lang:?}: the first order's detail shows at once"
        );
    }
}

#[test]
fn a_failed_import_is_said_and_the_screen_stops_waiting() {
    let mut s = Sim::new(new_app(Language::En), Vec::new());
    s.app.seeding_started();
    let fx = s.app.start();
    s.run(fx);
    let fx = s.app.update(Action::Seeded {
        result: Err(QueueError::Storage("disk full".into())),
    });
    s.run(fx);
    let text = screen_text(&render(&s.app, 80, 24));
    assert!(text.contains(L::SeedFailed.text(Language::En)), "{text}");
    assert!(
        !text.contains(L::SeedingDemo.text(Language::En)),
        "no longer importing\n{text}"
    );
}

/// Without an import the empty list says nothing is there (the near miss).
#[test]
fn an_empty_store_without_an_import_says_empty() {
    let mut s = Sim::new(new_app(Language::En), Vec::new());
    let fx = s.app.start();
    s.run(fx);
    let text = screen_text(&render(&s.app, 80, 24));
    assert!(text.contains(L::Empty.text(Language::En)), "{text}");
    assert!(!text.contains(L::SeedingDemo.text(Language::En)), "{text}");
}
