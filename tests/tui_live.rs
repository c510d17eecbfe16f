//! The TUI on a shared queue (issue 8): others' changes show within a second, a claim by
//! someone else shows at every width, dialogs refuse early when the order is held or
//! changed, opening a dialog claims (renewed, released on leaving), and a queue that
//! cannot be reached shows a banner, retries with backoff and loses nothing typed.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::domain::Status;
use icp_review::queue::{Change, ChangeKind, QueueEvent};
use icp_review::tui::action::Action;
use icp_review::tui::effect::{Effect, JournalOp};
use icp_review::tui::overlay::Overlay;
use icp_review::tui::text::L;
use tui_common::*;

fn change(s: &Sim, kind: ChangeKind, order: &str, version: i64, actor: &str) -> Change {
    Change {
        id: s.now(),
        kind,
        order: order.into(),
        version,
        status: None,
        actor: actor.into(),
        at_ms: s.now(),
    }
}

fn deliver(s: &mut Sim, ev: QueueEvent) {
    let fx = s.app.update(Action::Queue(ev));
    s.run(fx);
}

fn version_of(s: &Sim, id: &str) -> i64 {
    s.db.iter()
        .find(|d| d.order.id == id)
        .expect("order")
        .version
}

fn claims(s: &Sim) -> Vec<String> {
    s.sent
        .iter()
        .filter_map(|e| match e {
            Effect::Claim { order, .. } => Some(order.clone()),
            _ => None,
        })
        .collect()
}

fn releases(s: &Sim) -> Vec<String> {
    s.sent
        .iter()
        .filter_map(|e| match e {
            Effect::Release { order } => Some(order.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_app_follows_the_queue_from_the_start() {
    let s = Sim::booted(Language::Zh);
    assert!(s.sent.contains(&Effect::Subscribe));
}

#[test]
fn others_orders_and_decisions_show_within_a_second() {
    let mut s = Sim::booted(Language::En);
    let before = ids(&s);
    // Someone else decides the second order, and a new order arrives.
    let decided = before[1].clone();
    let d = s.db.iter_mut().find(|d| d.order.id == decided).unwrap();
    d.order.status = Status::Rejected;
    d.version += 1;
    let v = d.version;
    let mut new = s.db[0].clone();
    new.order.id = "EX-2026-09999".into();
    s.db.push(new);
    let c = change(&s, ChangeKind::Decided, &decided, v, "wang.fang");
    deliver(&mut s, QueueEvent::Change(c));
    let c = change(&s, ChangeKind::OrderAdded, "EX-2026-09999", 1, "intake");
    deliver(&mut s, QueueEvent::Change(c));
    assert_eq!(ids(&s), before, "nothing moves before the burst settles");
    s.advance(400);
    let after = ids(&s);
    assert!(
        !after.contains(&decided),
        "the decided order left the pending list"
    );
    assert!(
        after.contains(&"EX-2026-09999".to_string()),
        "the new order is listed"
    );
    // One reload for the burst, not one per change.
    s.advance(1_000);
    assert_eq!(ids(&s), after);
}

#[test]
fn a_claim_by_someone_else_shows_at_every_width() {
    let mut s = Sim::booted(Language::Zh);
    let id = ids(&s)[2].clone();
    let v = version_of(&s, &id);
    let c = change(&s, ChangeKind::Claimed, &id, v, "王芳");
    deliver(&mut s, QueueEvent::Change(c));
    for w in (80..=200).step_by(20) {
        let t = render(&s.app, w, 24);
        let text = screen_text(&t);
        assert!(
            text.contains("王芳"),
            "width {w}: the holder is shown\n{text}"
        );
    }
    // Released: the mark goes.
    let c = change(&s, ChangeKind::Released, &id, v, "王芳");
    deliver(&mut s, QueueEvent::Change(c));
    let text = screen_text(&render(&s.app, 160, 48));
    assert!(!text.contains("王芳"), "{text}");
}

#[test]
fn dialogs_refuse_early_when_someone_else_holds_the_order() {
    for lang in [Language::Zh, Language::En] {
        let mut s = Sim::booted(lang);
        s.select(CLEAN);
        let id = ids(&s)[CLEAN].clone();
        let v = version_of(&s, &id);
        let c = change(&s, ChangeKind::Claimed, &id, v, "王芳");
        deliver(&mut s, QueueEvent::Change(c));
        for k in ['a', 'r', 'c'] {
            s.key(ch(k));
            assert!(s.app.overlay().is_none(), "{k}: no dialog opens");
            let t = toast(&s);
            assert!(t.contains("王芳"), "{k}: names the holder: {t}");
            let word = if lang == Language::Zh {
                "正在处理"
            } else {
                "holds"
            };
            assert!(t.contains(word), "{k}: in the UI language: {t}");
        }
        assert!(claims(&s).is_empty(), "no claim is attempted");
    }
}

#[test]
fn a_near_miss_own_or_expired_claims_do_not_refuse() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    let id = ids(&s)[CLEAN].clone();
    let v = version_of(&s, &id);
    // Our own claim.
    let me = s.app.session().reviewer().to_string();
    let c = change(&s, ChangeKind::Claimed, &id, v, &me);
    deliver(&mut s, QueueEvent::Change(c));
    s.key(ch('a'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Approve(_))));
    s.key(esc());
    // Someone else's claim whose lease ran out.
    let mut c = change(&s, ChangeKind::Claimed, &id, v, "王芳");
    c.at_ms -= 16 * 60 * 1000;
    deliver(&mut s, QueueEvent::Change(c));
    s.key(ch('a'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Approve(_))));
}

#[test]
fn a_decision_by_someone_else_is_refused_with_the_draft_kept() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    let id = ids(&s)[CLEAN].clone();
    let v = version_of(&s, &id);
    s.key(ch('r'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Reject(_))));
    s.key(ch('e'));
    s.type_text("地址须写到门牌号");
    s.key(enter());
    // Meanwhile 王芳 decides it.
    let mut c = change(&s, ChangeKind::Decided, &id, v + 1, "王芳");
    c.at_ms -= 2 * 60 * 1000;
    deliver(&mut s, QueueEvent::Change(c));
    assert!(
        toast(&s).contains("decided by 王芳 2 min ago"),
        "{}",
        toast(&s)
    );
    s.key(enter());
    assert!(
        matches!(s.app.overlay(), Some(Overlay::Reject(_))),
        "the dialog stays, with what was typed"
    );
    let screen = screen_text(&render(&s.app, 160, 48));
    assert!(screen.contains("地址须写到门牌号"), "{screen}");
    assert!(toast(&s).contains("R to reload"), "{}", toast(&s));
    assert!(s.app.pending().is_empty(), "nothing was staged");
    // Near miss: a change to another order does not refuse this one.
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    s.key(ch('r'));
    s.key(ch(' '));
    let other = ids(&s)[SHARED_MOBILE].clone();
    let c = change(&s, ChangeKind::Decided, &other, 9, "王芳");
    deliver(&mut s, QueueEvent::Change(c));
    s.key(enter());
    assert!(s.app.overlay().is_none());
    assert_eq!(s.app.pending().len(), 1);
}

#[test]
fn a_claim_lost_to_someone_else_is_reported() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    let id = ids(&s)[CLEAN].clone();
    s.held_by.insert(id.clone(), "李明".into());
    s.key(ch('a'));
    assert!(toast(&s).contains("李明"), "{}", toast(&s));
    assert!(s.app.held().is_none());
}

#[test]
fn a_lead_takes_over_a_stale_claim_and_a_reviewer_is_refused() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    let id = ids(&s)[CLEAN].clone();
    s.held_by.insert(id.clone(), "李明".into());
    // A reviewer: the queue refuses, and nothing is held.
    s.reviewer_only = true;
    s.key(ctrl('t'));
    assert!(
        toast(&s).contains(L::ClaimRefused.text(Language::En)),
        "{}",
        toast(&s)
    );
    assert!(s.app.held().is_none());
    assert_eq!(s.held_by.get(&id).map(String::as_str), Some("李明"));
    // A lead: the claim is taken back from 李明 and now the lead's; deciding works.
    s.reviewer_only = false;
    s.key(ctrl('t'));
    assert!(toast(&s).contains("李明"), "{}", toast(&s));
    assert_eq!(s.app.held().map(|h| h.order.clone()), Some(id.clone()));
    assert!(s.held_by.is_empty());
    s.key(ch('a'));
    assert!(
        matches!(s.app.overlay(), Some(Overlay::Approve(_))),
        "the approve dialog opens on the order the lead now holds"
    );
}

#[test]
fn opening_a_dialog_claims_renews_and_leaving_releases() {
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    let id = ids(&s)[CLEAN].clone();
    s.key(ch('a'));
    assert_eq!(claims(&s), vec![id.clone()]);
    assert_eq!(s.app.held().map(|h| h.order.clone()), Some(id.clone()));
    // Still reading after ten minutes: the lease is renewed before it runs out.
    s.advance(11 * 60 * 1000);
    assert_eq!(claims(&s).len(), 2, "renewed");
    s.key(esc());
    assert!(releases(&s).is_empty(), "still on the order: kept");
    s.key(ch('j'));
    assert_eq!(releases(&s), vec![id], "left the order: released");
    assert!(s.app.held().is_none());
}

#[test]
fn a_decided_order_is_not_released_but_ends_its_claim() {
    let mut s = Sim::booted(Language::Zh);
    s.select(CLEAN);
    s.keys([ch('a'), ch('y')]);
    s.advance(6_000);
    assert!(releases(&s).is_empty(), "the decision ends the claim");
    assert!(s.app.held().is_none());
}

#[test]
fn offline_shows_a_banner_retries_with_backoff_and_keeps_the_decision() {
    let mut s = Sim::booted(Language::En);
    s.select(CLEAN);
    let id = ids(&s)[CLEAN].clone();
    // A rejection is half written when the connection drops.
    s.key(ch('r'));
    s.key(ch('e'));
    s.type_text("门牌号缺失");
    s.offline = true;
    deliver(&mut s, QueueEvent::Connection(false));
    let top = screen_lines(&render(&s.app, 80, 24))[0].clone();
    assert!(top.contains(L::Offline.text(Language::En)), "{top}");
    assert!(top.contains("retrying in 1 s"), "{top}");
    // The dialog and its text are untouched.
    let screen = screen_text(&render(&s.app, 160, 48));
    assert!(screen.contains("门牌号缺失"), "{screen}");
    s.key(enter());
    s.key(enter());
    assert_eq!(s.app.pending().len(), 1, "staged while offline");
    // The undo window passes: the send fails for want of the network; the decision is
    // kept (and its journal record not marked sent).
    s.advance(6_000);
    assert_eq!(s.app.pending().len(), 1, "kept, not lost");
    assert!(
        !s.sent
            .iter()
            .any(|e| matches!(e, Effect::Journal(JournalOp::Sent(_))))
    );
    assert!(toast(&s).contains("kept"), "{}", toast(&s));
    // Retries back off while the queue stays away.
    let tries = |s: &Sim| {
        s.sent
            .iter()
            .filter(|e| matches!(e, Effect::Decide { .. }))
            .count()
    };
    let first = tries(&s);
    s.advance(60_000);
    let later = tries(&s);
    assert!(
        later > first && later < first + 6,
        "backoff: {first} then {later}"
    );
    // The queue is back: the decision goes at once, with the typed note.
    s.offline = false;
    deliver(&mut s, QueueEvent::Connection(true));
    assert!(s.app.offline().is_none());
    assert!(s.app.pending().is_empty());
    let sent = s
        .sent
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::Decide {
                order, decision, ..
            } => Some((order.clone(), decision.clone())),
            _ => None,
        })
        .expect("sent");
    assert_eq!(sent.0, id);
    assert!(
        sent.1.reasons.iter().any(|r| r.text.contains("门牌号缺失")),
        "{:?}",
        sent.1.reasons
    );
    assert!(
        s.sent
            .iter()
            .any(|e| matches!(e, Effect::Journal(JournalOp::Sent(_))))
    );
    assert_eq!(
        s.db.iter().find(|d| d.order.id == id).unwrap().order.status,
        Status::Rejected
    );
}

#[test]
fn a_failed_load_while_offline_is_the_banner_not_an_error() {
    let mut s = Sim::booted(Language::Zh);
    s.offline = true;
    s.key(ch('R'));
    assert!(s.app.offline().is_some());
    assert!(
        s.app.toast().is_none_or(|t| !t.is_error()),
        "no error toast"
    );
    let top = screen_lines(&render(&s.app, 80, 24))[0].clone();
    assert!(top.contains(L::Offline.text(Language::Zh)), "{top}");
    // The next retry finds the queue back: the banner goes.
    s.offline = false;
    s.advance(2_000);
    assert!(s.app.offline().is_none());
}

#[test]
fn snapshots_of_the_offline_banner() {
    for (lang, w, h) in [(Language::Zh, 80, 24), (Language::En, 160, 48)] {
        let mut s = Sim::booted(lang);
        s.offline = true;
        deliver(&mut s, QueueEvent::Connection(false));
        let t = render(&s.app, w, h);
        insta::assert_snapshot!(
            format!("offline_banner_{}_{w}x{h}", lang_tag(lang)),
            screen_text(&t)
        );
    }
}
