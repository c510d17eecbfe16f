//! Views: each a list of orders with its own filters, search and selection (switching
//! views keeps each one's own). The review queue and the leads' triage today.

pub mod agenda;
pub mod review;
pub mod stats;
pub mod triage;

/// A full screen over the lists (the agenda, the stats), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Agenda,
    Stats,
}

use super::command::ViewKind;
use super::safe::Safe;
use super::state::{Keyed, ListState};
use crate::domain::Status;
use crate::queue::{ListQuery, OrderSummary};

/// A row of a list: the order's summary (safe to show) and what is derived from it when it
/// is loaded, not per frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The order's id as the queue knows it (effects use it; the screen shows the safe one).
    id: String,
    summary: Safe<OrderSummary>,
    /// When the first review is due (working days after submission).
    deadline_ms: i64,
}

impl Row {
    pub fn new(id: String, summary: Safe<OrderSummary>, deadline_ms: i64) -> Row {
        Row {
            id,
            summary,
            deadline_ms,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn summary(&self) -> &OrderSummary {
        &self.summary
    }

    pub fn deadline_ms(&self) -> i64 {
        self.deadline_ms
    }

    pub(in crate::tui) fn set_claim(
        &mut self,
        claim: Safe<Option<crate::queue::Claim>>,
        version: i64,
    ) {
        self.summary.put(claim, |s, c| {
            s.claim = c;
            s.version = version;
        });
    }
}

impl Keyed for Row {
    fn key(&self) -> &str {
        &self.id
    }
}

/// One view's list and filters.
#[derive(Debug, Clone)]
pub struct ViewState {
    kind: ViewKind,
    pub(in crate::tui) query: ListQuery,
    pub(in crate::tui) list: ListState<Row>,
}

impl ViewState {
    pub fn new(kind: ViewKind, page_size: u32) -> ViewState {
        ViewState {
            kind,
            query: ListQuery {
                status: default_statuses(kind),
                limit: Some(page_size),
                ..Default::default()
            },
            list: ListState::default(),
        }
    }

    pub fn kind(&self) -> ViewKind {
        self.kind
    }

    pub fn query(&self) -> &ListQuery {
        &self.query
    }

    pub fn list(&self) -> &ListState<Row> {
        &self.list
    }

    /// Every filter back to the view's own (statuses, no province, type or search).
    pub fn clear_filters(&mut self) {
        self.query = ListQuery {
            status: default_statuses(self.kind),
            sort: self.query.sort,
            limit: self.query.limit,
            ..Default::default()
        };
    }

    /// Whether the statuses are other than the view's own.
    pub fn status_filtered(&self) -> bool {
        self.query.status != default_statuses(self.kind)
    }
}

/// The statuses a view lists by default.
pub fn default_statuses(kind: ViewKind) -> Vec<Status> {
    match kind {
        ViewKind::Review => review::STATUSES.to_vec(),
        ViewKind::Triage => triage::STATUSES.to_vec(),
    }
}
