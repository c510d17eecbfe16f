//! Presence and follow mode: this client reports what it shows; others' reports mark the
//! list and the header; `:follow NAME` shows what NAME shows, at this client's own size
//! and language, until the follower moves on their own (paused, `f` resumes) or
//! `:unfollow`s. A follower decides and claims nothing: the keys say why, and the queue
//! refuses whatever a client sends.

use super::super::app::App;
use super::super::command::{Command, ViewKind};
use super::super::effect::Effect;
use super::super::state::Pane;
use super::super::state::detail::PANES;
use super::super::text::L;
use super::super::view::Screen;
use crate::queue::QueueError;
use crate::queue::presence::{Presence, Viewing};

/// The name a pane is reported by.
pub fn pane_name(p: Pane) -> &'static str {
    match p {
        Pane::Queue => "list",
        Pane::Findings => "findings",
        Pane::Subject => "subject",
        Pane::Sites => "sites",
        Pane::Materials => "materials",
        Pane::History => "history",
    }
}

fn pane_of_name(name: &str) -> Option<Pane> {
    PANES.into_iter().find(|p| pane_name(*p) == name)
}

impl App {
    /// What this client shows now, as its presence reports it.
    pub(in crate::tui) fn viewing(&self) -> Viewing {
        let view = match self.screen {
            Some(Screen::Agenda) => "agenda",
            Some(Screen::Stats) => "stats",
            None => self.active.name(),
        };
        Viewing {
            order: self.detail.loaded().map(|l| l.id().to_string()),
            view: view.into(),
            pane: Some(pane_name(self.detail.focus).into()),
            selected: self.selected_id().map(str::to_string),
            scroll: u32::from(self.detail.scroll),
            filter: self.view().query().q.clone(),
            following: self.presence.following().map(|f| f.name.clone()),
            asks_drive: self.presence.asking(),
        }
    }

    /// On every tick: forget lapsed reports, report this client's view when it changed
    /// (once it rests) or is due for renewal. True when the screen changes.
    pub(in crate::tui) fn presence_tick(&mut self, now: i64) -> (Vec<Effect>, bool) {
        let changed = self.presence.expire(now);
        if self.quitting {
            return (Vec::new(), changed);
        }
        let current = self.viewing();
        let fx = self
            .presence
            .to_publish(current, now)
            .map(Effect::Publish)
            .into_iter()
            .collect();
        (fx, changed)
    }

    pub(in crate::tui) fn load_presence(&mut self) -> Effect {
        self.presence_req = self.next_seq();
        Effect::LoadPresence {
            req: self.presence_req,
        }
    }

    pub(in crate::tui) fn on_presence_loaded(
        &mut self,
        req: u64,
        result: Result<Vec<Presence>, QueueError>,
    ) -> Vec<Effect> {
        if req != self.presence_req {
            self.dirty = false;
            return Vec::new();
        }
        match result {
            Ok(all) => {
                self.presence.replace(all, self.now_ms);
                self.mirror_leader()
            }
            Err(e) => {
                // Presence is a nicety: a queue without it (an older server) still works.
                tracing::debug!(error = %e, "presence not loaded");
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// Someone's presence changed.
    pub(in crate::tui) fn on_presence(&mut self, p: Presence) -> Vec<Effect> {
        let name = p.name.clone();
        let asked_before = self.presence.asks_drive().map(str::to_string);
        let changed = self.presence.seen(p, self.now_ms);
        // The person this client follows now follows it: they handed over the controls.
        let handed = self.presence.asking()
            && self.presence.following().is_some_and(|f| f.name == name)
            && self
                .presence
                .get(&name)
                .and_then(|p| p.viewing.following.as_deref())
                == Some(self.session.reviewer());
        if handed {
            self.set_following(None);
            self.say(self.about(L::HandedOver, &name, None), false);
            return Vec::new();
        }
        // A follower asks for the controls: said once, and shown in the top bar.
        if let Some(asker) = self.presence.asks_drive().map(str::to_string)
            && asked_before.as_deref() != Some(asker.as_str())
        {
            self.say(self.about(L::AsksDrive, &asker, Some("hand_over")), false);
            return Vec::new();
        }
        let leading = self
            .presence
            .following()
            .is_some_and(|f| f.name == name && !f.paused);
        if leading {
            return self.mirror_leader();
        }
        self.dirty = changed;
        Vec::new()
    }

    /// Show what the followed person shows (their screen, search, selection, pane and
    /// scroll), when following and not paused.
    pub(in crate::tui) fn mirror_leader(&mut self) -> Vec<Effect> {
        let Some(v) = self
            .presence
            .following()
            .filter(|f| !f.paused)
            .and_then(|f| self.presence.get(&f.name))
            .map(|p| p.viewing.clone())
        else {
            return Vec::new();
        };
        let mut fx = Vec::new();
        let kind = match v.view.as_str() {
            "triage" => Some(ViewKind::Triage),
            "review" | "agenda" | "stats" => Some(ViewKind::Review),
            _ => None,
        };
        if v.view == "review" || v.view == "triage" {
            self.leave_screen();
        }
        if let Some(k) = kind
            && k != self.active
        {
            self.active = k;
            self.detail.focus = Pane::Queue;
            fx.push(self.reload());
        }
        if self.view().query().q != v.filter {
            self.view_mut().query.q = v.filter.clone();
            fx.push(self.reload());
        }
        if let Some(sel) = v.selected.as_deref()
            && self.selected_id() != Some(sel)
            && self.view_mut().list.select_key(sel)
        {
            self.selection_changed();
        }
        // The open order, even when it is not among the rows loaded here.
        if let Some(o) = v.order.as_deref() {
            let shown = self.detail.loaded().map(|l| l.id()) == Some(o);
            let coming = self.detail.due().map(|d| d.0.as_str()) == Some(o);
            if !shown && !coming {
                self.detail.want(o.to_string(), self.now_ms);
            }
        }
        if let Some(p) = v.pane.as_deref().and_then(pane_of_name) {
            self.detail.focus = p;
        }
        self.detail.scroll = u16::try_from(v.scroll).unwrap_or(u16::MAX);
        fx
    }

    /// The presence commands; `None` for any other command. While following, a decision
    /// or claim is refused here, and the follower's own navigation pauses following.
    pub(in crate::tui) fn run_presence(&mut self, cmd: &Command) -> Option<Vec<Effect>> {
        match cmd {
            Command::Who => {
                self.overlay = Some(super::super::overlay::Overlay::Who(
                    super::super::overlay::WhoOverlay,
                ));
                return Some(vec![self.load_presence()]);
            }
            // Without a name: who is there to follow.
            Command::Follow(name) if name.is_empty() => return self.run_presence(&Command::Who),
            Command::Follow(name) => return Some(self.follow(name)),
            Command::Unfollow => {
                if self.presence.following().is_none() {
                    self.say(self.t(L::NotFollowing), true);
                } else {
                    self.set_following(None);
                    self.say(self.t(L::FollowStopped), false);
                }
                return Some(Vec::new());
            }
            Command::Drive => {
                match self.presence.following().map(|f| f.name.clone()) {
                    Some(name) => {
                        self.presence.set_asking(true);
                        self.say(self.about(L::DriveAsked, &name, None), false);
                    }
                    None => self.say(self.t(L::NotFollowing), true),
                }
                return Some(Vec::new());
            }
            Command::HandOver => {
                let Some(asker) = self.presence.asks_drive().map(str::to_string) else {
                    self.say(self.t(L::NobodyAsks), true);
                    return Some(Vec::new());
                };
                // Follow the asker: their client sees it and takes the controls.
                let fx = self.follow(&asker);
                self.say(self.about(L::HandingOver, &asker, None), false);
                return Some(fx);
            }
            Command::Resume => {
                if self.presence.following().is_none() {
                    self.say(self.t(L::NotFollowing), true);
                    return Some(Vec::new());
                }
                self.presence.set_paused(false);
                self.toast = None;
                return Some(self.mirror_leader());
            }
            _ => {}
        }
        let following = self.presence.following()?.clone();
        let acts = matches!(
            cmd,
            Command::Approve
                | Command::Reject
                | Command::Call
                | Command::Claim
                | Command::TakeOver
                | Command::Reopen(_)
                | Command::Reassign(_)
                | Command::Outcome(_)
                | Command::Undo
        );
        if acts {
            self.say(self.about(L::FollowRefused, &following.name, None), true);
            return Some(Vec::new());
        }
        let navigates = matches!(
            cmd,
            Command::Down
                | Command::Up
                | Command::Top
                | Command::Bottom
                | Command::PageDown
                | Command::PageUp
                | Command::NextPane
                | Command::PrevPane
                | Command::Jump
                | Command::NextFlag
                | Command::PrevFlag
                | Command::Search
                | Command::ClearSearch
                | Command::Clear
                | Command::Sort(_)
                | Command::View(_)
                | Command::Status(_)
                | Command::Province(_)
                | Command::Type(_)
                | Command::Agenda
                | Command::Stats
        );
        if navigates && !following.paused {
            self.presence.set_paused(true);
            let said = self.about(L::FollowingPaused, &following.name, Some("resume_follow"));
            self.say(said, false);
        }
        None
    }

    /// `--follow NAME`: follow from the first frame (the leader's view is shown once
    /// their presence is loaded).
    pub fn follow_at_start(&mut self, name: &str) {
        let fx = self.follow(name);
        debug_assert!(fx.is_empty(), "nothing is loaded before start");
    }

    fn follow(&mut self, name: &str) -> Vec<Effect> {
        if name == self.session.reviewer() {
            self.say(self.t(L::FollowSelf), true);
            return Vec::new();
        }
        self.set_following(Some(name.to_string()));
        let label = if self.presence.get(name).is_none() {
            L::FollowOffline
        } else {
            L::Following
        };
        self.say(self.about(label, name, None), false);
        // A claim held is given back as the view moves to the leader's order.
        self.mirror_leader()
    }

    /// Start or stop following: the presence state and the session (read-only while
    /// following) change together.
    fn set_following(&mut self, name: Option<String>) {
        self.session.set_read_only(name.is_some());
        self.session.set_follow(name.clone());
        self.presence.follow(name);
    }
}
