//! The TUI's state and its one-way update: terminal and network events become
//! [`Action`]s, [`App::update`] is the only place state changes, and it returns
//! [`Effect`]s that run on tokio tasks and come back as actions (each with a request
//! number, so stale answers are dropped). Rendering reads the state; it never waits.

use super::i18n::L;
use super::input::Input;
use super::keymap::{Command, Keymap};
use super::theme::Theme;
use crate::config::Language;
use crate::domain::{Reason, Status};
use crate::queue::{
    Action as DecisionAction, CallPlan, Claim, Decision, DecisionOutcome, ListQuery, OrderDetail,
    OrderSummary, Page, QueueError, QueueStats, Sort,
};
use crate::rules::Severity;
use crate::rules::data::ReasonDef;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How the TUI is set up.
pub struct Settings {
    pub lang: Language,
    pub theme: Theme,
    pub keymap: Keymap,
    pub reviewer: String,
    /// How long a decision waits (and can be undone) before it is sent.
    pub undo_ms: i64,
    /// Orders fetched per page of the list.
    pub page_size: u32,
    /// The detail of a newly selected order is fetched once the selection rests this long.
    pub detail_debounce_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Queue,
    Findings,
    Subject,
    Sites,
    Materials,
    History,
}

pub const PANES: [Pane; 6] = [
    Pane::Queue,
    Pane::Findings,
    Pane::Subject,
    Pane::Sites,
    Pane::Materials,
    Pane::History,
];

impl Pane {
    pub fn label(self) -> L {
        match self {
            Pane::Queue => L::Queue,
            Pane::Findings => L::Findings,
            Pane::Subject => L::Subject,
            Pane::Sites => L::Sites,
            Pane::Materials => L::Materials,
            Pane::History => L::History,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Orders awaiting first review.
    Review,
    /// Rejected and bureau-rejected orders (leads' triage).
    Triage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Command,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonRow {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub selected: bool,
    /// What the applicant reads (editable).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RejectDialog {
    pub rows: Vec<ReasonRow>,
    pub cursor: usize,
    pub editing: Option<Input>,
    pub error: Option<L>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallTarget {
    /// `subject_leader`, `site_leader:<i>`, `emergency:<i>`.
    pub who: String,
    pub label: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallDialog {
    pub targets: Vec<CallTarget>,
    pub target: usize,
    pub when: Input,
    pub why: Input,
    /// 0 whom, 1 when, 2 why.
    pub field: usize,
    pub error: Option<L>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help,
    Approve {
        blocks: usize,
        note: Option<Input>,
        error: Option<L>,
    },
    Reject(RejectDialog),
    Call(CallDialog),
    Prompt {
        kind: PromptKind,
        input: Input,
    },
}

/// A decision waiting out its undo window.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub order: String,
    pub decision: Decision,
    pub key: String,
    pub deadline_ms: i64,
    pub label: L,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub until_ms: i64,
}

/// Everything that can happen to the TUI. (An order detail is large; actions are
/// moved once through a channel, so boxing it would buy nothing.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Action {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Time passes (drives the undo window, the detail debounce and toasts).
    Tick(i64),
    PageLoaded {
        req: u64,
        append: bool,
        result: Result<Page, QueueError>,
    },
    DetailLoaded {
        req: u64,
        result: Result<OrderDetail, QueueError>,
    },
    Decided {
        order: String,
        result: Result<DecisionOutcome, QueueError>,
    },
    Claimed {
        order: String,
        result: Result<Claim, QueueError>,
    },
    StatsLoaded(QueueStats),
    /// A signal asked us to stop (SIGTERM, SIGHUP).
    Terminate,
}

/// Work for the effect runner.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadPage {
        req: u64,
        query: ListQuery,
        append: bool,
    },
    LoadDetail {
        req: u64,
        id: String,
    },
    Decide {
        order: String,
        decision: Decision,
        key: String,
    },
    Claim {
        order: String,
    },
    Note {
        order: String,
        action: String,
        note: String,
    },
    LoadStats,
    Exit,
}

pub struct App {
    pub settings: Settings,
    pub now_ms: i64,
    pub view: View,
    pub query: ListQuery,
    pub items: Vec<OrderSummary>,
    pub next: Option<String>,
    pub selected: usize,
    pub list_req: u64,
    pub list_loading: bool,
    pub stats: QueueStats,
    pub detail: Option<OrderDetail>,
    pub detail_req: u64,
    /// The order whose detail is wanted, and when to fetch it.
    pub detail_due: Option<(String, i64)>,
    pub focus: Pane,
    pub site: usize,
    pub finding: usize,
    /// JSON path of the field to highlight in the detail panes.
    pub highlight: Option<String>,
    pub scroll: u16,
    /// The order whose personal data is shown unmasked.
    pub revealed: Option<String>,
    pub overlay: Option<Overlay>,
    pub pending: Option<Pending>,
    pub toast: Option<Toast>,
    pub reasons: Vec<ReasonDef>,
    pub size: (u16, u16),
    pub quitting: bool,
    /// Decisions sent to the queue whose answer has not come back yet.
    pub in_flight: usize,
    /// A signal asked us to stop: leave even if a decision fails (it is logged).
    pub terminating: bool,
    pub dirty: bool,
    seq: u64,
}

fn review_statuses() -> Vec<Status> {
    vec![Status::Pending, Status::Resubmitted, Status::AwaitingCall]
}

impl App {
    pub fn new(settings: Settings, reasons: Vec<ReasonDef>, now_ms: i64) -> App {
        let page_size = settings.page_size;
        App {
            settings,
            now_ms,
            view: View::Review,
            query: ListQuery {
                status: review_statuses(),
                limit: Some(page_size),
                ..Default::default()
            },
            items: Vec::new(),
            next: None,
            selected: 0,
            list_req: 0,
            list_loading: false,
            stats: QueueStats::default(),
            detail: None,
            detail_req: 0,
            detail_due: None,
            focus: Pane::Queue,
            site: 0,
            finding: 0,
            highlight: None,
            scroll: 0,
            revealed: None,
            overlay: None,
            pending: None,
            toast: None,
            reasons,
            size: (80, 24),
            quitting: false,
            in_flight: 0,
            terminating: false,
            dirty: true,
            seq: 0,
        }
    }

    /// English screen (domain values shown by their wire names).
    pub fn en(&self) -> bool {
        self.settings.lang == Language::En
    }

    pub fn t(&self, l: L) -> &'static str {
        l.text(self.settings.lang)
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// The first effects: load the list and the counts.
    pub fn start(&mut self) -> Vec<Effect> {
        vec![self.reload(), Effect::LoadStats]
    }

    fn reload(&mut self) -> Effect {
        self.list_req = self.next_seq();
        self.list_loading = true;
        let mut query = self.query.clone();
        query.cursor = None;
        Effect::LoadPage {
            req: self.list_req,
            query,
            append: false,
        }
    }

    pub fn selected_summary(&self) -> Option<&OrderSummary> {
        self.items.get(self.selected)
    }

    /// The detail shown, if it belongs to the selected order.
    pub fn current_detail(&self) -> Option<&OrderDetail> {
        let id = &self.selected_summary()?.id;
        self.detail.as_ref().filter(|d| &d.order.id == id)
    }

    fn toast(&mut self, text: impl Into<String>, error: bool) {
        self.toast = Some(Toast {
            text: text.into(),
            error,
            until_ms: self.now_ms + if error { 6000 } else { 3000 },
        });
    }

    fn select(&mut self, i: usize) -> Vec<Effect> {
        if self.items.is_empty() {
            return Vec::new();
        }
        let i = i.min(self.items.len() - 1);
        let mut fx = Vec::new();
        if i != self.selected || self.detail.is_none() {
            self.selected = i;
            self.site = 0;
            self.finding = 0;
            self.highlight = None;
            self.scroll = 0;
            let id = self.items[i].id.clone();
            self.detail_due = Some((id, self.now_ms + self.settings.detail_debounce_ms));
        }
        // Fetch the next page before the selection reaches the end of what is loaded.
        if !self.list_loading && self.selected + 10 >= self.items.len() && self.next.is_some() {
            self.list_req = self.next_seq();
            self.list_loading = true;
            let mut query = self.query.clone();
            query.cursor = self.next.clone();
            fx.push(Effect::LoadPage {
                req: self.list_req,
                query,
                append: true,
            });
        }
        fx
    }

    /// Apply an action; the only place state changes.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.dirty = true;
        match action {
            Action::Key(k) => self.on_key(k),
            Action::Resize(w, h) => {
                self.size = (w, h);
                Vec::new()
            }
            Action::Tick(now) => self.on_tick(now),
            Action::PageLoaded {
                req,
                append,
                result,
            } => {
                if req != self.list_req {
                    self.dirty = false;
                    return Vec::new();
                }
                self.list_loading = false;
                match result {
                    Ok(page) => {
                        let keep = self.selected_summary().map(|s| s.id.clone());
                        let kept = keep.clone();
                        if append {
                            self.items.extend(page.items);
                        } else {
                            self.items = page.items;
                        }
                        self.next = page.next;
                        let at = keep
                            .and_then(|id| self.items.iter().position(|s| s.id == id))
                            .unwrap_or(0);
                        // An appended page leaves the reader where they are.
                        let same = append
                            && self.detail.is_some()
                            && kept
                                .as_deref()
                                .is_some_and(|id| self.items.get(at).is_some_and(|s| s.id == id));
                        self.selected = if same { at } else { usize::MAX };
                        let mut fx = self.select(at);
                        if self.items.is_empty() {
                            self.selected = 0;
                            self.detail = None;
                        }
                        if !append {
                            fx.push(Effect::LoadStats);
                        }
                        fx
                    }
                    Err(e) => {
                        self.toast(format!("{}: {e}", self.t(L::Error)), true);
                        Vec::new()
                    }
                }
            }
            Action::DetailLoaded { req, result } => {
                if req != self.detail_req {
                    self.dirty = false;
                    return Vec::new();
                }
                match result {
                    Ok(d) => {
                        if let Some(s) = self.items.iter_mut().find(|s| s.id == d.order.id) {
                            s.version = d.version;
                            s.claim = d.claim.clone();
                        }
                        self.detail = Some(d);
                    }
                    Err(e) => self.toast(format!("{}: {e}", self.t(L::Error)), true),
                }
                Vec::new()
            }
            Action::Decided { order, result } => {
                self.in_flight = self.in_flight.saturating_sub(1);
                match result {
                    Ok(o) => {
                        let label = match o.status {
                            Status::Approved => L::Approved,
                            Status::Rejected => L::Rejected,
                            _ => L::CallScheduled,
                        };
                        self.toast(format!("{} {}", self.t(label), o.order), false);
                        if self.quitting {
                            return if self.in_flight == 0 {
                                vec![Effect::Exit]
                            } else {
                                Vec::new()
                            };
                        }
                        vec![self.reload()]
                    }
                    Err(e) => {
                        tracing::error!(%order, error = %e, "decision not applied");
                        self.toast(format!("{} {order}: {e}", self.t(L::Error)), true);
                        if self.quitting && self.terminating {
                            return if self.in_flight == 0 {
                                vec![Effect::Exit]
                            } else {
                                Vec::new()
                            };
                        }
                        // A reviewer who asked to quit stays to see the decision failed.
                        self.quitting = false;
                        vec![self.reload()]
                    }
                }
            }
            Action::Claimed { order, result } => {
                match result {
                    Ok(c) => {
                        if let Some(s) = self.items.iter_mut().find(|s| s.id == order) {
                            s.claim = Some(c);
                        }
                    }
                    Err(e) => self.toast(format!("{e}"), true),
                }
                Vec::new()
            }
            Action::StatsLoaded(s) => {
                self.stats = s;
                Vec::new()
            }
            Action::Terminate => {
                self.terminating = true;
                self.quit()
            }
        }
    }

    fn on_tick(&mut self, now: i64) -> Vec<Effect> {
        let before = std::mem::replace(&mut self.now_ms, now);
        let mut fx = Vec::new();
        let mut changed = false;
        if let Some(p) = &self.pending
            && now >= p.deadline_ms
        {
            let p = self.pending.take().expect("checked");
            self.in_flight += 1;
            fx.push(Effect::Decide {
                order: p.order,
                decision: p.decision,
                key: p.key,
            });
            changed = true;
        }
        if let Some((id, due)) = &self.detail_due
            && now >= *due
        {
            let id = id.clone();
            self.detail_due = None;
            self.detail_req = self.next_seq();
            fx.push(Effect::LoadDetail {
                req: self.detail_req,
                id,
            });
        }
        if self.toast.as_ref().is_some_and(|t| now >= t.until_ms) {
            self.toast = None;
            changed = true;
        }
        // The undo countdown is on screen: redraw when its seconds change.
        if let Some(p) = &self.pending {
            let left = |t: i64| ((p.deadline_ms - t).max(0) + 999) / 1000;
            changed |= left(before) != left(now);
        }
        // The ages in the list are in minutes at best.
        changed |= before / 60_000 != now / 60_000;
        self.dirty = changed;
        fx
    }

    fn quit(&mut self) -> Vec<Effect> {
        // Never lose work: a decision still in its undo window is sent, and every decision
        // on its way is answered, before leaving.
        self.quitting = true;
        let mut fx = Vec::new();
        if let Some(p) = self.pending.take() {
            self.in_flight += 1;
            fx.push(Effect::Decide {
                order: p.order,
                decision: p.decision,
                key: p.key,
            });
        }
        if self.in_flight == 0 {
            fx.push(Effect::Exit);
        }
        fx
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return self.quit();
        }
        if self.overlay.is_some() {
            return self.on_overlay_key(key);
        }
        let Some(cmd) = self.settings.keymap.lookup(&key) else {
            self.dirty = false;
            return Vec::new();
        };
        self.on_command(cmd)
    }

    fn move_by(&mut self, delta: i64) -> Vec<Effect> {
        match self.focus {
            Pane::Queue => {
                let i = (self.selected as i64 + delta)
                    .clamp(0, self.items.len().saturating_sub(1) as i64)
                    as usize;
                self.select(i)
            }
            Pane::Findings => {
                let n = self.current_detail().map_or(0, |d| d.findings.len());
                self.finding =
                    (self.finding as i64 + delta).clamp(0, n.saturating_sub(1) as i64) as usize;
                Vec::new()
            }
            Pane::Sites if delta.abs() == 1 && self.scroll == 0 && delta < 0 && self.site > 0 => {
                self.site -= 1;
                Vec::new()
            }
            _ => {
                self.scroll = (self.scroll as i64 + delta).max(0) as u16;
                Vec::new()
            }
        }
    }

    /// Rows of the list on screen (a page for ctrl-d / ctrl-u), as the layout draws it.
    fn page(&self) -> i64 {
        let body = self.size.1.saturating_sub(2);
        let list = if self.size.0 >= super::ui::WIDE {
            body
        } else {
            (body * 2 / 5).max(5)
        };
        i64::from(list.saturating_sub(3).max(1))
    }

    fn on_command(&mut self, cmd: Command) -> Vec<Effect> {
        match cmd {
            Command::Quit => self.quit(),
            Command::Help => {
                self.overlay = Some(Overlay::Help);
                Vec::new()
            }
            Command::CommandLine => {
                self.overlay = Some(Overlay::Prompt {
                    kind: PromptKind::Command,
                    input: Input::default(),
                });
                Vec::new()
            }
            Command::Search => {
                let q = self.query.q.clone().unwrap_or_default();
                self.overlay = Some(Overlay::Prompt {
                    kind: PromptKind::Search,
                    input: Input::with(&q),
                });
                Vec::new()
            }
            Command::Refresh => vec![self.reload()],
            Command::Down => self.move_by(1),
            Command::Up => self.move_by(-1),
            Command::PageDown => self.move_by(self.page()),
            Command::PageUp => self.move_by(-self.page()),
            Command::Top => self.move_by(-(1 << 30)),
            Command::Bottom => self.move_by(1 << 30),
            Command::NextPane | Command::PrevPane => {
                let i = PANES.iter().position(|p| *p == self.focus).unwrap_or(0);
                let n = PANES.len();
                let j = if cmd == Command::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.focus = PANES[j];
                self.scroll = 0;
                Vec::new()
            }
            Command::Back => {
                self.focus = Pane::Queue;
                self.highlight = None;
                Vec::new()
            }
            Command::Open => {
                if self.focus == Pane::Queue {
                    self.focus = Pane::Findings;
                }
                Vec::new()
            }
            Command::NextFlag | Command::PrevFlag => {
                let n = self.current_detail().map_or(0, |d| d.findings.len());
                if n > 0 {
                    let started = self.highlight.is_some();
                    self.finding = if cmd == Command::NextFlag {
                        if started {
                            (self.finding + 1) % n
                        } else {
                            self.finding.min(n - 1)
                        }
                    } else {
                        (self.finding + n - 1) % n
                    };
                    self.jump_to_finding();
                }
                Vec::new()
            }
            Command::JumpToField => {
                if self.focus == Pane::Queue {
                    self.focus = Pane::Findings;
                } else {
                    self.jump_to_finding();
                }
                Vec::new()
            }
            Command::SortNext => {
                self.query.sort = match self.query.sort {
                    Sort::Age => Sort::Findings,
                    Sort::Findings => Sort::Province,
                    Sort::Province => Sort::Age,
                };
                vec![self.reload()]
            }
            Command::Triage => self.set_view(View::Triage),
            Command::QueueView => self.set_view(View::Review),
            Command::Approve => self.open_approve(),
            Command::Reject => self.open_reject(),
            Command::Call => self.open_call(),
            Command::Undo => {
                if let Some(p) = self.pending.take() {
                    self.toast(format!("{} ({})", self.t(L::Undone), p.order), false);
                }
                Vec::new()
            }
            Command::Reveal => {
                let Some(id) = self.selected_summary().map(|s| s.id.clone()) else {
                    return Vec::new();
                };
                if self.revealed.as_deref() == Some(id.as_str()) {
                    self.revealed = None;
                    Vec::new()
                } else {
                    self.revealed = Some(id.clone());
                    self.toast(self.t(L::Revealed), false);
                    vec![Effect::Note {
                        order: id,
                        action: "reveal_personal_data".into(),
                        note: "id numbers and phones shown on screen".into(),
                    }]
                }
            }
            Command::Claim => match self.selected_summary() {
                Some(s) => vec![Effect::Claim {
                    order: s.id.clone(),
                }],
                None => Vec::new(),
            },
        }
    }

    fn set_view(&mut self, view: View) -> Vec<Effect> {
        self.view = view;
        self.query.status = match view {
            View::Review => review_statuses(),
            View::Triage => vec![Status::Rejected, Status::BureauRejected],
        };
        self.focus = Pane::Queue;
        vec![self.reload()]
    }

    /// Focus the pane of the selected finding and highlight its field.
    fn jump_to_finding(&mut self) {
        let Some(path) = self
            .current_detail()
            .and_then(|d| d.findings.get(self.finding))
            .map(|f| f.path.clone())
        else {
            return;
        };
        let (pane, site) = pane_of(&path);
        self.focus = pane;
        if let Some(i) = site {
            self.site = i;
        }
        self.scroll = 0;
        self.highlight = Some(path);
    }

    fn decidable(&mut self) -> Option<OrderSummary> {
        let s = self.selected_summary()?.clone();
        if self.pending.is_some() {
            return None;
        }
        if !s.status.awaits_reviewer() {
            self.toast(format!("{} {}", s.id, s.status.label(self.en())), true);
            return None;
        }
        Some(s)
    }

    fn open_approve(&mut self) -> Vec<Effect> {
        if self.decidable().is_none() || self.current_detail().is_none() {
            return Vec::new();
        }
        let blocks = self.current_detail().map_or(0, |d| {
            d.findings
                .iter()
                .filter(|f| f.severity == Severity::Block)
                .count()
        });
        self.overlay = Some(Overlay::Approve {
            blocks,
            note: None,
            error: None,
        });
        Vec::new()
    }

    fn open_reject(&mut self) -> Vec<Effect> {
        if self.decidable().is_none() {
            return Vec::new();
        }
        let Some(d) = self.current_detail() else {
            return Vec::new();
        };
        let blocking: Vec<&str> = d
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .map(|f| f.reason.as_str())
            .collect();
        let mut rows: Vec<ReasonRow> = self
            .reasons
            .iter()
            .map(|r| ReasonRow {
                code: r.code.clone(),
                zh: r.zh.clone(),
                en: r.en.clone(),
                selected: blocking.contains(&r.code.as_str()),
                text: r.zh.clone(),
            })
            .collect();
        // Pre-selected reasons first, in catalogue order.
        rows.sort_by_key(|r| !r.selected);
        self.overlay = Some(Overlay::Reject(RejectDialog {
            rows,
            cursor: 0,
            editing: None,
            error: None,
        }));
        Vec::new()
    }

    fn open_call(&mut self) -> Vec<Effect> {
        if self.decidable().is_none() {
            return Vec::new();
        }
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
        let when = next_call_slot(self.now_ms);
        self.overlay = Some(Overlay::Call(CallDialog {
            targets,
            target: 0,
            when: Input::with(&when),
            why: Input::with(&why.join(", ")),
            field: 0,
            error: None,
        }));
        Vec::new()
    }

    /// Start the undo window of a decision.
    fn stage(
        &mut self,
        decision_action: DecisionAction,
        reasons: Vec<Reason>,
        note: Option<String>,
        call: Option<CallPlan>,
        override_blocks: bool,
    ) -> Vec<Effect> {
        let Some(s) = self.selected_summary().cloned() else {
            return Vec::new();
        };
        let version = self.current_detail().map_or(s.version, |d| d.version);
        let label = match decision_action {
            DecisionAction::Approve => L::Approved,
            DecisionAction::Reject => L::Rejected,
            DecisionAction::ScheduleCall => L::CallScheduled,
        };
        let key = format!(
            "{}-{}-{}-{}",
            self.settings.reviewer, s.id, version, self.now_ms
        );
        self.pending = Some(Pending {
            order: s.id.clone(),
            decision: Decision {
                action: decision_action,
                expected_version: version,
                reasons,
                note,
                call,
                override_blocks,
            },
            key,
            deadline_ms: self.now_ms + self.settings.undo_ms,
            label,
        });
        self.overlay = None;
        // The reviewer moves on: select the next order right away.
        let next = (self.selected + 1).min(self.items.len().saturating_sub(1));
        self.select(next)
    }

    fn on_overlay_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(overlay) = self.overlay.take() else {
            return Vec::new();
        };
        let esc = key.code == KeyCode::Esc;
        match overlay {
            Overlay::Help => {
                if !(esc
                    || matches!(
                        key.code,
                        KeyCode::Char('q' | '?') | KeyCode::Enter | KeyCode::F(1)
                    ))
                {
                    self.overlay = Some(Overlay::Help);
                }
                Vec::new()
            }
            Overlay::Prompt { kind, mut input } => match key.code {
                KeyCode::Esc => Vec::new(),
                KeyCode::Enter => match kind {
                    PromptKind::Search => {
                        let q = input.text.trim().to_string();
                        self.query.q = (!q.is_empty()).then_some(q);
                        self.focus = Pane::Queue;
                        vec![self.reload()]
                    }
                    PromptKind::Command => self.run_command(&input.text),
                },
                _ => {
                    input.handle(&key);
                    self.overlay = Some(Overlay::Prompt { kind, input });
                    Vec::new()
                }
            },
            Overlay::Approve {
                blocks, mut note, ..
            } => {
                if let Some(n) = note.as_mut() {
                    return match key.code {
                        KeyCode::Esc => Vec::new(),
                        KeyCode::Enter if n.text.trim().is_empty() => {
                            self.overlay = Some(Overlay::Approve {
                                blocks,
                                note,
                                error: Some(L::NeedsNote),
                            });
                            Vec::new()
                        }
                        KeyCode::Enter => {
                            let text = n.text.trim().to_string();
                            self.stage(DecisionAction::Approve, Vec::new(), Some(text), None, true)
                        }
                        _ => {
                            n.handle(&key);
                            self.overlay = Some(Overlay::Approve {
                                blocks,
                                note,
                                error: None,
                            });
                            Vec::new()
                        }
                    };
                }
                match key.code {
                    KeyCode::Char('y' | 'Y') if blocks == 0 => {
                        self.stage(DecisionAction::Approve, Vec::new(), None, None, false)
                    }
                    KeyCode::Enter if blocks == 0 => {
                        self.stage(DecisionAction::Approve, Vec::new(), None, None, false)
                    }
                    KeyCode::Char('o') if blocks > 0 => {
                        self.overlay = Some(Overlay::Approve {
                            blocks,
                            note: Some(Input::default()),
                            error: None,
                        });
                        Vec::new()
                    }
                    // Anything else, N and Esc included, cancels: "no" is the default.
                    _ => Vec::new(),
                }
            }
            Overlay::Reject(mut d) => {
                if let Some(mut ed) = d.editing.take() {
                    match key.code {
                        KeyCode::Enter => {
                            if let Some(r) = d.rows.get_mut(d.cursor) {
                                r.text = ed.text.clone();
                                r.selected = true;
                            }
                        }
                        KeyCode::Esc => {}
                        _ => {
                            ed.handle(&key);
                            d.editing = Some(ed);
                        }
                    }
                    self.overlay = Some(Overlay::Reject(d));
                    return Vec::new();
                }
                match key.code {
                    KeyCode::Esc => return Vec::new(),
                    KeyCode::Char('j') | KeyCode::Down => {
                        d.cursor = (d.cursor + 1).min(d.rows.len().saturating_sub(1))
                    }
                    KeyCode::Char('k') | KeyCode::Up => d.cursor = d.cursor.saturating_sub(1),
                    KeyCode::Char(' ') => {
                        if let Some(r) = d.rows.get_mut(d.cursor) {
                            r.selected = !r.selected;
                        }
                    }
                    KeyCode::Char('e') => {
                        d.editing = d.rows.get(d.cursor).map(|r| Input::with(&r.text))
                    }
                    KeyCode::Char(c @ '1'..='9') => {
                        let i = (c as usize) - ('1' as usize);
                        if let Some(r) = d.rows.get_mut(i) {
                            r.selected = !r.selected;
                            d.cursor = i;
                        }
                    }
                    KeyCode::Enter => {
                        let reasons: Vec<Reason> = d
                            .rows
                            .iter()
                            .filter(|r| r.selected)
                            .map(|r| Reason {
                                code: r.code.clone(),
                                text: r.text.clone(),
                            })
                            .collect();
                        if reasons.is_empty() {
                            d.error = Some(L::NeedsReason);
                        } else {
                            return self.stage(DecisionAction::Reject, reasons, None, None, false);
                        }
                    }
                    _ => {}
                }
                self.overlay = Some(Overlay::Reject(d));
                Vec::new()
            }
            Overlay::Call(mut d) => {
                match key.code {
                    KeyCode::Esc => return Vec::new(),
                    KeyCode::Tab => d.field = (d.field + 1) % 3,
                    KeyCode::BackTab => d.field = (d.field + 2) % 3,
                    KeyCode::Enter => match parse_call_time(&d.when.text) {
                        None => d.error = Some(L::BadTime),
                        Some(t) if !crate::queue::time::within_working_hours(t) => {
                            d.error = Some(L::OutsideHours)
                        }
                        Some(t) if t.as_millisecond() <= self.now_ms => d.error = Some(L::PastTime),
                        Some(t) => {
                            let target = d.targets[d.target.min(d.targets.len() - 1)].clone();
                            let plan = CallPlan {
                                at: t
                                    .to_zoned(crate::queue::time::shanghai())
                                    .strftime("%Y-%m-%dT%H:%M:%S%:z")
                                    .to_string(),
                                who: target.who,
                                phone: target.phone,
                            };
                            let why = d.why.text.trim().to_string();
                            return self.stage(
                                DecisionAction::ScheduleCall,
                                Vec::new(),
                                (!why.is_empty()).then_some(why),
                                Some(plan),
                                false,
                            );
                        }
                    },
                    _ if d.field == 0 => match key.code {
                        KeyCode::Char('j') | KeyCode::Down => {
                            d.target = (d.target + 1).min(d.targets.len().saturating_sub(1))
                        }
                        KeyCode::Char('k') | KeyCode::Up => d.target = d.target.saturating_sub(1),
                        _ => {}
                    },
                    _ => {
                        let field = if d.field == 1 {
                            &mut d.when
                        } else {
                            &mut d.why
                        };
                        field.handle(&key);
                        d.error = None;
                    }
                }
                self.overlay = Some(Overlay::Call(d));
                Vec::new()
            }
        }
    }

    /// `:` commands.
    fn run_command(&mut self, line: &str) -> Vec<Effect> {
        let mut words = line.split_whitespace();
        let cmd = words.next().unwrap_or("");
        let arg = words.collect::<Vec<_>>().join(" ");
        match cmd {
            "q" | "quit" => self.quit(),
            "sort" => match Sort::parse(arg.trim()) {
                Some(s) => {
                    self.query.sort = s;
                    vec![self.reload()]
                }
                None => self.unknown(line),
            },
            "status" | "filter" => {
                let statuses: Option<Vec<Status>> = arg
                    .split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(Status::parse)
                    .collect();
                match statuses {
                    Some(s) => {
                        self.query.status = s;
                        vec![self.reload()]
                    }
                    None => self.unknown(line),
                }
            }
            "province" => {
                let p = arg.trim().to_uppercase();
                self.query.province = (!p.is_empty()).then(|| {
                    if p.starts_with("CN-") {
                        p
                    } else {
                        format!("CN-{p}")
                    }
                });
                vec![self.reload()]
            }
            "type" => {
                let t = arg.trim();
                match (t.is_empty(), crate::domain::FilingType::parse(t)) {
                    (true, _) => {
                        self.query.filing_type = None;
                        vec![self.reload()]
                    }
                    (false, Some(ft)) => {
                        self.query.filing_type = Some(ft);
                        vec![self.reload()]
                    }
                    _ => self.unknown(line),
                }
            }
            "clear" => {
                self.query = ListQuery {
                    status: self.query.status.clone(),
                    sort: self.query.sort,
                    limit: self.query.limit,
                    ..Default::default()
                };
                vec![self.reload()]
            }
            "triage" => self.set_view(View::Triage),
            "review" => self.set_view(View::Review),
            "lang" => {
                self.settings.lang = if arg.trim().starts_with("en") {
                    Language::En
                } else {
                    Language::Zh
                };
                Vec::new()
            }
            "theme" => {
                self.settings.theme = match arg.trim() {
                    "light" => Theme::light(),
                    "mono" => Theme::mono(),
                    _ => Theme::dark(),
                };
                Vec::new()
            }
            "" => Vec::new(),
            _ => self.unknown(line),
        }
    }

    fn unknown(&mut self, line: &str) -> Vec<Effect> {
        let shown = crate::domain::safe::sanitize(line).into_owned();
        self.toast(format!("{}: {shown}", self.t(L::UnknownCommand)), true);
        Vec::new()
    }
}

/// Which pane shows a JSON path (and which site, for `sites[i]…`).
pub fn pane_of(path: &str) -> (Pane, Option<usize>) {
    if let Some(rest) = path.strip_prefix("sites[") {
        let i = rest.split(']').next().and_then(|n| n.parse().ok());
        return (Pane::Sites, i);
    }
    if path.starts_with("materials") {
        return (Pane::Materials, None);
    }
    if path.starts_with("history") {
        return (Pane::History, None);
    }
    (Pane::Subject, None)
}

/// The next half hour inside working hours, as `YYYY-MM-DD HH:MM` (Asia/Shanghai).
pub fn next_call_slot(now_ms: i64) -> String {
    let tz = crate::queue::time::shanghai();
    let mut t = jiff::Timestamp::from_millisecond(now_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let step = jiff::SignedDuration::from_mins(30);
    for _ in 0..(2 * 24 * 10) {
        t = t.checked_add(step).unwrap_or(t);
        let z = t.to_zoned(tz.clone());
        let rounded = z
            .with()
            .minute(if z.minute() < 30 { 0 } else { 30 })
            .second(0)
            .subsec_nanosecond(0)
            .build();
        if let Ok(r) = rounded
            && crate::queue::time::within_working_hours(r.timestamp())
            && r.timestamp().as_millisecond() > now_ms
        {
            return r.strftime("%Y-%m-%d %H:%M").to_string();
        }
    }
    String::new()
}

/// Read `YYYY-MM-DD HH:MM` in Asia/Shanghai (or a full RFC 3339 time).
pub fn parse_call_time(s: &str) -> Option<jiff::Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t);
    }
    let dt = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", s).ok()?;
    dt.to_zoned(crate::queue::time::shanghai())
        .ok()
        .map(|z| z.timestamp())
}
