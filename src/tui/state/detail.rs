//! The selected order's detail and where the reviewer is in it. What the panes derive
//! from the order (the change against the rejected version, the history of every
//! version, the counts) is computed once when the detail arrives, never per frame.

use super::super::safe::Safe;
use crate::domain::diff::{OrderDiff, ReasonCheck, check_reasons, diff_orders, previous_reasons};
use crate::domain::{Event, Order};
use crate::queue::OrderDetail;
use crate::rules::Severity;

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
    pub fn label(self) -> super::super::text::L {
        use super::super::text::L;
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

/// A loaded detail with what the panes derive from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The order's id as the queue knows it.
    id: String,
    detail: Safe<OrderDetail>,
    changes: OrderDiff,
    /// The previous rejection's reasons, each resolved or still present.
    reasons: Vec<ReasonCheck>,
    history: Vec<Event>,
    blocks: usize,
}

impl Loaded {
    pub fn new(id: String, detail: Safe<OrderDetail>) -> Loaded {
        let changes = detail
            .order
            .previous
            .as_deref()
            .map(|prev| diff_orders(prev, &detail.order))
            .unwrap_or_default();
        let reasons = if detail.order.previous.is_some() {
            check_reasons(&previous_reasons(&detail.order), &detail.findings)
        } else {
            Vec::new()
        };
        let history = merged_history(&detail.order);
        let blocks = detail
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .count();
        Loaded {
            id,
            detail,
            changes,
            reasons,
            history,
            blocks,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn detail(&self) -> &OrderDetail {
        &self.detail
    }

    pub fn order(&self) -> &Order {
        &self.detail.order
    }

    /// What changed since the rejected version (empty without one).
    pub fn changes(&self) -> &OrderDiff {
        &self.changes
    }

    /// The previous rejection's reasons, resolved or still present.
    pub fn reason_checks(&self) -> &[ReasonCheck] {
        &self.reasons
    }

    /// Every version's history, oldest first: our own decisions on earlier versions stay
    /// when the applicant resubmits.
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    pub fn blocks(&self) -> usize {
        self.blocks
    }

    pub fn warns(&self) -> usize {
        self.detail.findings.len() - self.blocks
    }
}

fn merged_history(o: &Order) -> Vec<Event> {
    let mut all: Vec<Event> = Vec::new();
    let mut cur = Some(o);
    let mut depth = 0;
    while let Some(v) = cur {
        for e in &v.history {
            if !all.contains(e) {
                all.push(e.clone());
            }
        }
        cur = v.previous.as_deref();
        depth += 1;
        if depth > 64 {
            break;
        }
    }
    all.sort_by_key(|e| e.at);
    all
}

/// Where the reviewer is in the detail.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailState {
    loaded: Option<Loaded>,
    req: u64,
    /// The order whose detail is wanted, and when to fetch it.
    due: Option<(String, i64)>,
    pub(in crate::tui) focus: Pane,
    pub(in crate::tui) site: usize,
    pub(in crate::tui) finding: usize,
    /// JSON path of the field to highlight.
    pub(in crate::tui) highlight: Option<String>,
    pub(in crate::tui) scroll: u16,
    /// The order whose personal data is shown unmasked (after its reveal was recorded).
    pub(in crate::tui) revealed: Option<String>,
    /// A reveal waiting for its audit note: (request, order).
    pub(in crate::tui) revealing: Option<(u64, String)>,
    /// The material under the cursor in the Materials pane.
    pub(in crate::tui) material: usize,
    /// The proving material is shown beside the fields.
    pub(in crate::tui) compare: bool,
}

impl Default for DetailState {
    fn default() -> Self {
        DetailState {
            loaded: None,
            req: 0,
            due: None,
            focus: Pane::Queue,
            site: 0,
            finding: 0,
            highlight: None,
            scroll: 0,
            revealed: None,
            revealing: None,
            material: 0,
            compare: false,
        }
    }
}

impl DetailState {
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    pub fn set_loaded(&mut self, l: Option<Loaded>) {
        self.loaded = l;
    }

    pub fn loaded_mut(&mut self) -> Option<&mut Loaded> {
        self.loaded.as_mut()
    }

    pub fn req(&self) -> u64 {
        self.req
    }

    pub fn due(&self) -> Option<&(String, i64)> {
        self.due.as_ref()
    }

    /// Ask for an order's detail at `at_ms` (a short debounce while the selection moves).
    pub fn want(&mut self, id: String, at_ms: i64) {
        self.due = Some((id, at_ms));
    }

    /// The wanted detail's id, if its time has come.
    pub fn take_due(&mut self, now_ms: i64) -> Option<String> {
        if self.due.as_ref().is_some_and(|(_, at)| now_ms >= *at) {
            return self.due.take().map(|(id, _)| id);
        }
        None
    }

    /// A detail request went out: answers to older ones are stale from now on.
    pub fn begin_load(&mut self, req: u64) {
        self.req = req;
    }

    /// A new order is selected: start at its top.
    pub fn reset_position(&mut self) {
        self.site = 0;
        self.finding = 0;
        self.highlight = None;
        self.scroll = 0;
        self.material = 0;
    }

    pub fn focus(&self) -> Pane {
        self.focus
    }

    pub fn site(&self) -> usize {
        self.site
    }

    pub fn finding(&self) -> usize {
        self.finding
    }

    pub fn highlight(&self) -> Option<&str> {
        self.highlight.as_deref()
    }

    pub fn scroll(&self) -> u16 {
        self.scroll
    }

    pub fn material(&self) -> usize {
        self.material
    }

    pub fn compare(&self) -> bool {
        self.compare
    }

    pub fn revealed(&self) -> Option<&str> {
        self.revealed.as_deref()
    }
}

impl Loaded {
    pub(in crate::tui) fn set_claim(&mut self, c: Safe<Option<crate::queue::Claim>>) {
        self.detail.put(c, |d, c| d.claim = c);
    }
}
