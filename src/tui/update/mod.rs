//! The one-way update: an [`Action`] changes the [`App`] and returns [`Effect`]s. A key
//! goes to the overlay if one is open, else through the focused view's keymap layer and
//! then the global one; the `:` line runs the same commands as the keys.

mod decision;
mod detail;
mod leads;
mod list;
mod live;
mod presence;
mod remote;

use super::action::Action;
use super::app::App;
use super::command::{Command, CommandError};
use super::effect::Effect;
use super::overlay::{Ctx, HelpOverlay, Outcome, Overlay, Palette, SearchPrompt};
use super::text::L;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    /// The first effects: load the list and the counts.
    pub fn start(&mut self) -> Vec<Effect> {
        let mut fx = vec![self.reload()];
        fx.push(self.load_stats());
        fx.push(Effect::Subscribe);
        fx.push(self.load_calls());
        fx.push(self.load_presence());
        fx
    }

    /// Apply an action; the only place state changes.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        // The event loop applies a batch of actions before it draws: an action that
        // changes nothing (a quiet tick, a stale answer) clears `dirty` for itself, but must
        // not cancel the frame an earlier action of the batch asked for (a key typed just
        // before a tick once opened the search prompt without showing it).
        let earlier = self.dirty;
        self.dirty = true;
        let effects = self.apply(action);
        self.dirty |= earlier;
        effects
    }

    fn apply(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(k) => self.on_key(k),
            Action::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Action::Tick(now) => {
                self.agenda.refresh(now);
                self.on_tick(now)
            }
            Action::TriageLoaded { req, result } => self.on_triage(req, result),
            Action::CallsLoaded { req, result } => self.on_calls(req, result),
            Action::ReportLoaded { req, result } => self.on_report(req, result),
            Action::LeadDone { req, order, result } => self.on_lead_done(req, order, result),
            Action::CallClosed { req, order, result } => self.on_call_closed(req, order, result),
            Action::Written { path, result } => self.on_written(path, result),
            Action::PresenceLoaded { req, result } => self.on_presence_loaded(req, result),
            Action::PageLoaded {
                req,
                append,
                result,
            } => {
                let mut fx = self.on_page(req, append, result);
                // A follower's list reloaded: the leader's row may be among it now.
                if self.presence.following().is_some_and(|f| !f.paused) {
                    fx.extend(self.mirror_leader());
                }
                fx
            }
            Action::DetailLoaded { req, result } => self.on_detail(req, result),
            Action::Decided { req, order, result } => self.on_decided(req, order, result),
            Action::Claimed { req, order, result } => self.on_claimed(req, order, result),
            Action::TookOver { req, order, result } => self.on_took_over(req, order, result),
            Action::Noted { req, order, result } => self.on_noted(req, order, result),
            Action::StatsLoaded { req, result } => self.on_stats(req, result),
            Action::PreviewLoaded { req, result, .. } => self.on_preview(req, result),
            Action::Opened { result } => {
                match result {
                    Ok(()) => self.say(self.t(L::Opened), false),
                    Err(e) => self.say(format!("{}: {e}", self.t(L::Error)), true),
                }
                Vec::new()
            }
            Action::Queue(ev) => self.on_queue_event(ev),
            Action::Seeded { result } => self.on_seeded(result),
            Action::Terminate => {
                self.terminating = true;
                self.quit()
            }
        }
    }

    /// The demo orders of a first start are being imported on a task: the screen says so
    /// (instead of staying blank) until [`Action::Seeded`] arrives.
    pub fn seeding_started(&mut self) {
        self.seeding = true;
        self.dirty = true;
    }

    fn on_seeded(&mut self, result: Result<usize, crate::queue::QueueError>) -> Vec<Effect> {
        self.seeding = false;
        if let Err(e) = result {
            self.say(format!("{}: {e}", self.t(L::SeedFailed)), true);
            return Vec::new();
        }
        // The first order shows at once, as at any start.
        self.first_detail = true;
        vec![self.reload(), self.load_stats()]
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Ctrl-C always leaves (after sending waiting decisions), whatever has focus.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return self.quit();
        }
        if let Some(mut overlay) = self.overlay.take() {
            let outcome = {
                let ctx = Ctx {
                    keymap: &self.settings.keymap,
                    now_ms: self.now_ms,
                    calendar: self.settings.calendar,
                    vocab: self.vocabulary(),
                };
                overlay.on_key(&key, &ctx)
            };
            return match outcome {
                Outcome::Stay => {
                    self.overlay = Some(overlay);
                    Vec::new()
                }
                Outcome::Ignored => {
                    self.overlay = Some(overlay);
                    self.dirty = false;
                    Vec::new()
                }
                Outcome::Close => {
                    if matches!(
                        overlay,
                        Overlay::Approve(_) | Overlay::Reject(_) | Overlay::Call(_)
                    ) {
                        // Cancelled: the claim goes back once the reviewer leaves the order.
                        self.deciding = None;
                    }
                    Vec::new()
                }
                Outcome::Decide(staged) => match self.refusal() {
                    // Changed or taken under the reviewer: nothing is sent, and the
                    // dialog (with what was typed) stays until they close it.
                    Some(why) => {
                        self.overlay = Some(overlay);
                        self.say(why, true);
                        Vec::new()
                    }
                    None => self.stage(staged),
                },
                Outcome::Search(q) => self.set_search(q),
                Outcome::Run(line) => self.run_line(&line),
                Outcome::Resend(e) => {
                    self.keep_recovering(overlay);
                    let label = match e.decision.action {
                        crate::queue::Action::Approve => L::Approved,
                        crate::queue::Action::Reject => L::Rejected,
                        crate::queue::Action::ScheduleCall => L::CallScheduled,
                    };
                    let p = super::state::Pending {
                        order: e.order,
                        decision: e.decision,
                        key: e.key,
                        deadline_ms: self.now_ms,
                        label,
                        kept: false,
                    };
                    vec![self.send(p)]
                }
                Outcome::Discard(key) => {
                    self.keep_recovering(overlay);
                    vec![Effect::Journal(super::effect::JournalOp::Discarded(key))]
                }
            };
        }
        let layers = self.layers();
        let Some(cmd) = self.settings.keymap.resolve(&layers, &key).cloned() else {
            self.dirty = false;
            return Vec::new();
        };
        // A key moves the day on: the last message has been seen.
        if self.toast.as_ref().is_some_and(|t| !t.error) {
            self.toast = None;
        }
        self.run(cmd)
    }

    /// Decisions the last session left unsent: offer them, one by one, before anything else.
    pub fn offer_unsent(&mut self, entries: Vec<crate::queue::journal::JournalEntry>) {
        if !entries.is_empty() {
            self.overlay = Some(Overlay::Recover(super::overlay::RecoverDialog::new(
                entries,
            )));
        }
    }

    fn keep_recovering(&mut self, overlay: Overlay) {
        if let Overlay::Recover(r) = &overlay
            && !r.is_empty()
        {
            self.overlay = Some(overlay);
        }
    }

    /// A `:` line: read it, remember it, run it.
    pub(in crate::tui) fn run_line(&mut self, line: &str) -> Vec<Effect> {
        if line.is_empty() {
            return Vec::new();
        }
        if self.palette_history.last().map(String::as_str) != Some(line) {
            self.palette_history.push(line.to_string());
        }
        match Command::parse(line, &self.vocabulary()) {
            Ok(cmd) => self.run(cmd),
            Err(CommandError::Unknown(name)) => {
                self.say(format!("{}: {name}", self.t(L::UnknownCommand)), true);
                Vec::new()
            }
            Err(CommandError::BadValue {
                command,
                value,
                expected,
            }) => {
                let mut shown = expected.join(" ");
                if shown.chars().count() > 60 {
                    shown = shown.chars().take(60).collect::<String>() + "…";
                }
                self.say(
                    format!(
                        "{} {command}: {value:?} · {}: {shown}",
                        self.t(L::UnknownValue),
                        self.t(L::Expected)
                    ),
                    true,
                );
                Vec::new()
            }
        }
    }

    /// Run a command of the vocabulary (from a key or the `:` line).
    pub(in crate::tui) fn run(&mut self, cmd: Command) -> Vec<Effect> {
        if let Some(fx) = self.run_presence(&cmd) {
            return fx;
        }
        if let Some(fx) = self.run_lead(&cmd) {
            return fx;
        }
        match cmd {
            Command::Quit => self.quit(),
            Command::Help => {
                self.overlay = Some(Overlay::Help(HelpOverlay::default()));
                Vec::new()
            }
            Command::Palette => {
                self.overlay = Some(Overlay::Palette(Palette::new(self.palette_history.clone())));
                Vec::new()
            }
            Command::Search => {
                let q = self.view().query().q.clone().unwrap_or_default();
                self.overlay = Some(Overlay::Search(SearchPrompt::new(
                    &q,
                    self.search_history.clone(),
                )));
                Vec::new()
            }
            Command::ClearSearch => self.set_search(String::new()),
            Command::Clear => self.clear_filters(),
            Command::Refresh => {
                let mut fx = vec![self.reload()];
                fx.push(self.load_stats());
                fx
            }
            Command::Down if self.agenda_move(1) => Vec::new(),
            Command::Up if self.agenda_move(-1) => Vec::new(),
            Command::Back if self.leave_screen() => Vec::new(),
            Command::Down => self.move_by(1),
            Command::Up => self.move_by(-1),
            Command::PageDown => self.move_by(self.page()),
            Command::PageUp => self.move_by(-self.page()),
            Command::Top => self.top(),
            Command::Bottom => self.bottom(),
            Command::NextPane => self.cycle_pane(1),
            Command::PrevPane => self.cycle_pane(-1),
            Command::Back => self.back(),
            Command::NextFlag => self.step_finding(true),
            Command::PrevFlag => self.step_finding(false),
            Command::Jump => self.jump(),
            Command::Sort(s) => self.set_sort(s),
            Command::View(v) => self.set_view(v),
            Command::Status(s) => self.set_status(s),
            Command::Province(p) => self.set_province(p),
            Command::Type(t) => self.set_type(t),
            Command::Lang(l) => {
                self.settings.lang = l;
                Vec::new()
            }
            Command::Theme(name) => {
                match super::theme::Theme::load(&name, &self.settings.colors) {
                    Ok(t) => self.settings.theme = t,
                    Err(e) => self.say(e.to_string(), true),
                }
                Vec::new()
            }
            Command::Approve => self.open_approve(),
            Command::Reject => self.open_reject(),
            Command::Call => self.open_call(),
            Command::Undo => self.undo(),
            Command::Reveal => self.reveal(),
            Command::Claim => self.claim(),
            Command::TakeOver => self.take_over(),
            Command::OpenMaterial => self.open_material(),
            Command::Compare => self.toggle_compare(),
            // Handled by `run_lead` above.
            Command::Mark
            | Command::MarkRange
            | Command::Reopen(_)
            | Command::Reassign(_)
            | Command::Export
            | Command::Reviewer(_)
            | Command::Reason(_)
            | Command::MinAge(_)
            | Command::Agenda
            | Command::Stats
            | Command::Outcome(_)
            | Command::ExportIcs => Vec::new(),
            // Handled by `run_presence` above.
            Command::Who
            | Command::Follow(_)
            | Command::Unfollow
            | Command::Resume
            | Command::Drive
            | Command::HandOver => Vec::new(),
            // Dialog and editing words mean nothing outside their layer.
            Command::Confirm
            | Command::Cancel
            | Command::Override
            | Command::Toggle
            | Command::Edit
            | Command::Pick(_)
            | Command::NextField
            | Command::PrevField
            | Command::Resend
            | Command::Discard
            | Command::CursorLeft
            | Command::CursorRight
            | Command::LineStart
            | Command::LineEnd
            | Command::DeleteBack
            | Command::DeleteForward
            | Command::KillLine
            | Command::Complete
            | Command::HistoryPrev
            | Command::HistoryNext => {
                self.dirty = false;
                Vec::new()
            }
        }
    }
}
