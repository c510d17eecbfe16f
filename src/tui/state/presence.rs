//! Who else is here: the presence reports of others (what each has open), what this
//! client last reported, and whom it follows. Presence is never a lock; it only shows.

use crate::queue::presence::{Presence, REFRESH, Viewing};
use std::collections::BTreeMap;

/// Wait this long after a change before reporting it (moving through the list reports
/// where the selection rests, not every row passed).
pub const PUBLISH_AFTER_MS: i64 = 250;

/// Following someone: their reports drive what this client shows until the follower
/// moves on their own (paused) or stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Following {
    pub name: String,
    pub paused: bool,
}

/// Another person's report as this client holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub presence: Presence,
    /// When it lapses on this client's clock (report received + its time to live).
    pub expires_ms: i64,
}

#[derive(Debug, Clone, Default)]
pub struct Presences {
    me: String,
    others: BTreeMap<String, Seen>,
    /// What was last reported, and when.
    published: Option<(Viewing, i64)>,
    /// A changed view waits until then to be reported.
    due_ms: Option<i64>,
    following: Option<Following>,
    /// This client (a follower) asks for the controls.
    asking: bool,
}

impl Presences {
    pub fn new(me: &str) -> Presences {
        Presences {
            me: me.to_string(),
            ..Presences::default()
        }
    }

    /// A report arrived (`now`: this client's clock). Own reports (another session of the
    /// same person) are not "others". True when what is shown changes.
    pub fn seen(&mut self, p: Presence, now: i64) -> bool {
        if p.name == self.me {
            return false;
        }
        if p.gone(p.at_ms.max(0)) {
            return self.others.remove(&p.name).is_some();
        }
        let expires_ms = now + p.ttl().as_millis() as i64;
        let before = self.others.get(&p.name).map(|s| &s.presence.viewing);
        let changed = before != Some(&p.viewing);
        self.others.insert(
            p.name.clone(),
            Seen {
                presence: p,
                expires_ms,
            },
        );
        changed
    }

    /// Everyone standing now, replacing what was known (a fresh `GET /v1/presence`).
    pub fn replace(&mut self, all: Vec<Presence>, now: i64) {
        self.others.clear();
        for p in all {
            self.seen(p, now);
        }
    }

    /// Forget reports that lapsed. True when someone dropped out.
    pub fn expire(&mut self, now: i64) -> bool {
        let before = self.others.len();
        self.others.retain(|_, s| s.expires_ms > now);
        self.others.len() != before
    }

    pub fn others(&self) -> impl Iterator<Item = &Presence> {
        self.others.values().map(|s| &s.presence)
    }

    pub fn get(&self, name: &str) -> Option<&Presence> {
        self.others.get(name).map(|s| &s.presence)
    }

    /// Names of others who have `order` open or selected, by name.
    pub fn viewing(&self, order: &str) -> Vec<&str> {
        self.others()
            .filter(|p| {
                p.viewing.order.as_deref() == Some(order)
                    || p.viewing.selected.as_deref() == Some(order)
            })
            .map(|p| p.name.as_str())
            .collect()
    }

    /// Names of others following this client.
    pub fn followers(&self) -> Vec<&str> {
        self.others()
            .filter(|p| p.viewing.following.as_deref() == Some(self.me.as_str()))
            .map(|p| p.name.as_str())
            .collect()
    }

    pub fn following(&self) -> Option<&Following> {
        self.following.as_ref()
    }

    pub fn follow(&mut self, name: Option<String>) {
        self.asking = false;
        self.following = name.map(|name| Following {
            name,
            paused: false,
        });
    }

    pub fn asking(&self) -> bool {
        self.asking
    }

    pub fn set_asking(&mut self, on: bool) {
        self.asking = on && self.following.is_some();
    }

    /// The first of this client's followers who asks for the controls.
    pub fn asks_drive(&self) -> Option<&str> {
        self.others()
            .find(|p| {
                p.viewing.asks_drive && p.viewing.following.as_deref() == Some(self.me.as_str())
            })
            .map(|p| p.name.as_str())
    }

    pub fn set_paused(&mut self, paused: bool) {
        if let Some(f) = &mut self.following {
            f.paused = paused;
        }
    }

    /// What to report now, if anything: a view that changed (once it has rested
    /// [`PUBLISH_AFTER_MS`]), or the same view again when the last report is due for
    /// renewal.
    pub fn to_publish(&mut self, current: Viewing, now: i64) -> Option<Viewing> {
        match &self.published {
            Some((v, at)) if *v == current => {
                self.due_ms = None;
                if now - at >= REFRESH.as_millis() as i64 {
                    self.published = Some((current.clone(), now));
                    return Some(current);
                }
                None
            }
            _ => {
                // Following or asking for the controls changed: the queue must know at
                // once (it refuses a follower's decisions by the standing report).
                let urgent = self.published.as_ref().is_none_or(|(v, _)| {
                    v.following != current.following || v.asks_drive != current.asks_drive
                });
                let due = *self.due_ms.get_or_insert(now + PUBLISH_AFTER_MS);
                if urgent || now >= due {
                    self.due_ms = None;
                    self.published = Some((current.clone(), now));
                    return Some(current);
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str, order: Option<&str>, at: i64, ttl: i64) -> Presence {
        Presence {
            name: name.into(),
            viewing: Viewing {
                order: order.map(str::to_string),
                view: "queue".into(),
                ..Viewing::default()
            },
            at_ms: at,
            until_ms: at + ttl,
            seq: at,
        }
    }

    #[test]
    fn others_are_kept_until_they_leave_or_lapse_and_self_is_not_other() {
        let mut p = Presences::new("me");
        assert!(!p.seen(report("me", Some("A"), 0, 60_000), 0));
        assert!(p.seen(report("bob", Some("A"), 0, 60_000), 1_000));
        assert_eq!(p.viewing("A"), vec!["bob"]);
        // The same report again changes nothing on screen.
        assert!(!p.seen(report("bob", Some("A"), 5, 60_000), 2_000));
        // Lapses by this client's clock, from when it was received.
        assert!(!p.expire(61_000));
        assert!(p.expire(62_000));
        assert!(p.viewing("A").is_empty());
        // A report of leaving removes at once.
        p.seen(report("ann", Some("B"), 0, 60_000), 0);
        assert!(p.seen(report("ann", None, 10, 0), 10));
        assert_eq!(p.others().count(), 0);
    }

    #[test]
    fn a_view_is_reported_once_it_rests_and_renewed_before_it_lapses() {
        let mut p = Presences::new("me");
        let a = Viewing {
            order: Some("A".into()),
            ..Viewing::default()
        };
        let b = Viewing {
            order: Some("B".into()),
            ..Viewing::default()
        };
        // The first view goes out at once.
        assert_eq!(p.to_publish(a.clone(), 0), Some(a.clone()));
        assert_eq!(p.to_publish(a.clone(), 100), None);
        // A new view waits for the selection to rest.
        assert_eq!(p.to_publish(b.clone(), 1_000), None);
        assert_eq!(p.to_publish(b.clone(), 1_100), None);
        assert_eq!(p.to_publish(b.clone(), 1_250), Some(b.clone()));
        // Unchanged: renewed every REFRESH.
        assert_eq!(p.to_publish(b.clone(), 10_000), None);
        let renew = 1_250 + REFRESH.as_millis() as i64;
        assert_eq!(p.to_publish(b.clone(), renew), Some(b.clone()));
        // Following someone (or stopping) goes out at once.
        let following = Viewing {
            following: Some("王芳".into()),
            ..b
        };
        assert_eq!(p.to_publish(following.clone(), renew + 1), Some(following));
    }

    #[test]
    fn followers_are_those_whose_reports_follow_me() {
        let mut p = Presences::new("王芳");
        let mut r = report("李明", None, 0, 60_000);
        r.viewing.following = Some("王芳".into());
        p.seen(r, 0);
        p.seen(report("bob", None, 0, 60_000), 0);
        assert_eq!(p.followers(), vec!["李明"]);
    }
}
