//! Presence and follow mode in the TUI: others' reports mark the list and the header,
//! `:who` lists them, this client reports what it shows (once the selection rests), and
//! `:follow NAME` shows what NAME shows until the follower moves on their own (paused,
//! `f` resumes) or `:unfollow`s; a follower's decision keys say why they do nothing.

mod common;
mod tui_common;

use icp_review::config::Language;
use icp_review::queue::presence::Viewing;
use icp_review::tui::effect::Effect;
use icp_review::tui::overlay::Overlay;
use icp_review::tui::text::L;
use tui_common::*;

fn on(order: &str) -> Viewing {
    Viewing {
        order: Some(order.into()),
        selected: Some(order.into()),
        view: "review".into(),
        pane: Some("list".into()),
        ..Viewing::default()
    }
}

fn claims(s: &Sim) -> usize {
    s.sent
        .iter()
        .filter(|e| matches!(e, Effect::Claim { .. } | Effect::Decide { .. }))
        .count()
}

#[test]
fn others_on_an_order_mark_its_row_and_the_header_and_leaving_clears_them() {
    let mut s = Sim::booted(Language::En);
    let ids = ids(&s);
    s.hear("李明", on(&ids[CLEAN]));
    s.hear("bob", on(&ids[FLAWED]));
    let text = screen_text(&render(&s.app, 120, 30));
    assert!(text.contains("watched by 李明"), "{text}");
    assert!(text.contains("@明"), "{text}");
    assert!(text.contains("@bo"), "{text}");
    // Near miss: bob moves off; his mark goes, 李明's stays.
    s.hear("bob", Viewing::default());
    let text = screen_text(&render(&s.app, 120, 30));
    assert!(!text.contains("@bo"), "{text}");
    assert!(text.contains("@明"), "{text}");
    // Lapsed reports drop out by this client's clock.
    s.advance(icp_review::queue::presence::TTL_MS + 1_000);
    let text = screen_text(&render(&s.app, 120, 30));
    assert!(
        !text.contains("@明") && !text.contains("watched by"),
        "{text}"
    );
}

#[test]
fn the_client_reports_where_the_selection_rests_not_every_row_passed() {
    let mut s = Sim::booted(Language::En);
    let ids = ids(&s);
    s.advance(100);
    assert_eq!(
        s.published.last().and_then(|v| v.selected.clone()),
        Some(ids[0].clone()),
        "the first view goes out at once"
    );
    let before = s.published.len();
    s.keys([ch('j'), ch('j'), ch('j')]);
    s.advance(100);
    assert_eq!(s.published.len(), before, "still moving: nothing reported");
    s.advance(300);
    assert_eq!(s.published.len(), before + 1, "{:?}", s.published);
    assert_eq!(
        s.published.last().and_then(|v| v.selected.clone()),
        Some(ids[3].clone())
    );
}

#[test]
fn following_shows_the_leaders_order_refuses_decisions_pauses_and_resumes() {
    let mut s = Sim::booted(Language::En);
    let ids = ids(&s);
    s.hear("王芳", on(&ids[FLAWED]));
    s.command("follow 王芳");
    assert_eq!(s.app.selected_id(), Some(ids[FLAWED].as_str()));
    s.settle();
    assert_eq!(
        s.app.current().map(|l| l.id().to_string()),
        Some(ids[FLAWED].clone()),
        "the leader's order is open"
    );
    let text = screen_text(&render(&s.app, 120, 30));
    assert!(text.contains("following 王芳"), "{text}");
    // A follower's decision keys say why they do nothing, and nothing is sent.
    s.key(ch('a'));
    assert!(s.app.overlay().is_none());
    assert!(toast(&s).contains("following 王芳"), "{}", toast(&s));
    s.key(ch('C'));
    assert_eq!(claims(&s), 0);
    // The report says whom this client follows (the queue refuses a follower).
    s.advance(400);
    assert_eq!(
        s.published.last().and_then(|v| v.following.clone()),
        Some("王芳".into())
    );
    // The leader moves, with the detail scrolled and another pane: so does the follower.
    s.hear(
        "王芳",
        Viewing {
            pane: Some("subject".into()),
            scroll: 2,
            ..on(&ids[SHARED_MOBILE])
        },
    );
    s.settle();
    assert_eq!(s.app.selected_id(), Some(ids[SHARED_MOBILE].as_str()));
    assert_eq!(s.app.focus(), icp_review::tui::state::Pane::Subject);
    // The follower's own move pauses following: the leader's next move is not shown.
    s.key(icp_review_key_tab_back());
    assert!(toast(&s).contains("paused"), "{}", toast(&s));
    s.hear("王芳", on(&ids[CLEAN]));
    assert_ne!(s.app.selected_id(), Some(ids[CLEAN].as_str()));
    // `f` resumes: the leader's view at once.
    s.key(ch('f'));
    assert_eq!(s.app.selected_id(), Some(ids[CLEAN].as_str()));
    // `:unfollow`: decisions open again.
    s.command("unfollow");
    assert!(toast(&s).contains(L::FollowStopped.text(Language::En)));
    s.key(ch('a'));
    assert!(
        matches!(s.app.overlay(), Some(Overlay::Approve(_))),
        "{:?}",
        toast(&s)
    );
}

fn icp_review_key_tab_back() -> crossterm::event::KeyEvent {
    // `h`: the previous pane (the follower's own navigation).
    ch('h')
}

#[test]
fn one_cannot_follow_oneself_and_following_someone_offline_waits_for_them() {
    let mut s = Sim::booted(Language::En);
    let me = s.app.session().reviewer().to_string();
    s.command(&format!("follow {me}"));
    assert!(toast(&s).contains(L::FollowSelf.text(Language::En)));
    assert!(s.app.presence().following().is_none());
    s.command("follow 陈静");
    assert!(toast(&s).contains("not online"), "{}", toast(&s));
    let ids = ids(&s);
    s.hear("陈静", on(&ids[FLAWED]));
    assert_eq!(s.app.selected_id(), Some(ids[FLAWED].as_str()));
}

#[test]
fn who_lists_everyone_online_with_what_each_has_open() {
    let mut s = Sim::booted(Language::En);
    let ids = ids(&s);
    s.presence = vec![];
    s.hear("李明", on(&ids[CLEAN]));
    s.hear(
        "王芳",
        Viewing {
            following: Some("李明".into()),
            ..Viewing::default()
        },
    );
    s.key(ch('w'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Who(_))));
    let text = screen_text(&render(&s.app, 120, 30));
    assert!(text.contains(&ids[CLEAN]), "{text}");
    assert!(text.contains("follows 李明"), "{text}");
    assert!(text.contains("Online (3)"), "{text}");
    s.key(esc());
    assert!(s.app.overlay().is_none());
}

#[test]
fn follow_at_start_shows_the_leaders_order_once_presence_is_loaded() {
    // `icp-review --follow 王芳`.
    let mut app = new_app(Language::En);
    app.follow_at_start("王芳");
    let mut s = Sim::new(app, review_db());
    let leader_on = s.db[FLAWED].order.id.clone();
    s.presence = vec![icp_review::queue::presence::Presence {
        name: "王芳".into(),
        viewing: on(&leader_on),
        at_ms: 0,
        until_ms: icp_review::queue::presence::TTL_MS,
        seq: 1,
    }];
    let fx = s.app.start();
    s.run(fx);
    s.settle();
    assert_eq!(
        s.app.current().map(|l| l.id().to_string()),
        Some(leader_on.clone())
    );
    s.key(ch('r'));
    assert!(s.app.overlay().is_none(), "a follower cannot reject");
}

#[test]
fn control_passes_only_when_the_follower_asks_and_the_leader_hands_over() {
    let mut s = Sim::booted(Language::En);
    let me = s.app.session().reviewer().to_string();
    let ids = ids(&s);
    // Nobody asks: D does nothing but say so.
    s.key(ch('D'));
    assert!(toast(&s).contains(L::NobodyAsks.text(Language::En)));
    assert!(s.app.presence().following().is_none());
    // 李明 follows me and merely watches: still nothing to hand over.
    let follower = |asks: bool| Viewing {
        following: Some(me.clone()),
        asks_drive: asks,
        ..on(&ids[CLEAN])
    };
    s.hear("李明", follower(false));
    s.key(ch('D'));
    assert!(s.app.presence().following().is_none());
    // He asks (`:drive` on his side): said, and D hands over: now I follow him.
    s.hear("李明", follower(true));
    assert!(toast(&s).contains("asks for the controls"), "{}", toast(&s));
    let text = screen_text(&render(&s.app, 160, 30));
    assert!(text.contains("李明 asks for the controls"), "{text}");
    s.key(ch('D'));
    assert_eq!(
        s.app.presence().following().map(|f| f.name.clone()),
        Some("李明".into())
    );
    s.key(ch('a'));
    assert!(
        s.app.overlay().is_none(),
        "the one who handed over now only follows"
    );
}

#[test]
fn the_follower_who_asked_takes_the_controls_when_the_leader_follows_back() {
    let mut s = Sim::booted(Language::En);
    let me = s.app.session().reviewer().to_string();
    let ids = ids(&s);
    s.hear("王芳", on(&ids[FLAWED]));
    s.command("follow 王芳");
    s.command("drive");
    assert!(toast(&s).contains("asked 王芳"), "{}", toast(&s));
    s.advance(400);
    assert_eq!(s.published.last().map(|v| v.asks_drive), Some(true));
    s.hear(
        "王芳",
        Viewing {
            following: Some(me.clone()),
            ..on(&ids[FLAWED])
        },
    );
    assert!(
        s.app.presence().following().is_none(),
        "the controls are mine"
    );
    assert!(
        toast(&s).contains("handed you the controls"),
        "{}",
        toast(&s)
    );
    s.key(ch('a'));
    assert!(matches!(s.app.overlay(), Some(Overlay::Approve(_))));
    s.advance(400);
    assert_eq!(s.published.last().map(|v| v.asks_drive), Some(false));
}
