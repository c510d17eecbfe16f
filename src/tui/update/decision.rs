//! Decisions: the dialogs that make them, the undo windows they wait out (queued, one per
//! decision), and sending them, on time or before quitting.

use super::super::app::{AfterDecision, App};
use super::super::effect::{Effect, JournalOp};
use super::super::overlay::{ApproveDialog, CallDialog, CallTarget, Overlay, RejectDialog, Staged};
use super::super::state::Pending;
use super::super::text::{self, L};
use crate::domain::calls;
use crate::queue::{Action as DecisionAction, Decision, OrderSummary};
use crate::rules::Severity;

impl App {
    /// The selected order, if a decision can be made on it now (else say why).
    pub(in crate::tui) fn decidable(&mut self) -> Option<OrderSummary> {
        let s = self.selected_summary()?.clone();
        if self.session.read_only() {
            self.say(self.t(L::ReadOnly), true);
            return None;
        }
        if self.selected_id().is_some_and(|id| self.pending.holds(id)) {
            self.say(self.t(L::AlreadyPending), true);
            return None;
        }
        if !s.status.awaits_reviewer() {
            self.say(
                format!("{} {}", s.id, text::value(s.status, self.lang())),
                true,
            );
            return None;
        }
        let Some(version) = self.current().map(|l| l.detail().version) else {
            self.say(self.t(L::Loading), false);
            return None;
        };
        // Refused early, before anything is typed: someone else holds the order, or it
        // changed since it was read.
        if let Some(why) = self.refusal_for(&s.id, version) {
            self.say(why, true);
            return None;
        }
        self.deciding = self.selected_id().map(|id| (id.to_string(), version));
        Some(s)
    }

    pub(in crate::tui) fn open_approve(&mut self) -> Vec<Effect> {
        let Some(s) = self.decidable() else {
            return Vec::new();
        };
        let blocks = self.current().map_or(0, |l| l.blocks());
        self.overlay = Some(Overlay::Approve(ApproveDialog::new(blocks)));
        self.claim_for_decision(&s.id)
    }

    pub(in crate::tui) fn open_reject(&mut self) -> Vec<Effect> {
        let Some(s) = self.decidable() else {
            return Vec::new();
        };
        let Some(d) = self.current_detail() else {
            return Vec::new();
        };
        let blocking: Vec<&str> = d
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .map(|f| f.reason.as_str())
            .collect();
        let dialog = RejectDialog::new(&self.reasons, &blocking);
        self.overlay = Some(Overlay::Reject(dialog));
        self.claim_for_decision(&s.id)
    }

    pub(in crate::tui) fn open_call(&mut self) -> Vec<Effect> {
        let Some(s) = self.decidable() else {
            return Vec::new();
        };
        let Some(d) = self.current_detail() else {
            return Vec::new();
        };
        let o = &d.order;
        let mut targets = vec![CallTarget {
            who: "subject_leader".into(),
            label: format!("{} · {}", self.t(L::Subject), o.subject.leader.name),
            phone: o.subject.leader.mobile.clone(),
        }];
        for (i, s) in o.sites.iter().enumerate() {
            targets.push(CallTarget {
                who: format!("site_leader:{i}"),
                label: format!("{} {} · {}", self.t(L::Sites), i + 1, s.leader.name),
                phone: s.leader.mobile.clone(),
            });
        }
        for (i, s) in o.sites.iter().enumerate() {
            targets.push(CallTarget {
                who: format!("emergency:{i}"),
                label: format!("{} {} · {}", self.t(L::Emergency), i + 1, s.leader.name),
                phone: s.leader.emergency_phone.clone(),
            });
        }
        let mut why: Vec<String> = Vec::new();
        for f in d.findings.iter().filter(|f| f.severity == Severity::Warn) {
            if !why.contains(&f.rule) {
                why.push(f.rule.clone());
            }
        }
        let when = calls::next_call_slot(self.now_ms, self.settings.calendar)
            .map(calls::slot_text)
            .unwrap_or_default();
        self.overlay = Some(Overlay::Call(CallDialog::new(
            targets,
            &when,
            &why.join(", "),
        )));
        self.claim_for_decision(&s.id)
    }

    /// A dialog made a decision: it waits out its undo window in the queue of pending
    /// decisions, and the reviewer moves on.
    pub(in crate::tui) fn stage(&mut self, s: Staged) -> Vec<Effect> {
        // The decision is about the order the dialog was opened on, at the version the
        // reviewer read, whatever the list did meanwhile (a reload after an earlier
        // decision can move the selection).
        let Some((id, version)) = self.deciding.take() else {
            return Vec::new();
        };
        if self.pending.holds(&id) {
            self.say(self.t(L::AlreadyPending), true);
            return Vec::new();
        }
        let label = match s.action {
            DecisionAction::Approve => L::Approved,
            DecisionAction::Reject => L::Rejected,
            DecisionAction::ScheduleCall => L::CallScheduled,
        };
        let key = format!(
            "{}-{}-{}-{}",
            self.session.reviewer(),
            id,
            version,
            self.now_ms
        );
        let decision = Decision {
            action: s.action,
            expected_version: version,
            reasons: s.reasons,
            note: s.note,
            call: s.call,
            override_blocks: s.override_blocks,
        };
        // On disk before anything else: a crash inside the undo window loses nothing.
        let mut fx = vec![Effect::Journal(JournalOp::Record(
            crate::queue::journal::JournalEntry {
                key: key.clone(),
                order: id.clone(),
                reviewer: self.session.reviewer().to_string(),
                decision: decision.clone(),
                made_at_ms: self.now_ms,
            },
        ))];
        self.pending.push(Pending {
            order: id.clone(),
            decision,
            key,
            deadline_ms: self.now_ms + self.settings.undo_ms,
            label,
            kept: false,
        });
        if self.settings.after_decision == AfterDecision::NextUndecided {
            let pending = &self.pending;
            if self.views[self.active.index()].list.select_next_where(|r| {
                !pending.holds(r.id()) && r.summary().status.awaits_reviewer()
            }) {
                self.selection_changed();
            }
        }
        fx.extend(self.maybe_more());
        fx
    }

    /// `z`: take back the latest decision still waiting, and go back to its order.
    pub(in crate::tui) fn undo(&mut self) -> Vec<Effect> {
        match self.pending.undo_latest() {
            Some(p) => {
                self.say(format!("{} ({})", self.t(L::Undone), p.order), false); // say() makes it safe
                if self.view_mut().list.select_key(&p.order) {
                    self.selection_changed();
                }
                vec![Effect::Journal(JournalOp::Discarded(p.key))]
            }
            None => {
                self.say(self.t(L::NothingToUndo), false);
                Vec::new()
            }
        }
    }

    pub(in crate::tui) fn send(&mut self, p: Pending) -> Effect {
        let req = self.next_seq();
        let effect = Effect::Decide {
            req,
            order: p.order.clone(),
            decision: p.decision.clone(),
            key: p.key.clone(),
        };
        self.in_flight.insert(req, p);
        effect
    }

    pub(in crate::tui) fn on_tick(&mut self, now: i64) -> Vec<Effect> {
        let before = std::mem::replace(&mut self.now_ms, now);
        let mut fx = Vec::new();
        let mut changed = false;
        for p in self.pending.due(now) {
            fx.push(self.send(p));
            changed = true;
        }
        if let Some(id) = self.detail.take_due(now) {
            fx.push(self.load_detail_now(id));
        }
        if self.toast.as_ref().is_some_and(|t| now >= t.until_ms) {
            self.toast = None;
            changed = true;
        }
        let (live, live_changed) = self.live_tick(now);
        fx.extend(live);
        changed |= live_changed;
        let (presence, presence_changed) = self.presence_tick(now);
        fx.extend(presence);
        changed |= presence_changed;
        fx.extend(self.leave_held());
        // The undo countdown is on screen: redraw when its seconds change.
        changed |= self.pending.next_in_secs(before) != self.pending.next_in_secs(now);
        // The detail pane starts to say the selected order's detail is loading.
        let hint = self.loading_hint_at();
        changed |= self.current().is_none() && before < hint && now >= hint;
        // The deadlines in the list are in minutes at best.
        changed |= before / 60_000 != now / 60_000;
        self.dirty = changed;
        fx
    }

    /// Never lose work: every decision still in its undo window is sent, and every
    /// decision on its way is answered, before leaving.
    pub(in crate::tui) fn quit(&mut self) -> Vec<Effect> {
        self.quitting = true;
        self.deciding = None;
        let mut fx = Vec::new();
        if let Some(h) = self.live.held() {
            let order = h.order.clone();
            self.live.drop_hold(&order);
            if !self.pending.holds(&order) {
                fx.push(Effect::Release { order });
            }
        }
        for p in self.pending.take_all() {
            fx.push(self.send(p));
        }
        if self.in_flight.is_empty() {
            fx.push(Effect::Exit);
        }
        fx
    }
}
