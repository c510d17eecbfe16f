//! Live changes of the queue (api.md 1.1, `GET /v1/events`): what changed, to which order,
//! at which version. Each change is a durable row written with the change itself, so a
//! subscriber that reconnects with the last id it saw misses nothing.

use crate::domain::Status;
use serde::{Deserialize, Serialize};
use std::pin::Pin;

/// What kind of change an event reports (the SSE `event` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    OrderAdded,
    OrderUpdated,
    Claimed,
    Released,
    Decided,
    Reopened,
    CallRecorded,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 7] = [
        ChangeKind::OrderAdded,
        ChangeKind::OrderUpdated,
        ChangeKind::Claimed,
        ChangeKind::Released,
        ChangeKind::Decided,
        ChangeKind::Reopened,
        ChangeKind::CallRecorded,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::OrderAdded => "order_added",
            ChangeKind::OrderUpdated => "order_updated",
            ChangeKind::Claimed => "claimed",
            ChangeKind::Released => "released",
            ChangeKind::Decided => "decided",
            ChangeKind::Reopened => "reopened",
            ChangeKind::CallRecorded => "call_recorded",
        }
    }
    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// The event an audited action produces; `None` for actions that change nothing
    /// others need to see (revealing personal data, notes).
    pub fn of_audit_action(action: &str) -> Option<ChangeKind> {
        Some(match action {
            "intake" => ChangeKind::OrderAdded,
            "resubmit" => ChangeKind::OrderUpdated,
            "claim" => ChangeKind::Claimed,
            "release" | "force_release" => ChangeKind::Released,
            "approve" | "approve_override" | "reject" | "schedule_call" => ChangeKind::Decided,
            "reopen" | "reassign" => ChangeKind::Reopened,
            "call_outcome" => ChangeKind::CallRecorded,
            _ => return None,
        })
    }
}

/// One durable change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Change {
    /// The event row's id (the SSE `id`), increasing in commit order.
    pub id: i64,
    pub kind: ChangeKind,
    pub order: String,
    /// The order's version after the change.
    pub version: i64,
    /// The order's status after the change, where it changed.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub status: Option<Status>,
    /// Who made it (for a claim: who holds the order now).
    pub actor: String,
    pub at_ms: i64,
}

/// What a subscription delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueEvent {
    Change(Change),
    /// Someone's presence changed (or they left): not an event row, never resumed from.
    Presence(super::presence::Presence),
    /// The subscriber fell too far behind (or the store was replaced): reload what is shown.
    Resync,
    /// The connection to the queue dropped (`false`) or came back (`true`); the
    /// subscription reconnects by itself and resumes after the last event it delivered.
    Connection(bool),
}

/// A live subscription: it ends only when the queue is gone.
pub type EventStream = Pin<Box<dyn futures::Stream<Item = QueueEvent> + Send>>;

/// How many events a subscriber may be behind before it is told to resync instead.
pub const MAX_BACKLOG: i64 = 10_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_match_serde() {
        for k in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.as_str().into())
            );
        }
        assert_eq!(ChangeKind::parse("presence"), None);
    }

    #[test]
    fn audit_actions_map_to_events() {
        assert_eq!(
            ChangeKind::of_audit_action("approve_override"),
            Some(ChangeKind::Decided)
        );
        assert_eq!(
            ChangeKind::of_audit_action("intake"),
            Some(ChangeKind::OrderAdded)
        );
        assert_eq!(ChangeKind::of_audit_action("reveal"), None);
    }
}
