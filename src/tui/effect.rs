//! Work the update asks for: queue calls that run on tokio tasks and come back as
//! [`Action`]s. Every effect carries a request number; the answer carries it back.

use super::action::Action;
use crate::queue::{Decision, ListQuery, Queue};
use std::sync::Arc;
use tokio::sync::mpsc;

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
        req: u64,
        order: String,
        decision: Decision,
        key: String,
    },
    Claim {
        req: u64,
        order: String,
    },
    /// An audit note (`reveal_personal_data`); its answer comes back as `Noted`.
    Note {
        req: u64,
        order: String,
        action: String,
        note: String,
    },
    LoadStats {
        req: u64,
    },
    Exit,
}

/// Run one effect on a tokio task; its answer comes back as an action.
pub fn spawn(
    queue: Arc<dyn Queue>,
    reviewer: String,
    effect: Effect,
    tx: mpsc::UnboundedSender<Action>,
) {
    tokio::spawn(async move {
        let action = match effect {
            Effect::LoadPage { req, query, append } => Action::PageLoaded {
                req,
                append,
                result: queue.list(&query).await,
            },
            Effect::LoadDetail { req, id } => Action::DetailLoaded {
                req,
                result: queue.get(&id).await,
            },
            Effect::Decide {
                req,
                order,
                decision,
                key,
            } => {
                let result = queue.decide(&order, &reviewer, &decision, &key).await;
                Action::Decided { req, order, result }
            }
            Effect::Claim { req, order } => {
                let result = queue
                    .claim(&order, &reviewer, crate::queue::DEFAULT_LEASE_SECS)
                    .await;
                Action::Claimed { req, order, result }
            }
            Effect::Note {
                req,
                order,
                action,
                note,
            } => {
                let result = queue.note_action(&order, &reviewer, &action, &note).await;
                if let Err(e) = &result {
                    tracing::warn!(%order, %action, error = %e, "audit note failed");
                }
                Action::Noted { req, order, result }
            }
            Effect::LoadStats { req } => Action::StatsLoaded {
                req,
                result: queue.stats().await,
            },
            Effect::Exit => return,
        };
        let _ = tx.send(action);
    });
}
