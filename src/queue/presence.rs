//! Presence (api.md 1.1): what each person has open right now. Every client reports what
//! it shows ([`Viewing`]) when that changes and every [`REFRESH`] otherwise; a report
//! lives [`TTL_MS`], so a client that stops reporting drops out by itself. Others see
//! it as marks on the queue list, "watched by" in the header, `:who`, and follow mode,
//! which shows what another person shows. Presence is never a lock: only a claim is.

use super::{QueueError, Result};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How long a report stands without being renewed.
pub const TTL_MS: i64 = 60_000;
/// How often a client renews its report when nothing changed.
pub const REFRESH: Duration = Duration::from_secs(20);

/// Longest id, name or filter a report may carry (they are shown to others).
const MAX_TEXT: usize = 256;
/// Longest view or pane name.
const MAX_WORD: usize = 32;

/// What a client shows: enough for another client to show the same (follow mode).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Viewing {
    /// The order whose detail is open, if one is.
    #[serde(default)]
    pub order: Option<String>,
    /// The screen: `queue`, `triage`, `calls`, `report`.
    #[serde(default)]
    pub view: String,
    /// The pane with the focus: `list`, `detail`, `materials`, ….
    #[serde(default)]
    pub pane: Option<String>,
    /// The order selected in the list.
    #[serde(default)]
    pub selected: Option<String>,
    /// How far the detail is scrolled (lines).
    #[serde(default)]
    pub scroll: u32,
    /// The list's search text.
    #[serde(default)]
    pub filter: Option<String>,
    /// Whom this client follows (a follower may look but not act).
    #[serde(default)]
    pub following: Option<String>,
    /// A follower asks the person it follows for the controls (`:drive`); they hand
    /// them over by following it in turn.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub asks_drive: bool,
}

impl Viewing {
    /// Refuse a report no client would send (over-long strings, control characters in
    /// names and ids); the error names the field.
    pub fn check(&self) -> Result<()> {
        let texts = [
            ("order", self.order.as_deref(), MAX_TEXT),
            ("view", Some(self.view.as_str()), MAX_WORD),
            ("pane", self.pane.as_deref(), MAX_WORD),
            ("selected", self.selected.as_deref(), MAX_TEXT),
            ("filter", self.filter.as_deref(), MAX_TEXT),
            ("following", self.following.as_deref(), MAX_TEXT),
        ];
        for (path, text, max) in texts {
            let Some(t) = text else { continue };
            if t.chars().count() > max {
                return Err(QueueError::Invalid {
                    path: Some(path.into()),
                    message: format!("at most {max} characters"),
                });
            }
            if t.chars().any(char::is_control) {
                return Err(QueueError::Invalid {
                    path: Some(path.into()),
                    message: "control characters are not allowed".into(),
                });
            }
        }
        if self
            .following
            .as_deref()
            .is_some_and(|f| f.trim().is_empty())
        {
            return Err(QueueError::Invalid {
                path: Some("following".into()),
                message: "name whom you follow, or leave it out".into(),
            });
        }
        Ok(())
    }
}

/// One person's latest report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Presence {
    pub name: String,
    pub viewing: Viewing,
    /// When it was reported (Unix ms, the queue's clock).
    pub at_ms: i64,
    /// When it lapses without a new report; at or before `at_ms`: the person left.
    pub until_ms: i64,
    /// Grows with every report (any person's): what a reader has seen up to.
    pub seq: i64,
}

impl Presence {
    /// The person left (or was never seen again before the report lapsed) as of `now_ms`.
    pub fn gone(&self, now_ms: i64) -> bool {
        self.until_ms <= self.at_ms || self.until_ms <= now_ms
    }
    /// How long the report stands from when it was reported.
    pub fn ttl(&self) -> Duration {
        Duration::from_millis(self.until_ms.saturating_sub(self.at_ms).max(0) as u64)
    }
}

/// Initials to mark a list row with: the first character of a Chinese name's given name
/// (the surname is one character, the given name what colleagues call each other), or
/// the first two letters of other names.
pub fn initials(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().filter(|c| !c.is_control()).collect();
    match chars.as_slice() {
        [] => "?".into(),
        [c] => c.to_string(),
        [first, rest @ ..] if is_han(*first) => rest[0].to_string(),
        [a, b, ..] => format!("{a}{b}"),
    }
}

/// A Han character (the CJK unified ideographs and their extensions).
fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_with_a_long_or_control_field_is_refused_by_its_path() {
        let ok = Viewing {
            order: Some("ICP-1".into()),
            view: "queue".into(),
            ..Viewing::default()
        };
        assert!(ok.check().is_ok());
        let long = Viewing {
            filter: Some("x".repeat(MAX_TEXT + 1)),
            ..ok.clone()
        };
        match long.check() {
            Err(QueueError::Invalid { path, .. }) => assert_eq!(path.as_deref(), Some("filter")),
            other => panic!("{other:?}"),
        }
        let escape = Viewing {
            following: Some("bob\u{1b}[2J".into()),
            ..ok.clone()
        };
        match escape.check() {
            Err(QueueError::Invalid { path, .. }) => {
                assert_eq!(path.as_deref(), Some("following"))
            }
            other => panic!("{other:?}"),
        }
        let blank = Viewing {
            following: Some(" ".into()),
            ..ok
        };
        assert!(blank.check().is_err());
    }

    #[test]
    fn initials_take_the_given_name_of_chinese_names() {
        assert_eq!(initials("王芳"), "芳");
        assert_eq!(initials("欧阳修远"), "阳");
        assert_eq!(initials("alice"), "al");
        assert_eq!(initials("b"), "b");
        assert_eq!(initials(""), "?");
    }

    #[test]
    fn a_report_is_gone_when_it_lapses_or_says_so() {
        let p = Presence {
            name: "a".into(),
            viewing: Viewing::default(),
            at_ms: 1_000,
            until_ms: 61_000,
            seq: 1,
        };
        assert!(!p.gone(2_000));
        assert!(p.gone(61_000));
        let left = Presence {
            until_ms: 1_000,
            ..p
        };
        assert!(left.gone(2_000));
        assert_eq!(left.ttl(), Duration::ZERO);
    }
}
