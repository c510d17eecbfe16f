//! The shared queue, live: others' changes as they happen, the claim held while deciding,
//! and what happens while the queue cannot be reached (a banner, retries with backoff,
//! decisions kept until it is back; nothing typed is lost).

use super::super::app::App;
use super::super::effect::Effect;
use super::super::safe::Safe;
use super::super::state::Pending;
use super::super::text::{self, L};
use crate::queue::{Change, ChangeKind, Claim, DEFAULT_LEASE_SECS, QueueError, QueueEvent};

impl App {
    pub(in crate::tui) fn on_queue_event(&mut self, ev: QueueEvent) -> Vec<Effect> {
        match ev {
            QueueEvent::Connection(true) => {
                self.live.set_subscribed(true);
                if self.live.came_online() {
                    return self.back_online();
                }
                self.dirty = false;
                Vec::new()
            }
            QueueEvent::Connection(false) => {
                self.live.set_subscribed(false);
                if self.live.offline().is_none() {
                    self.live.went_offline(self.now_ms);
                }
                Vec::new()
            }
            QueueEvent::Resync => {
                self.live.forget_changes();
                self.refresh_all()
            }
            QueueEvent::Change(c) => self.on_change(c),
            QueueEvent::Presence(p) => self.on_presence(p),
        }
    }

    fn on_change(&mut self, c: Change) -> Vec<Effect> {
        let mine = c.actor == self.session.reviewer();
        match c.kind {
            ChangeKind::Claimed | ChangeKind::Released => {
                let claim = (c.kind == ChangeKind::Claimed).then(|| Claim {
                    reviewer: c.actor.clone(),
                    until_ms: c.at_ms + DEFAULT_LEASE_SECS * 1000,
                });
                // Names come from the queue: made safe once, here.
                let Ok(claim) = Safe::new(claim) else {
                    self.dirty = false;
                    return Vec::new();
                };
                for v in &mut self.views {
                    if let Some(r) = v.list.item_mut(&c.order) {
                        r.set_claim(claim.clone(), c.version);
                    }
                }
                if let Some(l) = self.detail.loaded_mut().filter(|l| l.id() == c.order) {
                    l.set_claim(claim);
                }
                if !mine && c.kind == ChangeKind::Claimed {
                    // Someone else holds it now: a claim of ours on it has lapsed.
                    self.live.drop_hold(&c.order);
                }
                Vec::new()
            }
            _ if mine => {
                // Our own decisions reload the list when their answer comes back.
                self.dirty = false;
                Vec::new()
            }
            _ => {
                let order = c.order.clone();
                self.live.record(c, self.now_ms);
                if self.deciding.as_ref().is_some_and(|(id, _)| *id == order)
                    && let Some(why) = self.refusal()
                {
                    self.say(why, true);
                }
                Vec::new()
            }
        }
    }

    /// Why a decision on the order being decided must not be made now (someone else
    /// holds it, or it changed since the reviewer read it), in the UI language.
    pub(in crate::tui) fn refusal(&self) -> Option<String> {
        let (id, version) = self.deciding.as_ref()?;
        self.refusal_for(id, *version)
    }

    pub(in crate::tui) fn refusal_for(&self, id: &str, version: i64) -> Option<String> {
        if let Some(c) = self.live.changed_since(id, version) {
            let ago = self.ago(c.at_ms);
            let label = if c.kind == ChangeKind::Decided {
                L::DecidedBy
            } else {
                L::ChangedBy
            };
            let who = Safe::text(&c.actor);
            return Some(text::fill(
                self.t(label),
                &[("who", who.as_str()), ("ago", &ago)],
            ));
        }
        let me = self.session.reviewer();
        let claim = self
            .current()
            .filter(|l| l.id() == id)
            .and_then(|l| l.detail().claim.clone())
            .or_else(|| {
                self.views
                    .iter()
                    .find_map(|v| v.list.items().iter().find(|r| r.id() == id))
                    .and_then(|r| r.summary().claim.clone())
            })?;
        if claim.reviewer == me || claim.until_ms <= self.now_ms {
            return None;
        }
        let until = jiff::Timestamp::from_millisecond(claim.until_ms)
            .map(|t| {
                t.to_zoned(crate::queue::time::shanghai())
                    .strftime("%H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        Some(text::fill(
            self.t(L::HeldBy),
            &[("who", &claim.reviewer), ("until", &until)],
        ))
    }

    fn ago(&self, at_ms: i64) -> String {
        let mins = (self.now_ms - at_ms).max(0) / 60_000;
        if mins == 0 {
            self.t(L::JustNow).to_string()
        } else {
            text::fill(self.t(L::MinutesAgo), &[("n", &mins.to_string())])
        }
    }

    /// Claim the order a decision dialog was opened on (leaving any other claim held).
    pub(in crate::tui) fn claim_for_decision(&mut self, order: &str) -> Vec<Effect> {
        let mut fx = Vec::new();
        if let Some(h) = self.live.held().filter(|h| h.order != order) {
            let other = h.order.clone();
            self.live.drop_hold(&other);
            if !self.pending.holds(&other) {
                fx.push(Effect::Release { order: other });
            }
        }
        self.claim_req = self.next_seq();
        fx.push(Effect::Claim {
            req: self.claim_req,
            order: order.to_string(),
        });
        fx
    }

    /// The selection left the held order: give the claim back, unless a decision on it
    /// is still waiting to be sent (the decision ends the claim) or a dialog is open on it.
    pub(in crate::tui) fn leave_held(&mut self) -> Vec<Effect> {
        let Some(h) = self.live.held() else {
            return Vec::new();
        };
        let order = h.order.clone();
        let still_here = self.selected_id() == Some(order.as_str())
            || self.deciding.as_ref().is_some_and(|(id, _)| *id == order)
            || self.pending.holds(&order)
            || self.in_flight.values().any(|p| p.order == order);
        if still_here {
            return Vec::new();
        }
        self.live.drop_hold(&order);
        vec![Effect::Release { order }]
    }

    /// Timers of the live queue: the coalesced reload, the claim's renewal, the retry.
    pub(in crate::tui) fn live_tick(&mut self, now: i64) -> (Vec<Effect>, bool) {
        let mut fx = Vec::new();
        let mut changed = false;
        if self.live.reload_due(now) && self.live.offline().is_none() {
            fx.push(self.refresh());
            fx.push(self.load_stats());
            // The detail too, when the order on screen is one that changed.
            let stale = self
                .current()
                .map(|l| (l.id().to_string(), l.detail().version));
            if let Some((id, version)) = stale
                && self.live.changed_since(&id, version).is_some()
            {
                fx.push(self.load_detail_now(id));
            }
        }
        if let Some(order) = self.live.renew_due(now).map(str::to_string) {
            // Renewed ahead of time; the answer confirms (or reports it lost).
            self.live
                .hold(order.clone(), now + DEFAULT_LEASE_SECS * 1000);
            self.claim_req = self.next_seq();
            fx.push(Effect::Claim {
                req: self.claim_req,
                order,
            });
        }
        if let Some(o) = self.live.offline() {
            // The banner counts down in seconds.
            changed |= (o.retry_at_ms - self.now_ms) / 1000 != (o.retry_at_ms - now) / 1000;
            if self.live.retry_due(now) {
                fx.push(self.load_stats());
                changed = true;
            }
        }
        (fx, changed)
    }

    /// Reload what is on screen: the active view's rows as far as they are loaded, the
    /// counts, and the detail.
    pub(in crate::tui) fn refresh_all(&mut self) -> Vec<Effect> {
        let mut fx = vec![self.refresh(), self.load_stats()];
        if let Some(id) = self.selected_id().map(str::to_string) {
            fx.push(self.load_detail_now(id));
        }
        fx
    }

    fn back_online(&mut self) -> Vec<Effect> {
        self.say(self.t(L::BackOnline), false);
        let mut fx = self.refresh_all();
        fx.push(self.load_presence());
        // Decisions kept while offline go now.
        self.pending.release_kept(self.now_ms);
        for p in self.pending.due(self.now_ms) {
            fx.push(self.send(p));
        }
        fx
    }

    /// Note what an answer says about the connection: a network failure puts the app
    /// offline (true: the caller shows no error of its own, the banner says it); any
    /// other answer means the queue is there.
    pub(in crate::tui) fn saw<T>(&mut self, result: &Result<T, QueueError>) -> (bool, Vec<Effect>) {
        match result {
            Err(QueueError::Unavailable(e)) => {
                tracing::warn!(error = %e, "the queue is unreachable");
                if self.live.offline().is_none() {
                    self.live.went_offline(self.now_ms);
                }
                (true, Vec::new())
            }
            _ if self.live.came_online() => (false, self.back_online()),
            _ => (false, Vec::new()),
        }
    }

    /// A decision the queue could not be reached for: back in the queue of pending
    /// decisions, sent when the queue answers again (its journal record stays).
    pub(in crate::tui) fn keep_for_later(&mut self, p: Pending) {
        self.say(format!("{} ({})", self.t(L::KeptOffline), p.order), true);
        // At the next retry, never sooner than the backoff (no tight loop of resends).
        let deadline_ms = match self.live.offline() {
            Some(o) if o.retry_at_ms > self.now_ms => o.retry_at_ms,
            Some(o) => self.now_ms + super::super::state::Live::backoff_ms(o.attempt + 1),
            None => self.now_ms,
        };
        self.pending.push(Pending {
            deadline_ms,
            kept: true,
            ..p
        });
    }
}
