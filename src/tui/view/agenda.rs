//! The call agenda screen: scheduled calls around today, by Shanghai day, the selected
//! one, and which orders have a call overdue (flagged in the queue list).

use crate::agenda::AgendaDay;
use crate::domain::calls::CallDue;
use crate::queue::CallEntry;
use std::collections::BTreeSet;

/// Days before and after today the agenda loads.
pub const AGENDA_DAYS: i64 = 14;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgendaState {
    calls: Vec<CallEntry>,
    days: Vec<AgendaDay>,
    pub(in crate::tui) req: u64,
    pub(in crate::tui) selected: usize,
    pub(in crate::tui) loaded: bool,
    /// Orders with a call past its window and no outcome.
    overdue: BTreeSet<String>,
}

impl AgendaState {
    /// The calls in agenda order (by day, then time).
    pub fn calls(&self) -> impl Iterator<Item = &CallEntry> {
        self.days.iter().flat_map(|d| d.calls.iter())
    }

    pub fn days(&self) -> &[AgendaDay] {
        &self.days
    }

    pub fn len(&self) -> usize {
        self.calls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    pub fn loaded(&self) -> bool {
        self.loaded
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_call(&self) -> Option<&CallEntry> {
        self.calls().nth(self.selected)
    }

    /// Whether the order has a call overdue.
    pub fn is_overdue(&self, order: &str) -> bool {
        self.overdue.contains(order)
    }

    pub(in crate::tui) fn set_calls(&mut self, calls: Vec<CallEntry>, now_ms: i64) {
        self.days = crate::agenda::by_day(&calls);
        self.calls = calls;
        self.loaded = true;
        self.selected = self.selected.min(self.calls.len().saturating_sub(1));
        self.refresh(now_ms);
    }

    /// Recompute the overdue set (time passed).
    pub(in crate::tui) fn refresh(&mut self, now_ms: i64) {
        self.overdue = self
            .calls
            .iter()
            .filter(|c| crate::agenda::due(c, now_ms) == CallDue::Overdue)
            .map(|c| c.order.clone())
            .collect();
    }

    pub(in crate::tui) fn move_by(&mut self, delta: i64) {
        let n = self.calls.len() as i64;
        if n == 0 {
            return;
        }
        self.selected = (self.selected as i64 + delta).clamp(0, n - 1) as usize;
    }

    /// Select the first call not yet done that is due now or overdue (else the first).
    pub(in crate::tui) fn select_first_open(&mut self, now_ms: i64) {
        let first = self
            .calls()
            .position(|c| {
                matches!(
                    crate::agenda::due(c, now_ms),
                    CallDue::DueNow | CallDue::Overdue
                )
            })
            .unwrap_or(0);
        self.selected = first;
    }
}
