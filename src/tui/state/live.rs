//! What the TUI knows of the shared queue beyond its own requests: whether the queue
//! answers (and when to try again), what others changed since an order was loaded, and
//! the claim this reviewer holds while deciding.

use crate::queue::Change;
use std::collections::HashMap;

/// Retry delays while the queue does not answer: 1 s, doubling, at most 30 s.
const BACKOFF_MS: [i64; 6] = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];

/// How long the list waits for more changes before reloading (a burst of decisions by
/// the desk costs one reload, and a change shows within a second).
pub const RELOAD_AFTER_MS: i64 = 300;

/// Renew a held claim this long before its lease runs out.
pub const RENEW_BEFORE_MS: i64 = 5 * 60 * 1000;

/// The queue stopped answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offline {
    pub since_ms: i64,
    pub retry_at_ms: i64,
    pub attempt: usize,
}

/// A claim this reviewer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub order: String,
    pub until_ms: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Live {
    offline: Option<Offline>,
    /// The newest change by someone else, per order (forgotten on resync).
    changes: HashMap<String, Change>,
    reload_at: Option<i64>,
    held: Option<Held>,
    /// Whether a subscription is delivering changes (so a reload is not needed to see them).
    subscribed: bool,
}

impl Live {
    pub fn offline(&self) -> Option<&Offline> {
        self.offline.as_ref()
    }

    /// A request failed for want of the queue: stay offline, retry later (each failure
    /// while offline waits longer).
    pub fn went_offline(&mut self, now: i64) {
        let attempt = self.offline.as_ref().map_or(0, |o| o.attempt + 1);
        let since_ms = self.offline.as_ref().map_or(now, |o| o.since_ms);
        let wait = BACKOFF_MS[attempt.min(BACKOFF_MS.len() - 1)];
        self.offline = Some(Offline {
            since_ms,
            retry_at_ms: now + wait,
            attempt,
        });
    }

    /// The queue answered. True when it had been offline.
    pub fn came_online(&mut self) -> bool {
        self.offline.take().is_some()
    }

    /// Whether it is time to try the queue again (moves the next try on by the backoff).
    pub fn retry_due(&mut self, now: i64) -> bool {
        match &self.offline {
            Some(o) if now >= o.retry_at_ms => {
                self.went_offline(now);
                true
            }
            _ => false,
        }
    }

    /// The milliseconds of the backoff the next retry waits.
    pub fn backoff_ms(attempt: usize) -> i64 {
        BACKOFF_MS[attempt.min(BACKOFF_MS.len() - 1)]
    }

    pub fn set_subscribed(&mut self, on: bool) {
        self.subscribed = on;
    }

    pub fn subscribed(&self) -> bool {
        self.subscribed
    }

    /// Remember someone else's change; the list reloads shortly.
    pub fn record(&mut self, change: Change, now: i64) {
        match self.changes.get(&change.order) {
            Some(c) if c.id >= change.id => {}
            _ => {
                self.changes.insert(change.order.clone(), change);
            }
        }
        self.reload_soon(now);
    }

    pub fn reload_soon(&mut self, now: i64) {
        if self.reload_at.is_none() {
            self.reload_at = Some(now + RELOAD_AFTER_MS);
        }
    }

    /// Whether the coalesced reload is due (and forget it).
    pub fn reload_due(&mut self, now: i64) -> bool {
        match self.reload_at {
            Some(at) if now >= at => {
                self.reload_at = None;
                true
            }
            _ => false,
        }
    }

    pub fn forget_changes(&mut self) {
        self.changes.clear();
    }

    /// Someone else's change to `order` after `version` (the version this reviewer read).
    pub fn changed_since(&self, order: &str, version: i64) -> Option<&Change> {
        self.changes.get(order).filter(|c| c.version > version)
    }

    pub fn held(&self) -> Option<&Held> {
        self.held.as_ref()
    }

    pub fn hold(&mut self, order: String, until_ms: i64) {
        self.held = Some(Held { order, until_ms });
    }

    /// Forget the claim on `order` (released, decided, or lost); returns whether it was held.
    pub fn drop_hold(&mut self, order: &str) -> bool {
        if self.held.as_ref().is_some_and(|h| h.order == order) {
            self.held = None;
            true
        } else {
            false
        }
    }

    /// The held order whose lease needs renewing now.
    pub fn renew_due(&self, now: i64) -> Option<&str> {
        self.held
            .as_ref()
            .filter(|h| now >= h.until_ms - RENEW_BEFORE_MS)
            .map(|h| h.order.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::ChangeKind;

    fn change(id: i64, order: &str, version: i64) -> Change {
        Change {
            id,
            kind: ChangeKind::Decided,
            order: order.into(),
            version,
            status: None,
            actor: "王芳".into(),
            at_ms: 0,
        }
    }

    #[test]
    fn backoff_doubles_and_stops_at_thirty_seconds() {
        let mut l = Live::default();
        let mut waits = Vec::new();
        let mut now = 0;
        for _ in 0..8 {
            l.went_offline(now);
            let o = l.offline().unwrap().clone();
            waits.push(o.retry_at_ms - now);
            now = o.retry_at_ms;
        }
        assert_eq!(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        assert!(l.came_online());
        assert!(!l.came_online());
    }

    #[test]
    fn retry_is_due_only_after_the_wait() {
        let mut l = Live::default();
        assert!(!l.retry_due(0));
        l.went_offline(0);
        assert!(!l.retry_due(999));
        assert!(l.retry_due(1000));
        assert!(!l.retry_due(1500), "the next try waits longer");
    }

    #[test]
    fn changes_coalesce_into_one_reload() {
        let mut l = Live::default();
        l.record(change(1, "A", 2), 0);
        l.record(change(2, "B", 3), 100);
        assert!(!l.reload_due(299));
        assert!(l.reload_due(300));
        assert!(!l.reload_due(400), "one reload for the burst");
    }

    #[test]
    fn only_newer_versions_count_as_changed() {
        let mut l = Live::default();
        l.record(change(5, "A", 3), 0);
        l.record(change(4, "A", 2), 0); // an older event arriving late changes nothing
        assert_eq!(l.changed_since("A", 2).map(|c| c.version), Some(3));
        assert!(l.changed_since("A", 3).is_none());
        assert!(l.changed_since("B", 0).is_none());
    }

    #[test]
    fn a_held_claim_is_renewed_before_it_runs_out() {
        let mut l = Live::default();
        l.hold("A".into(), 15 * 60_000);
        assert_eq!(l.renew_due(0), None);
        assert_eq!(l.renew_due(10 * 60_000), Some("A"));
        assert!(!l.drop_hold("B"));
        assert!(l.drop_hold("A"));
        assert_eq!(l.renew_due(20 * 60_000), None);
    }
}
