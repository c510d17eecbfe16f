//! Answers from the queue. Each carries the request number of its effect; one that is not
//! the latest of its kind (or whose state moved on) is dropped.

use super::super::app::App;
use super::super::effect::{Effect, JournalOp};
use super::super::safe::Safe;
use super::super::state::Loaded;
use super::super::text::{self, L};
use crate::domain::Status;
use crate::queue::{Claim, DecisionOutcome, OrderDetail, QueueError, QueueStats};

impl App {
    pub(in crate::tui) fn on_detail(
        &mut self,
        req: u64,
        result: Result<OrderDetail, QueueError>,
    ) -> Vec<Effect> {
        if req != self.detail.req() {
            self.dirty = false;
            return Vec::new();
        }
        let (unreachable, mut fx) = self.saw(&result);
        if unreachable {
            return fx;
        }
        let raw = result.as_ref().ok().map(|d| d.order.id.clone());
        match result.map_err(|e| e.to_string()).and_then(Safe::new) {
            Ok(d) => {
                let id = raw.unwrap_or_default();
                let (version, claim) = (d.version, d.part(|d| &d.claim));
                for v in &mut self.views {
                    if let Some(r) = v.list.item_mut(&id) {
                        r.set_claim(claim.clone(), version);
                    }
                }
                self.detail.set_loaded(Some(Loaded::new(id, d)));
                fx.extend(self.want_preview());
                fx.extend(self.open_prefill());
                return fx;
            }
            Err(e) => self.say(format!("{}: {e}", self.t(L::Error)), true),
        }
        fx
    }

    pub(in crate::tui) fn on_decided(
        &mut self,
        req: u64,
        order: String,
        result: Result<DecisionOutcome, QueueError>,
    ) -> Vec<Effect> {
        let Some(sent) = self.in_flight.remove(&req) else {
            self.dirty = false;
            return Vec::new();
        };
        let (unreachable, mut fx) = self.saw(&result);
        if unreachable && !self.quitting {
            // Not decided as far as we know: kept, and sent again when the queue answers
            // (the same idempotency key, so it never applies twice).
            self.keep_for_later(sent);
            return fx;
        }
        // Answered for good (stored, or refused by the queue): the journal forgets it. A
        // storage or network failure leaves it to be offered again.
        let resolved = !matches!(
            result,
            Err(QueueError::Storage(_) | QueueError::Unavailable(_))
        );
        if resolved {
            fx.push(Effect::Journal(JournalOp::Sent(sent.key)));
        }
        self.live.drop_hold(&order);
        let leave = |app: &App| app.in_flight.is_empty() && app.pending.is_empty();
        match result {
            Ok(o) => {
                let label = match o.status {
                    Status::Approved => L::Approved,
                    Status::Rejected => L::Rejected,
                    _ => L::CallScheduled,
                };
                self.say(format!("{} {}", self.t(label), o.order), false);
                if self.quitting {
                    if leave(self) {
                        fx.push(Effect::Exit);
                    }
                    return fx;
                }
                fx.push(self.reload());
                fx.push(self.load_stats());
                fx
            }
            Err(e) => {
                tracing::error!(%order, error = %e, "decision not applied");
                self.say(format!("{} {order}: {e}", self.t(L::Error)), true);
                if self.quitting && self.terminating {
                    if leave(self) {
                        fx.push(Effect::Exit);
                    }
                    return fx;
                }
                // A reviewer who asked to quit stays to see the decision failed.
                self.quitting = false;
                fx.push(self.reload());
                fx
            }
        }
    }

    pub(in crate::tui) fn on_claimed(
        &mut self,
        req: u64,
        order: String,
        result: Result<Claim, QueueError>,
    ) -> Vec<Effect> {
        if req != self.claim_req {
            self.dirty = false;
            return Vec::new();
        }
        let (unreachable, fx) = self.saw(&result);
        if unreachable {
            return fx;
        }
        match result {
            Ok(c) => {
                self.live.hold(order.clone(), c.until_ms);
                // The reviewer's name comes from the queue: made safe once, here.
                let claim = match Safe::new(Some(c)) {
                    Ok(c) => c,
                    Err(e) => {
                        self.say(format!("{}: {e}", self.t(L::Error)), true);
                        return Vec::new();
                    }
                };
                for v in &mut self.views {
                    if let Some(r) = v.list.item_mut(&order) {
                        let version = r.summary().version;
                        r.set_claim(claim.clone(), version);
                    }
                }
                if let Some(l) = self.detail.loaded_mut().filter(|l| l.id() == order) {
                    l.set_claim(claim);
                }
            }
            Err(e) => {
                // Someone else got there first: the detail shows who, and a dialog open
                // on the order refuses to decide.
                self.live.drop_hold(&order);
                self.say(format!("{}: {e}", self.t(L::ClaimRefused)), true);
                if self.selected_id() == Some(order.as_str()) {
                    let mut fx = fx;
                    fx.push(self.load_detail_now(order));
                    return fx;
                }
            }
        }
        fx
    }

    /// The take-over answered: say from whom (the audit has it too), then it is a claim.
    pub(in crate::tui) fn on_took_over(
        &mut self,
        req: u64,
        order: String,
        result: Result<(Option<Claim>, Claim), QueueError>,
    ) -> Vec<Effect> {
        if req != self.claim_req {
            self.dirty = false;
            return Vec::new();
        }
        let took = result.is_ok();
        let result = result.map(|(from, mine)| {
            if let Some(from) = from.filter(|f| f.reviewer != self.session.reviewer()) {
                let who = Safe::text(&from.reviewer);
                let said = text::fill(self.t(L::TookOver), &[("who", who.as_str())]);
                self.say(said, false);
            }
            mine
        });
        let mut fx = self.on_claimed(req, order.clone(), result);
        // The detail drops the other reviewer's claim and shows the lead's.
        if took && self.selected_id() == Some(order.as_str()) {
            fx.push(self.load_detail_now(order));
        }
        fx
    }

    pub(in crate::tui) fn on_noted(
        &mut self,
        req: u64,
        order: String,
        result: Result<(), QueueError>,
    ) -> Vec<Effect> {
        if self.detail.revealing.as_ref().map(|r| r.0) != Some(req) {
            self.dirty = false;
            return Vec::new();
        }
        self.detail.revealing = None;
        match result {
            Ok(()) => {
                self.detail.revealed = Some(order);
                self.say(self.t(L::Revealed), false);
            }
            Err(e) => self.say(format!("{}: {e}", self.t(L::RevealFailed)), true),
        }
        Vec::new()
    }

    pub(in crate::tui) fn on_stats(
        &mut self,
        req: u64,
        result: Result<QueueStats, QueueError>,
    ) -> Vec<Effect> {
        if req != self.stats_req {
            self.dirty = false;
            return Vec::new();
        }
        let (_, fx) = self.saw(&result);
        match result {
            Ok(s) => self.stats = s,
            Err(e) => tracing::warn!(error = %e, "stats not loaded"),
        }
        fx
    }
}
