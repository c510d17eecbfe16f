//! The Materials pane and the side-by-side comparison: the inspector's facts are shown,
//! the picture of the material under the cursor is fetched (once, and a late answer is
//! dropped), `m` puts the proving material beside the fields.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::tui::action::Action;
use icp_review::tui::effect::Effect;
use icp_review::tui::state::Pane;
use tui_common::*;

fn previews(sent: &[Effect]) -> Vec<(u64, String)> {
    sent.iter()
        .filter_map(|e| match e {
            Effect::LoadPreview { req, material, .. } => Some((*req, material.clone())),
            _ => None,
        })
        .collect()
}

/// The clean enterprise order (its materials are real JPEGs of the spec's examples).
const CLEAN: usize = 0;

#[test]
fn the_materials_pane_shows_facts_and_fetches_the_picture_under_the_cursor() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    assert!(
        previews(&s.sent).is_empty(),
        "no picture before it is wanted"
    );
    s.keys([tab(), tab(), tab(), tab()]);
    assert_eq!(s.app.focus(), Pane::Materials);
    assert_eq!(previews(&s.sent).last().map(|p| p.1.as_str()), Some("m1"));
    let text = screen_text(&render(&s.app, 160, 48));
    assert!(text.contains("1600×1130"), "{text}");
    assert!(text.contains("white border"), "{text}");
    // j moves the cursor to the next material and fetches its picture.
    s.key(ch('j'));
    assert_eq!(s.app.detail_state().material(), 1);
    assert_eq!(previews(&s.sent).last().map(|p| p.1.as_str()), Some("m2"));
    assert!(
        s.app
            .preview()
            .is_some_and(|p| p.loaded() && p.material() == "m2")
    );
    // Moving back to the same material again does not fetch it twice in a row.
    let n = previews(&s.sent).len();
    s.key(ch('k'));
    s.key(ch('k'));
    assert_eq!(
        previews(&s.sent).len(),
        n + 1,
        "m1 fetched once more, not twice"
    );
}

#[test]
fn a_late_picture_is_dropped() {
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    s.keys([tab(), tab(), tab(), tab()]);
    let (old_req, _) = previews(&s.sent).last().cloned().unwrap();
    s.key(ch('j'));
    let before = s.app.preview().map(|p| p.material().to_string());
    let fx = s.app.update(Action::PreviewLoaded {
        req: old_req,
        order: "EX-2026-00001".into(),
        material: "m1".into(),
        result: Err("late".into()),
    });
    assert!(fx.is_empty());
    assert_eq!(s.app.preview().map(|p| p.material().to_string()), before);
    assert!(
        s.app.preview().unwrap().error().is_none(),
        "the late error is not shown"
    );
}

#[test]
fn compare_puts_the_licence_beside_the_subject_and_the_id_beside_a_site() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    s.key(ch('m'));
    assert!(s.app.detail_state().compare());
    assert_eq!(
        s.app.preview().map(|p| p.material()),
        Some("m1"),
        "the licence"
    );
    let text = screen_text(&render(&s.app, 160, 48));
    assert!(text.contains("subject certificate [m1]"), "{text}");
    assert!(
        text.contains("91440300MA5F8K2Q1M"),
        "the fields stay beside it: {text}"
    );
    // In the Sites pane (next after Subject) the site leader's ID front is the proof.
    s.key(tab());
    assert_eq!(s.app.focus(), Pane::Sites);
    assert_eq!(s.app.preview().map(|p| p.material()), Some("m4"));
    // m again: the picture goes away.
    s.key(ch('m'));
    assert!(!s.app.detail_state().compare());
    assert!(s.app.preview().is_none());
}

#[test]
fn open_material_without_a_desktop_says_so() {
    // The tests run without DISPLAY / WAYLAND_DISPLAY: no viewer can be opened.
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return;
    }
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    s.keys([tab(), tab(), tab(), tab()]);
    s.key(ch('o'));
    assert!(
        s.app
            .toast()
            .is_some_and(|t| t.is_error() && t.text().contains("No desktop")),
        "{:?}",
        s.app.toast()
    );
    assert!(
        !s.sent
            .iter()
            .any(|e| matches!(e, Effect::OpenMaterial { .. }))
    );
}
