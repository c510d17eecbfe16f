//! The leads' work: the triage list (filters, marks, reopen, reassign, export), the call
//! agenda (outcomes with the desks' next step, iCalendar export) and the stats screen.

use super::super::app::App;
use super::super::command::{Command, ViewKind};
use super::super::effect::Effect;
use super::super::overlay::{Overlay, Palette, RejectDialog};
use super::super::text::L;
use super::super::view::Screen;
use super::super::view::agenda::AGENDA_DAYS;
use super::super::view::stats::STATS_DAYS;
use crate::domain::calls::{NextStep, reason_text};
use crate::queue::{CallClosed, CallEntry, DecisionOutcome, QueueError, TriageItem};
use crate::rules::data::ReasonDef;
use std::collections::BTreeSet;

const DAY_MS: i64 = 24 * 3600 * 1000;

impl App {
    /// Ask for the triage list (the triage view's reload).
    pub(in crate::tui) fn load_triage(&mut self) -> Effect {
        let req = self.next_seq();
        self.triage.req = req;
        self.views[ViewKind::Triage.index()].list.begin_load(req);
        Effect::LoadTriage { req }
    }

    pub(in crate::tui) fn load_calls(&mut self) -> Effect {
        let req = self.next_seq();
        self.agenda.req = req;
        Effect::LoadCalls {
            req,
            from_ms: self.now_ms - AGENDA_DAYS * DAY_MS,
            to_ms: self.now_ms + AGENDA_DAYS * DAY_MS,
        }
    }

    fn load_report(&mut self) -> Effect {
        let req = self.next_seq();
        self.report.req = req;
        let today = jiff::Timestamp::from_millisecond(self.now_ms)
            .map(|t| t.to_zoned(crate::queue::time::shanghai()).date())
            .unwrap_or(jiff::civil::Date::ZERO);
        let from = today
            .checked_sub(jiff::Span::new().days(STATS_DAYS - 1))
            .unwrap_or(today);
        Effect::LoadReport {
            req,
            from,
            to: today,
            review_days: self.settings.review_days,
        }
    }

    /// The triage rows from the loaded items and the filters.
    fn apply_triage(&mut self) {
        let province = self.views[ViewKind::Triage.index()].query.province.clone();
        self.triage.refresh(province.as_deref(), self.now_ms);
        let rows: Vec<_> = self
            .triage
            .shown()
            .iter()
            .filter_map(|i| self.row(i.summary.clone()))
            .collect();
        let ids: BTreeSet<&str> = rows.iter().map(|r| r.id()).collect();
        self.triage.retain_ids(&ids);
        let list = &mut self.views[ViewKind::Triage.index()].list;
        list.replace(rows, None);
        if self.active == ViewKind::Triage {
            self.selection_changed();
        }
    }

    pub(in crate::tui) fn on_triage(
        &mut self,
        req: u64,
        result: Result<Vec<TriageItem>, QueueError>,
    ) -> Vec<Effect> {
        if req != self.triage.req {
            self.dirty = false;
            return Vec::new();
        }
        let (unreachable, fx) = self.saw(&result);
        match result {
            Ok(items) => {
                self.triage.set_items(items);
                self.apply_triage();
            }
            Err(e) => {
                self.views[ViewKind::Triage.index()].list.load_failed();
                if !unreachable {
                    self.say(format!("{}: {e}", self.t(L::Error)), true);
                }
            }
        }
        fx
    }

    pub(in crate::tui) fn on_calls(
        &mut self,
        req: u64,
        result: Result<Vec<CallEntry>, QueueError>,
    ) -> Vec<Effect> {
        if req != self.agenda.req {
            self.dirty = false;
            return Vec::new();
        }
        let (unreachable, fx) = self.saw(&result);
        match result {
            Ok(calls) => {
                let first = !self.agenda.loaded();
                self.agenda.set_calls(calls, self.now_ms);
                if first {
                    self.agenda.select_first_open(self.now_ms);
                }
            }
            Err(_) if unreachable => {}
            Err(e) => self.say(format!("{}: {e}", self.t(L::Error)), true),
        }
        fx
    }

    pub(in crate::tui) fn on_report(
        &mut self,
        req: u64,
        result: Result<crate::report::Report, QueueError>,
    ) -> Vec<Effect> {
        if req != self.report.req {
            self.dirty = false;
            return Vec::new();
        }
        let (unreachable, fx) = self.saw(&result);
        match result {
            Ok(report) => self.report.report = Some(report),
            Err(_) if unreachable => {}
            Err(e) => self.say(format!("{}: {e}", self.t(L::Error)), true),
        }
        fx
    }

    /// The triage filters, the marks and the leads' actions; `None` for other commands.
    pub(in crate::tui) fn run_lead(&mut self, cmd: &Command) -> Option<Vec<Effect>> {
        let fx = match cmd {
            Command::Reviewer(r) => self.triage_filter(|t| t.reviewer = r.clone()),
            Command::Reason(r) => self.triage_filter(|t| t.reason = r.clone()),
            Command::MinAge(d) => self.triage_filter(|t| t.min_age_days = *d),
            Command::Mark | Command::MarkRange => {
                if self.active != ViewKind::Triage {
                    self.say(self.t(L::NotTriage), true);
                    return Some(Vec::new());
                }
                let row = self.selected();
                if *cmd == Command::Mark {
                    self.triage.toggle(row);
                    self.move_by(1)
                } else {
                    self.triage.mark_range(row);
                    Vec::new()
                }
            }
            Command::Reopen(note) => {
                self.reopen_or_reassign(false, note.clone().map(|n| (None, n)))
            }
            Command::Reassign(to) => {
                self.reopen_or_reassign(true, to.clone().map(|(who, n)| (Some(who), n)))
            }
            Command::Export => self.export_triage(),
            Command::Agenda => self.toggle_screen(Screen::Agenda),
            Command::Stats => self.toggle_screen(Screen::Stats),
            Command::Outcome(o) => self.record_outcome(*o),
            Command::ExportIcs => self.export_ics(),
            _ => return None,
        };
        Some(fx)
    }

    fn triage_filter(
        &mut self,
        f: impl FnOnce(&mut super::super::view::triage::TriageState),
    ) -> Vec<Effect> {
        f(&mut self.triage);
        if self.active != ViewKind::Triage {
            self.active = ViewKind::Triage;
            return vec![self.load_triage()];
        }
        self.apply_triage();
        Vec::new()
    }

    /// `None`: type the note (and reviewer) on the `:` line, pre-filled with the command.
    fn reopen_or_reassign(
        &mut self,
        reassign: bool,
        what: Option<(Option<String>, String)>,
    ) -> Vec<Effect> {
        if self.active != ViewKind::Triage {
            self.say(self.t(L::NotTriage), true);
            return Vec::new();
        }
        if !self.settings.lead {
            self.say(self.t(L::LeadOnly), true);
            return Vec::new();
        }
        let targets = self.triage.targets(self.selected());
        if targets.is_empty() {
            self.say(self.t(L::NothingMarked), true);
            return Vec::new();
        }
        let Some((to, note)) = what else {
            return self.ask_on_line(if reassign { "reassign " } else { "reopen " });
        };
        let mut fx = Vec::new();
        for order in targets {
            let req = self.next_seq();
            self.lead_reqs.insert(req);
            self.reassigning.insert(req, to.is_some());
            fx.push(match &to {
                None => Effect::Reopen {
                    req,
                    order,
                    note: note.clone(),
                },
                Some(who) => Effect::Reassign {
                    req,
                    order,
                    to: who.clone(),
                    note: note.clone(),
                },
            });
        }
        self.triage.marks.clear();
        fx
    }

    pub(in crate::tui) fn on_lead_done(
        &mut self,
        req: u64,
        order: String,
        result: Result<DecisionOutcome, QueueError>,
    ) -> Vec<Effect> {
        if !self.lead_reqs.remove(&req) {
            self.dirty = false;
            return Vec::new();
        }
        // A lead's action is not kept for later like a decision: its error is said even
        // when the queue is unreachable (the banner says that part).
        let (_, mut back) = self.saw(&result);
        match result {
            Ok(_) => {
                let what = if self.reassigning.remove(&req) == Some(true) {
                    self.t(L::Reassigned)
                } else {
                    self.t(L::Reopened)
                };
                self.say(
                    format!(
                        "{what} {}",
                        super::super::safe::Safe::text(&order).into_inner()
                    ),
                    false,
                );
            }
            Err(e) => self.say(format!("{}: {e}", self.t(L::Error)), true),
        }
        // The last answer reloads the list once.
        if self.lead_reqs.is_empty() {
            let mut fx = vec![self.load_triage(), self.load_stats()];
            if self.active != ViewKind::Triage {
                fx.push(self.reload());
            }
            back.extend(fx);
        }
        back
    }

    fn export_path(&self, ext: &str, what: &str) -> std::path::PathBuf {
        let stamp = jiff::Timestamp::from_millisecond(self.now_ms)
            .map(|t| {
                t.to_zoned(crate::queue::time::shanghai())
                    .strftime("%Y%m%d-%H%M%S")
                    .to_string()
            })
            .unwrap_or_default();
        self.settings
            .export_dir
            .join(format!("icp-review-{what}-{stamp}.{ext}"))
    }

    fn export_triage(&mut self) -> Vec<Effect> {
        if self.active != ViewKind::Triage {
            self.say(self.t(L::NotTriage), true);
            return Vec::new();
        }
        let rows = self.triage.export_rows();
        if rows.is_empty() {
            self.say(self.t(L::NothingMarked), true);
            return Vec::new();
        }
        let contents = super::super::view::triage::to_csv(&rows);
        vec![Effect::WriteFile {
            path: self.export_path("csv", "triage"),
            contents,
        }]
    }

    fn export_ics(&mut self) -> Vec<Effect> {
        let calls: Vec<CallEntry> = self.agenda.calls().cloned().collect();
        if calls.is_empty() {
            self.say(self.t(L::NoCalls), true);
            return Vec::new();
        }
        vec![Effect::WriteFile {
            path: self.export_path("ics", "calls"),
            contents: crate::agenda::to_ics(&calls, self.now_ms),
        }]
    }

    pub(in crate::tui) fn on_written(
        &mut self,
        path: String,
        result: Result<(), String>,
    ) -> Vec<Effect> {
        match result {
            Ok(()) => self.say(format!("{} {path}", self.t(L::Exported)), false),
            Err(e) => self.say(format!("{}: {e}", self.t(L::Error)), true),
        }
        Vec::new()
    }

    fn toggle_screen(&mut self, s: Screen) -> Vec<Effect> {
        if self.screen == Some(s) {
            self.screen = None;
            return Vec::new();
        }
        self.screen = Some(s);
        match s {
            Screen::Agenda => {
                // Opening the agenda starts at the first call to make now.
                self.agenda.loaded = false;
                vec![self.load_calls()]
            }
            Screen::Stats => vec![self.load_report()],
        }
    }

    /// Esc on a screen: back to the lists.
    pub(in crate::tui) fn leave_screen(&mut self) -> bool {
        self.screen.take().is_some()
    }

    /// j/k on the agenda.
    pub(in crate::tui) fn agenda_move(&mut self, delta: i64) -> bool {
        if self.screen != Some(Screen::Agenda) {
            return false;
        }
        self.agenda.move_by(delta);
        true
    }

    fn record_outcome(&mut self, outcome: crate::domain::CallOutcome) -> Vec<Effect> {
        let Some(c) = self.agenda.selected_call().filter(|c| c.outcome.is_none()) else {
            self.say(self.t(L::NoCallSelected), true);
            return Vec::new();
        };
        let order = c.order.clone();
        let req = self.next_seq();
        self.lead_reqs.insert(req);
        vec![Effect::CloseCall {
            req,
            order,
            outcome,
        }]
    }

    pub(in crate::tui) fn on_call_closed(
        &mut self,
        req: u64,
        order: String,
        result: Result<CallClosed, QueueError>,
    ) -> Vec<Effect> {
        if !self.lead_reqs.remove(&req) {
            self.dirty = false;
            return Vec::new();
        }
        let (_, back) = self.saw(&result);
        let closed = match result {
            Ok(c) => c,
            Err(e) => {
                self.say(format!("{}: {e}", self.t(L::Error)), true);
                let mut fx = back;
                fx.push(self.load_calls());
                return fx;
            }
        };
        let shown = super::super::safe::Safe::text(&order).into_inner();
        let mut fx = back;
        fx.extend([self.load_calls(), self.load_stats()]);
        match closed.next {
            NextStep::Retry(at) => {
                self.say(
                    format!(
                        "{shown}: {} {}",
                        self.t(L::NextRetry),
                        crate::domain::calls::slot_text(at)
                    ),
                    false,
                );
                if self.active == ViewKind::Review {
                    fx.push(self.reload());
                }
            }
            next => {
                // Back to the queue on the order, with the next step's dialog ready.
                self.screen = None;
                self.prefill = Some((order.clone(), next.clone()));
                let l = if next == NextStep::Approve {
                    L::NextApprove
                } else {
                    L::NextReject
                };
                self.say(format!("{shown}: {}", self.t(l)), false);
                self.active = ViewKind::Review;
                fx.push(self.reload());
            }
        }
        fx
    }

    /// The list arrived: select the order a call outcome left a next step for.
    pub(in crate::tui) fn select_prefill(&mut self) {
        let Some((order, _)) = &self.prefill else {
            return;
        };
        let order = order.clone();
        if self.active == ViewKind::Review
            && self.views[ViewKind::Review.index()].list.select_key(&order)
        {
            self.selection_changed();
        }
    }

    /// The detail arrived: open the pre-filled dialog if it is the order's.
    pub(in crate::tui) fn open_prefill(&mut self) -> Vec<Effect> {
        let Some((order, next)) = self.prefill.clone() else {
            return Vec::new();
        };
        if self.current().map(|l| l.id()) != Some(order.as_str()) || self.overlay.is_some() {
            return Vec::new();
        }
        self.prefill = None;
        match next {
            NextStep::Approve => self.open_approve(),
            NextStep::Reject(code) => {
                if self.decidable().is_none() {
                    return Vec::new();
                }
                let mut reasons = vec![ReasonDef {
                    code: code.to_string(),
                    zh: reason_text(code, false).to_string(),
                    en: reason_text(code, true).to_string(),
                    rules: Vec::new(),
                }];
                reasons.extend(self.reasons.iter().cloned());
                self.overlay = Some(Overlay::Reject(RejectDialog::new(&reasons, &[code])));
                Vec::new()
            }
            NextStep::Retry(_) => Vec::new(),
        }
    }

    /// The `:` line pre-filled with a command that needs words (a note, a reviewer).
    pub(in crate::tui) fn ask_on_line(&mut self, start: &str) -> Vec<Effect> {
        self.overlay = Some(Overlay::Palette(Palette::with_text(
            self.palette_history.clone(),
            start,
        )));
        Vec::new()
    }
}
