//! Decisions in their undo window are journalled: recorded the moment they are made,
//! marked when the queue answers or the reviewer takes them back, and offered at the next
//! start when a crash left them unsent.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::queue::QueueError;
use icp_review::queue::journal::JournalEntry;
use icp_review::tui::action::Action;
use icp_review::tui::effect::{Effect, JournalOp};
use icp_review::tui::overlay::Overlay;
use tui_common::*;

fn journal(sent: &[Effect]) -> Vec<JournalOp> {
    sent.iter()
        .filter_map(|e| match e {
            Effect::Journal(op) => Some(op.clone()),
            _ => None,
        })
        .collect()
}

/// The decision the window's end sent: (request, order).
fn sent(fx: &[Effect]) -> (u64, String) {
    fx.iter()
        .find_map(|e| match e {
            Effect::Decide { req, order, .. } => Some((*req, order.clone())),
            _ => None,
        })
        .expect("sent after the window")
}

/// The clean enterprise order: `a y` approves it.
const CLEAN: usize = 0;

#[test]
fn a_decision_is_recorded_when_made_and_marked_when_answered() {
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    let fx = s.app.update(Action::Key(ch('a')));
    // Opening the dialog claims the order; nothing else happens yet.
    assert!(matches!(fx.as_slice(), [Effect::Claim { .. }]), "{fx:?}");
    s.run(fx);
    let fx = s.app.update(Action::Key(ch('y')));
    // The record comes first, before the decision is sent or anything else happens.
    let Some(Effect::Journal(JournalOp::Record(e))) = fx.first() else {
        panic!("the first effect of a decision records it: {fx:?}");
    };
    assert_eq!(e.order, "EX-2026-00001");
    assert_eq!(e.reviewer, "rev-01");
    let key = e.key.clone();
    s.run(fx);
    // The window ends: it is sent, and the answer marks it sent.
    s.advance(5_000);
    assert!(
        journal(&s.sent).contains(&JournalOp::Sent(key.clone())),
        "{:?}",
        journal(&s.sent)
    );
}

#[test]
fn undo_marks_the_decision_discarded() {
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    let claim = s.app.update(Action::Key(ch('a')));
    s.run(claim);
    let fx = s.app.update(Action::Key(ch('y')));
    let key = match fx.first() {
        Some(Effect::Journal(JournalOp::Record(e))) => e.key.clone(),
        other => panic!("{other:?}"),
    };
    let fx = s.app.update(Action::Key(ch('z')));
    assert_eq!(fx, vec![Effect::Journal(JournalOp::Discarded(key))]);
}

#[test]
fn a_storage_failure_leaves_the_decision_to_be_offered_again() {
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    let _ = s.app.update(Action::Key(ch('a')));
    let _ = s.app.update(Action::Key(ch('y')));
    let fx = s.app.update(Action::Tick(s.now() + 5_000));
    let (req, order) = sent(&fx);
    let fx = s.app.update(Action::Decided {
        req,
        order: order.clone(),
        result: Err(QueueError::Storage("disk full".into())),
    });
    assert!(journal(&fx).is_empty(), "not marked: {fx:?}");
    // A refusal by the queue (a conflict) is final: marked.
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    let _ = s.app.update(Action::Key(ch('a')));
    let _ = s.app.update(Action::Key(ch('y')));
    let fx = s.app.update(Action::Tick(s.now() + 5_000));
    let (req, order) = sent(&fx);
    let fx = s.app.update(Action::Decided {
        req,
        order,
        result: Err(QueueError::Conflict("decided by someone else".into())),
    });
    assert!(
        matches!(journal(&fx).as_slice(), [JournalOp::Sent(_)]),
        "{fx:?}"
    );
}

fn entry(order: &str, key: &str) -> JournalEntry {
    JournalEntry {
        key: key.into(),
        order: order.into(),
        reviewer: "rev-01".into(),
        decision: icp_review::queue::Decision {
            action: icp_review::queue::Action::Approve,
            expected_version: 1,
            reasons: vec![],
            note: None,
            call: None,
            override_blocks: false,
        },
        made_at_ms: FIXED_NOW_MS - 60_000,
    }
}

#[test]
fn unsent_decisions_are_offered_one_by_one_at_start() {
    let mut s = Sim::booted(Language::En);
    s.app.offer_unsent(vec![
        entry("EX-2026-00001", "k1"),
        entry("EX-2026-00021", "k2"),
    ]);
    let text = screen_text(&render(&s.app, 80, 24));
    assert!(text.contains("EX-2026-00001"), "{text}");
    assert!(text.contains("(2)"), "{text}");
    // s sends the first with its own idempotency key (a replay if it did reach the queue).
    let fx = s.app.update(Action::Key(ch('s')));
    assert!(
        matches!(fx.as_slice(), [Effect::Decide { order, key, .. }] if order == "EX-2026-00001" && key == "k1"),
        "{fx:?}"
    );
    assert!(matches!(s.app.overlay(), Some(Overlay::Recover(r)) if r.entries().len() == 1));
    // d throws the second away.
    let fx = s.app.update(Action::Key(ch('d')));
    assert_eq!(fx, vec![Effect::Journal(JournalOp::Discarded("k2".into()))]);
    assert!(s.app.overlay().is_none());
}

#[test]
fn esc_leaves_them_for_the_next_start() {
    let mut s = Sim::booted(Language::Zh);
    s.app.offer_unsent(vec![entry("EX-2026-00001", "k1")]);
    let fx = s.app.update(Action::Key(esc()));
    assert!(fx.is_empty(), "nothing sent, nothing discarded: {fx:?}");
    assert!(s.app.overlay().is_none());
}
