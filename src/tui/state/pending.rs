//! Decisions waiting out their undo window. They queue: the reviewer decides the next
//! order while earlier ones count down; `z` takes back the latest; each is sent when its
//! own window ends, and all are sent before the app quits.

use super::super::text::L;
use crate::queue::Decision;

#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub order: String,
    pub decision: Decision,
    /// Idempotency key: a retry never applies twice.
    pub key: String,
    pub deadline_ms: i64,
    pub label: L,
    /// Kept because the queue could not be reached: sent as soon as it answers again.
    pub kept: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PendingQueue {
    items: Vec<Pending>,
}

impl PendingQueue {
    pub fn push(&mut self, p: Pending) {
        self.items.push(p);
    }

    pub fn items(&self) -> &[Pending] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The latest decision, taken back.
    pub fn undo_latest(&mut self) -> Option<Pending> {
        self.items.pop()
    }

    /// Whether an order has a decision waiting.
    pub fn holds(&self, order: &str) -> bool {
        self.items.iter().any(|p| p.order == order)
    }

    /// The decisions whose window has ended, oldest first.
    pub fn due(&mut self, now_ms: i64) -> Vec<Pending> {
        let (due, keep): (Vec<Pending>, Vec<Pending>) =
            self.items.drain(..).partition(|p| now_ms >= p.deadline_ms);
        self.items = keep;
        due
    }

    /// Every decision, to be sent now (quitting).
    /// The decisions kept while offline are due now (the queue answers again).
    pub fn release_kept(&mut self, now_ms: i64) {
        for p in self.items.iter_mut().filter(|p| p.kept) {
            p.deadline_ms = p.deadline_ms.min(now_ms);
        }
    }

    pub fn take_all(&mut self) -> Vec<Pending> {
        std::mem::take(&mut self.items)
    }

    /// Seconds until the next one is sent.
    pub fn next_in_secs(&self, now_ms: i64) -> Option<i64> {
        self.items
            .iter()
            .map(|p| ((p.deadline_ms - now_ms).max(0) + 999) / 1000)
            .min()
    }
}
