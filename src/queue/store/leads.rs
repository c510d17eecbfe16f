//! What the leads' mornings read and do on the store: the triage list with each order's
//! rejection reasons, reassigning a rejected order to a reviewer, closing a verification
//! call with the desks' next step, and what the report is computed from. New queries
//! and operations only; the tables are the existing ones.

use super::super::time::now_ms;
use super::super::*;
use super::{SUMMARY_COLUMNS, Store, summary_of};
use crate::domain::calendar::WorkCalendar;
use crate::domain::calls::{NextStep, next_step};
use crate::domain::{CallOutcome, Event, EventKind, Status, parse_order};
use crate::report::{BureauFact, DECISION_ACTIONS, DecisionFact, ReportInput};
use sqlx::Row;

/// Orders the triage list reads at most (the newest rejections first).
pub const TRIAGE_LIMIT: i64 = 5000;

impl Store {
    /// Rejected and bureau-rejected orders, newest rejection first, each with the reasons
    /// of its latest rejection and who gave them.
    pub async fn triage_items(&self) -> Result<Vec<TriageItem>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, doc, updated_ms FROM orders WHERE status IN ('rejected', 'bureau_rejected') ORDER BY updated_ms DESC, id LIMIT {TRIAGE_LIMIT}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.read)
            .await?;
        let now = now_ms();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let summary = summary_of(r, now)?;
            let doc: String = r.try_get("doc")?;
            let updated: i64 = r.try_get("updated_ms")?;
            let order = parse_order(&doc).map_err(|e| {
                QueueError::Storage(format!(
                    "stored order {}: {e}",
                    crate::domain::safe::excerpt(&summary.id)
                ))
            })?;
            let kind = if summary.status == Status::BureauRejected {
                EventKind::BureauRejected
            } else {
                EventKind::Rejected
            };
            let last = order
                .history
                .iter()
                .filter(|e| e.event == kind)
                .max_by_key(|e| e.at);
            out.push(TriageItem {
                reasons: last.map(|e| e.reasons.clone()).unwrap_or_default(),
                by: last
                    .map(|e| {
                        e.actor
                            .strip_prefix("reviewer:")
                            .unwrap_or(&e.actor)
                            .to_string()
                    })
                    .unwrap_or_default(),
                rejected_ms: last.map(|e| e.at.as_millisecond()).unwrap_or(updated),
                summary,
            });
        }
        Ok(out)
    }

    /// A lead hands a rejected order back to the queue for `to`: pending again, held by
    /// `to` for a working day, the note in its history and the audit log.
    pub async fn reassign_order(
        &self,
        id: &str,
        lead: &str,
        to: &str,
        note: &str,
    ) -> Result<DecisionOutcome> {
        if to.trim().is_empty() {
            return Err(QueueError::Invalid {
                path: Some("to".into()),
                message: "reassigning needs the reviewer it goes to".into(),
            });
        }
        if note.trim().is_empty() {
            return Err(QueueError::Invalid {
                path: Some("note".into()),
                message: "reassigning needs a note".into(),
            });
        }
        let text = format!("reassigned to {to}: {note}");
        let event = Event {
            at: jiff::Timestamp::now(),
            actor: format!("reviewer:{lead}"),
            event: EventKind::Note,
            reasons: Vec::new(),
            note: Some(text.clone()),
            call: None,
        };
        let id_s = id.to_string();
        let to_s = to.to_string();
        self.transition(
            id,
            lead,
            "reassign",
            None,
            &[Status::Rejected, Status::BureauRejected],
            Status::Pending,
            event,
            Some(&text),
            false,
            None,
            move |tx| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE orders SET claimed_by = $1, claim_until = $2 WHERE id = $3",
                    )
                    .bind(to_s)
                    .bind(now_ms() + 24 * 3600 * 1000)
                    .bind(id_s)
                    .execute(&mut **tx)
                    .await?;
                    Ok(())
                })
            },
        )
        .await
    }

    /// The order's calls, oldest first.
    pub async fn calls_of(&self, id: &str) -> Result<Vec<CallEntry>> {
        let rows = sqlx::query("SELECT order_id, at_ms, at, who, phone, reviewer, outcome FROM calls WHERE order_id = $1 ORDER BY at_ms, seq")
            .bind(id.to_string())
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(super::call_of).collect()
    }

    /// Record a call's outcome (the order returns to the queue with it in its history)
    /// and say what comes next. After the first unanswered call the retry is scheduled
    /// at once, to the same person and phone (the order waits for it again).
    pub async fn close_call_with(
        &self,
        id: &str,
        reviewer: &str,
        outcome: CallOutcome,
        note: Option<&str>,
        cal: &WorkCalendar,
    ) -> Result<CallClosed> {
        let calls = self.calls_of(id).await?;
        let open = calls
            .iter()
            .rev()
            .find(|c| c.outcome.is_none())
            .cloned()
            .ok_or_else(|| QueueError::Conflict(format!("order {id} has no call waiting")))?;
        let unanswered = calls
            .iter()
            .filter(|c| c.outcome == Some(CallOutcome::NoAnswer))
            .count();
        let recorded = self.record_call(id, reviewer, outcome, note).await?;
        let made_at = now_ms().max(open.at_ms);
        let next = next_step(outcome, unanswered, made_at, cal);
        let mut outcome_now = recorded;
        if let NextStep::Retry(at) = next {
            let plan = CallPlan {
                at: at.to_string(),
                who: open.who.clone(),
                phone: open.phone.clone(),
            };
            let d = Decision {
                action: Action::ScheduleCall,
                expected_version: outcome_now.version,
                reasons: Vec::new(),
                note: Some("retry after an unanswered call".into()),
                call: Some(plan),
                override_blocks: false,
            };
            let key = format!("call-retry:{id}:{}", outcome_now.version);
            outcome_now = self.decide(id, reviewer, &d, &key).await?;
        }
        Ok(CallClosed {
            outcome: outcome_now,
            next,
        })
    }

    /// Everything [`crate::report::compute`] needs for a period ending at `to_ms`.
    pub async fn report_input(&self, from_ms: i64, to_ms: i64) -> Result<ReportInput> {
        let actions: Vec<String> = DECISION_ACTIONS
            .iter()
            .enumerate()
            .map(|(i, _)| format!("${}", i + 2))
            .collect();
        let sql = format!(
            "SELECT order_id, actor, action, at_ms, reasons FROM audit WHERE at_ms < $1 AND action IN ({}) ORDER BY seq",
            actions.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(to_ms);
        for a in DECISION_ACTIONS {
            q = q.bind(a);
        }
        let mut input = ReportInput::default();
        for r in q.fetch_all(&self.read).await? {
            let reasons: String = r.try_get("reasons")?;
            let reasons: Vec<crate::domain::Reason> = serde_json::from_str(&reasons)
                .map_err(|e| QueueError::Storage(format!("stored audit reasons: {e}")))?;
            input.decisions.push(DecisionFact {
                order: r.try_get("order_id")?,
                reviewer: r.try_get("actor")?,
                action: r.try_get("action")?,
                at_ms: r.try_get("at_ms")?,
                reasons: reasons.into_iter().map(|r| r.code).collect(),
            });
        }
        for r in sqlx::query("SELECT id, submitted_ms FROM orders")
            .fetch_all(&self.read)
            .await?
        {
            input
                .submitted
                .insert(r.try_get("id")?, r.try_get("submitted_ms")?);
        }
        // Bureau rejections are in the orders' histories (and their previous versions').
        let rows = sqlx::query("SELECT id, doc FROM orders WHERE doc LIKE $1")
            .bind("%\"event\":\"bureau_rejected\"%")
            .fetch_all(&self.read)
            .await?;
        for r in rows {
            let id: String = r.try_get("id")?;
            let doc: String = r.try_get("doc")?;
            let Ok(order) = parse_order(&doc) else {
                continue;
            };
            let mut seen: Vec<&Event> = Vec::new();
            let prev = order.previous.as_deref().map(|p| p.history.as_slice());
            for e in order.history.iter().chain(prev.unwrap_or_default()) {
                let at = e.at.as_millisecond();
                if e.event != EventKind::BureauRejected
                    || at < from_ms
                    || at >= to_ms
                    || seen.contains(&e)
                {
                    continue;
                }
                seen.push(e);
                input.bureau.push(BureauFact {
                    order: id.clone(),
                    at_ms: at,
                    reasons: e
                        .reasons
                        .iter()
                        .map(|r| {
                            if r.code.trim().is_empty() {
                                r.text.clone()
                            } else {
                                r.code.clone()
                            }
                        })
                        .collect(),
                });
            }
        }
        Ok(input)
    }
}
