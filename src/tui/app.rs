//! The TUI's state. [`App::update`] (in `update/`) is the only place it changes; views
//! read it through the accessors here. Fields are private to the TUI.

use super::command::{Command, ViewKind, Vocabulary};
use super::keymap::{Keymap, Layer};
use super::overlay::Overlay;
use super::safe::Safe;
use super::state::{DetailState, Live, Loaded, Pane, Pending, PendingQueue, Session};
use super::text::L;
use super::theme::Theme;
use super::view::agenda::AgendaState;
use super::view::stats::StatsState;
use super::view::triage::TriageState;
use super::view::{Row, Screen, ViewState};
use crate::config::Language;
use crate::domain::calendar::WorkCalendar;
use crate::queue::{OrderDetail, OrderSummary, QueueStats};
use crate::rules::data::ReasonDef;
use std::collections::BTreeMap;

/// Where the selection goes after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AfterDecision {
    /// The next order below that has no decision waiting (a clean order takes two keys).
    #[default]
    NextUndecided,
    /// Stay on the decided order.
    Stay,
}

/// How the selected row of a list is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Selection {
    /// `▶` and the order id in the selection colours: a move repaints two ids.
    #[default]
    Marker,
    /// The whole row in the selection colours: a move repaints two rows.
    Row,
}

/// How material pictures are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Images {
    /// Ask the terminal at start: kitty, sixel or iTerm2 graphics if it has them, else
    /// half-blocks.
    #[default]
    Auto,
    /// Unicode half-blocks only (any terminal, SSH, tmux).
    Halfblocks,
}

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
    /// The detail of a newly selected order is fetched once the selection rests this long
    /// (not at start: the first order shows at once).
    pub detail_debounce_ms: i64,
    pub after_decision: AfterDecision,
    pub selection: Selection,
    /// Working days a first review may take.
    pub review_days: u32,
    /// Province codes (`CN-BJ`) the `:province` filter accepts.
    pub provinces: Vec<String>,
    /// Theme names `:theme` accepts, and the config's role overrides.
    pub themes: Vec<String>,
    pub colors: BTreeMap<String, String>,
    pub calendar: &'static WorkCalendar,
    /// How pictures reach the terminal: kitty, sixel or iTerm2 where the terminal answers
    /// for them, Unicode half-blocks everywhere else.
    pub picker: ratatui_image::picker::Picker,
    pub images: Images,
    /// Whether the local user is a lead (reopen, reassign). On the embedded store the
    /// local user is.
    pub lead: bool,
    /// Where exports (triage CSV, agenda iCalendar) are written.
    pub export_dir: std::path::PathBuf,
    /// The TUI runs on the reviewer's own machine (not served over SSH): only then may a
    /// material open in the desktop's viewer.
    pub local: bool,
}

impl Settings {
    /// Settings with the built-in keymap, theme, and calendar; `provinces` are the codes
    /// of the rule data (`CN-BJ`…).
    pub fn new(lang: Language, reviewer: &str, provinces: Vec<String>) -> Settings {
        let themes = Theme::names();
        let keymap = Keymap::new(
            &BTreeMap::new(),
            &Vocabulary {
                provinces: &provinces,
                themes: &themes,
            },
        )
        .expect("the built-in keymap is valid");
        Settings {
            lang,
            theme: Theme::dark(),
            keymap,
            reviewer: reviewer.to_string(),
            undo_ms: 5000,
            page_size: 100,
            detail_debounce_ms: 120,
            after_decision: AfterDecision::NextUndecided,
            selection: Selection::Marker,
            review_days: 2,
            provinces,
            themes,
            colors: BTreeMap::new(),
            calendar: WorkCalendar::embedded(),
            picker: ratatui_image::picker::Picker::halfblocks(),
            images: Images::Auto,
            lead: true,
            export_dir: std::path::PathBuf::from("."),
            local: true,
        }
    }
}

/// The picture of a material on screen (or on its way).
#[derive(Debug, Clone)]
pub struct Preview {
    pub(in crate::tui) order: String,
    pub(in crate::tui) material: String,
    pub(in crate::tui) image: Option<std::sync::Arc<image::DynamicImage>>,
    pub(in crate::tui) error: Option<String>,
}

impl Preview {
    pub fn material(&self) -> &str {
        &self.material
    }

    pub fn loaded(&self) -> bool {
        self.image.is_some()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub(in crate::tui) text: Safe<String>,
    pub(in crate::tui) error: bool,
    pub(in crate::tui) until_ms: i64,
}

impl Toast {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_error(&self) -> bool {
        self.error
    }
}

/// How long a detail's fetch may take, after the debounce, before the pane says it is
/// loading.
pub const LOADING_HINT_AFTER_FETCH_MS: i64 = 300;

pub struct App {
    pub(in crate::tui) settings: Settings,
    pub(in crate::tui) now_ms: i64,
    pub(in crate::tui) session: Session,
    pub(in crate::tui) views: Vec<ViewState>,
    pub(in crate::tui) active: ViewKind,
    pub(in crate::tui) stats: QueueStats,
    pub(in crate::tui) stats_req: u64,
    pub(in crate::tui) detail: DetailState,
    pub(in crate::tui) overlay: Option<Overlay>,
    pub(in crate::tui) pending: PendingQueue,
    /// Decisions sent whose answer has not come back: request → (order, idempotency key).
    pub(in crate::tui) in_flight: BTreeMap<u64, Pending>,
    /// The shared queue, live: others' changes, the claim held, the connection.
    pub(in crate::tui) live: Live,
    pub(in crate::tui) claim_req: u64,
    pub(in crate::tui) toast: Option<Toast>,
    pub(in crate::tui) reasons: Vec<ReasonDef>,
    pub(in crate::tui) size: (u16, u16),
    pub(in crate::tui) quitting: bool,
    /// A signal asked us to stop: leave even if a decision fails (it is logged).
    pub(in crate::tui) terminating: bool,
    pub(in crate::tui) dirty: bool,
    pub(in crate::tui) seq: u64,
    /// Lines run on the `:` line, oldest first (↑ recalls them).
    pub(in crate::tui) palette_history: Vec<String>,
    pub(in crate::tui) search_history: Vec<String>,
    /// Whether any detail was shown yet (the first one is fetched without a debounce).
    pub(in crate::tui) first_detail: bool,
    /// When the selection last moved to another order: the previous order's detail stays
    /// on screen under its own title until the new one comes, and the pane says it is
    /// loading only when that takes longer than [`App::loading_hint_at`].
    pub(in crate::tui) selection_moved_ms: i64,
    /// The demo orders of a first start are being imported (the empty list says so).
    pub(in crate::tui) seeding: bool,
    pub(in crate::tui) preview: Option<Preview>,
    /// The order (and version) a decision dialog was opened on.
    pub(in crate::tui) deciding: Option<(String, i64)>,
    pub(in crate::tui) preview_req: u64,
    /// The picture encoded for the terminal, for the area it was encoded for: made when
    /// first drawn at a size, reused by every frame after (a cache, not state).
    pub(in crate::tui) protocol:
        std::cell::RefCell<Option<(ratatui::layout::Rect, ratatui_image::protocol::Protocol)>>,
    pub(in crate::tui) triage: TriageState,
    pub(in crate::tui) agenda: AgendaState,
    pub(in crate::tui) report: StatsState,
    pub(in crate::tui) screen: Option<Screen>,
    /// Requests of reopen / reassign / call outcomes waiting for their answer.
    pub(in crate::tui) lead_reqs: std::collections::BTreeSet<u64>,
    /// Which of those are reassignments (the others reopen).
    pub(in crate::tui) reassigning: BTreeMap<u64, bool>,
    /// After a call's outcome: the order and the next step to open once it is shown.
    pub(in crate::tui) prefill: Option<(String, crate::domain::calls::NextStep)>,
    /// Who else is here and what each has open; whom this client follows.
    pub(in crate::tui) presence: super::state::Presences,
    pub(in crate::tui) presence_req: u64,
}

impl App {
    pub fn new(settings: Settings, reasons: Vec<ReasonDef>, now_ms: i64) -> App {
        let page_size = settings.page_size;
        let session = Session::new(&settings.reviewer);
        let settings_reviewer = settings.reviewer.clone();
        App {
            settings,
            now_ms,
            session,
            views: ViewKind::ALL
                .iter()
                .map(|k| ViewState::new(*k, page_size))
                .collect(),
            active: ViewKind::Review,
            stats: QueueStats::default(),
            stats_req: 0,
            detail: DetailState::default(),
            overlay: None,
            pending: PendingQueue::default(),
            in_flight: BTreeMap::new(),
            live: Live::default(),
            claim_req: 0,
            toast: None,
            reasons,
            size: (80, 24),
            quitting: false,
            terminating: false,
            dirty: true,
            seq: 0,
            palette_history: Vec::new(),
            search_history: Vec::new(),
            first_detail: true,
            selection_moved_ms: now_ms,
            seeding: false,
            preview: None,
            deciding: None,
            preview_req: 0,
            protocol: std::cell::RefCell::new(None),
            triage: TriageState::default(),
            agenda: AgendaState::default(),
            report: StatsState::default(),
            screen: None,
            lead_reqs: std::collections::BTreeSet::new(),
            reassigning: BTreeMap::new(),
            prefill: None,
            presence: super::state::Presences::new(&settings_reviewer),
            presence_req: 0,
        }
    }

    // ------------------------------------------------------------ accessors

    /// Others' presence, and whom this client follows.
    pub fn presence(&self) -> &super::state::Presences {
        &self.presence
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn lang(&self) -> Language {
        self.settings.lang
    }

    pub fn theme(&self) -> &Theme {
        &self.settings.theme
    }

    pub fn keymap(&self) -> &Keymap {
        &self.settings.keymap
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// When the detail pane starts to say that the selected order's detail is loading,
    /// if it has not come: a detail that comes within the debounce and a short fetch
    /// replaces the previous one in one frame, with no title flashing in between.
    pub fn loading_hint_at(&self) -> i64 {
        self.selection_moved_ms + self.settings.detail_debounce_ms + LOADING_HINT_AFTER_FETCH_MS
    }

    /// Whether the detail pane says so now.
    pub fn loading_hint(&self) -> bool {
        self.now_ms >= self.loading_hint_at()
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn view_kind(&self) -> ViewKind {
        self.active
    }

    pub fn view(&self) -> &ViewState {
        &self.views[self.active.index()]
    }

    pub(in crate::tui) fn view_mut(&mut self) -> &mut ViewState {
        &mut self.views[self.active.index()]
    }

    pub fn view_of(&self, kind: ViewKind) -> &ViewState {
        &self.views[kind.index()]
    }

    pub fn rows(&self) -> &[Row] {
        self.view().list().items()
    }

    pub fn selected(&self) -> usize {
        self.view().list().selected()
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.view().list().selected_item()
    }

    /// The selected order's id as the queue knows it.
    pub fn selected_id(&self) -> Option<&str> {
        self.selected_row().map(Row::id)
    }

    pub fn selected_summary(&self) -> Option<&OrderSummary> {
        self.selected_row().map(Row::summary)
    }

    pub fn stats(&self) -> &QueueStats {
        &self.stats
    }

    pub fn detail_state(&self) -> &DetailState {
        &self.detail
    }

    /// The loaded detail, if it belongs to the selected order.
    pub fn current(&self) -> Option<&Loaded> {
        let id = self.selected_id()?;
        self.detail.loaded().filter(|l| l.id() == id)
    }

    pub fn current_detail(&self) -> Option<&OrderDetail> {
        self.current().map(Loaded::detail)
    }

    pub fn focus(&self) -> Pane {
        self.detail.focus()
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn pending(&self) -> &PendingQueue {
        &self.pending
    }

    /// Decisions sent whose answer has not come back.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// The queue cannot be reached (since when, next try).
    pub fn offline(&self) -> Option<&super::state::live::Offline> {
        self.live.offline()
    }

    /// The claim this reviewer holds (order, until).
    pub fn held(&self) -> Option<&super::state::live::Held> {
        self.live.held()
    }

    pub fn preview(&self) -> Option<&Preview> {
        self.preview.as_ref()
    }

    pub fn toast(&self) -> Option<&Toast> {
        self.toast.as_ref()
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn quitting(&self) -> bool {
        self.quitting
    }

    /// Whether the screen needs drawing.
    pub fn dirty(&self) -> bool {
        self.dirty
    }

    pub fn mark_drawn(&mut self) {
        self.dirty = false;
    }

    pub fn triage(&self) -> &TriageState {
        &self.triage
    }

    pub fn agenda(&self) -> &AgendaState {
        &self.agenda
    }

    pub fn stats_screen(&self) -> &StatsState {
        &self.report
    }

    pub fn screen(&self) -> Option<Screen> {
        self.screen
    }

    pub fn reasons(&self) -> &[ReasonDef] {
        &self.reasons
    }

    /// A label in the screen's language.
    pub fn t(&self, l: L) -> &'static str {
        l.text(self.settings.lang)
    }

    /// Label `l` about a person: `{who}` is `who` (a name from the queue, made safe
    /// here), and `{key}` the global key of the command `key_of`, for labels that name one.
    pub fn about(&self, l: L, who: &str, key_of: Option<&str>) -> String {
        let who = super::safe::Safe::text(who);
        let key = key_of.map(|run| super::ui::key_text(self, Layer::Global, run));
        let mut values = vec![("who", who.as_str())];
        if let Some(k) = &key {
            values.push(("key", k.as_str()));
        }
        super::text::fill(self.t(l), &values)
    }

    pub fn en(&self) -> bool {
        self.settings.lang == Language::En
    }

    /// The layers a key goes through now (the overlay's, or the focused pane's then global).
    pub fn layers(&self) -> Vec<Layer> {
        match &self.overlay {
            Some(o) => o.layers(),
            None => match self.screen {
                Some(Screen::Agenda) => vec![Layer::Agenda, Layer::Global],
                Some(Screen::Stats) => vec![Layer::Stats, Layer::Global],
                None if self.focus() == Pane::Queue && self.active == ViewKind::Triage => {
                    vec![Layer::Triage, Layer::Queue, Layer::Global]
                }
                None => vec![
                    if self.focus() == Pane::Queue {
                        Layer::Queue
                    } else {
                        Layer::Detail
                    },
                    Layer::Global,
                ],
            },
        }
    }

    pub(in crate::tui) fn vocabulary(&self) -> Vocabulary<'_> {
        Vocabulary {
            provinces: &self.settings.provinces,
            themes: &self.settings.themes,
        }
    }

    pub(in crate::tui) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    pub(in crate::tui) fn say(&mut self, text: impl AsRef<str>, error: bool) {
        self.toast = Some(Toast {
            text: Safe::text(text.as_ref()),
            error,
            until_ms: self.now_ms + if error { 6000 } else { 3000 },
        });
    }

    /// Show a message (for the caller that starts the app: a journal that cannot open).
    pub fn notice(&mut self, l: L, error: bool) {
        self.say(self.t(l), error);
        if let Some(t) = self.toast.as_mut() {
            t.until_ms = self.now_ms + 15_000;
        }
    }

    /// The command a key would run now, if any (for tests and hints).
    pub fn command_for(&self, key: &crossterm::event::KeyEvent) -> Option<Command> {
        self.settings.keymap.resolve(&self.layers(), key).cloned()
    }
}
