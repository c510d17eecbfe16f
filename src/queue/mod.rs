//! The review queue: the [`Queue`] trait of `spec/api.md`, one implementation over
//! SQLite (embedded default) and PostgreSQL ([`store::Store`]), and the types they share.

pub mod actor;
pub mod demo;
pub mod events;
pub mod http;
pub mod journal;
pub mod local;
pub mod presence;
pub mod store;
pub mod time;

pub use actor::{Actor, Role};
pub use events::{Change, ChangeKind, EventStream, QueueEvent};
pub use http::HttpQueue;
pub use local::LocalQueue;

use crate::domain::{FilingType, Order, Reason, Status};
use crate::rules::Finding;
use serde::{Deserialize, Serialize};

/// Default claim lease.
pub const DEFAULT_LEASE_SECS: i64 = 15 * 60;

/// Why a queue operation failed. Maps onto HTTP statuses in the server.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueueError {
    #[error("not found: {0}")]
    NotFound(String),
    /// Stale version, someone else's claim, an illegal status transition.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request itself is wrong (reject without reasons, call outside working hours,
    /// invalid order JSON); `path` names the JSON path where there is one.
    #[error("invalid: {message}")]
    Invalid {
        path: Option<String>,
        message: String,
    },
    #[error("storage: {0}")]
    Storage(String),
    /// The caller is not who it must be: no token, a wrong or revoked one.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// The caller is known but may not do this (a reviewer calling a lead's action, a
    /// follower deciding).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The queue could not be reached (network down, server restarting): retry later;
    /// nothing was decided by this call as far as the client knows.
    #[error("unavailable: {0}")]
    Unavailable(String),
}

impl QueueError {
    pub fn invalid(message: impl Into<String>) -> Self {
        QueueError::Invalid {
            path: None,
            message: message.into(),
        }
    }
    /// Stable code for the API's error body.
    pub fn code(&self) -> &'static str {
        match self {
            QueueError::NotFound(_) => "not_found",
            QueueError::Conflict(_) => "conflict",
            QueueError::Invalid { .. } => "invalid",
            QueueError::Storage(_) => "storage",
            QueueError::Unauthorized(_) => "unauthorized",
            QueueError::Forbidden(_) => "forbidden",
            QueueError::Unavailable(_) => "unavailable",
        }
    }
}

impl From<sqlx::Error> for QueueError {
    fn from(e: sqlx::Error) -> Self {
        QueueError::Storage(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, QueueError>;

/// Sort orders of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Oldest submission first (closest to the review deadline).
    #[default]
    Age,
    /// Province code, then age.
    Province,
    /// Most blocking findings first, then most warnings, then age.
    Findings,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "age" => Some(Sort::Age),
            "province" => Some(Sort::Province),
            "findings" => Some(Sort::Findings),
            _ => None,
        }
    }
}

/// Filters and paging of `GET /v1/orders`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: Vec<Status>,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub filing_type: Option<FilingType>,
    /// Text search over id, subject name, domains and people's names.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub sort: Sort,
    /// Opaque cursor from the previous page's `next`.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Walk the list from the other end: the page is the `limit` rows before `cursor`
    /// (the last rows of the list without one), still in list order, and `next` continues
    /// backwards from its first row. What `G` (the end of a long queue) asks for.
    #[serde(default)]
    pub backward: bool,
    /// Page size (default 50, at most 500).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Who holds an order and until when (Unix ms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Claim {
    pub reviewer: String,
    pub until_ms: i64,
}

/// A row of the queue list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderSummary {
    pub id: String,
    #[schema(value_type = String)]
    pub filing_type: FilingType,
    #[schema(value_type = String)]
    pub status: Status,
    pub province: String,
    pub subject_name: String,
    /// RFC 3339.
    pub submitted_at: String,
    pub submitted_ms: i64,
    pub blocks: u32,
    pub warns: u32,
    pub claim: Option<Claim>,
    pub version: i64,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Page {
    pub items: Vec<OrderSummary>,
    pub next: Option<String>,
}

/// An order with what the queue knows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderDetail {
    #[schema(value_type = Object)]
    pub order: Order,
    pub version: i64,
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
    pub claim: Option<Claim>,
    /// What the inspector measured of each material (aligned with `order.materials`).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub materials: Vec<crate::rules::MaterialState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    Reject,
    ScheduleCall,
}

/// A verification call to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallPlan {
    /// RFC 3339 with offset.
    pub at: String,
    /// `subject_leader`, `site_leader:<i>` or `emergency:<i>`.
    pub who: String,
    pub phone: String,
}

/// `POST /v1/orders/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub action: Action,
    pub expected_version: i64,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub call: Option<CallPlan>,
    /// Approve although blocking findings remain (the note says why; audited).
    #[serde(default)]
    pub override_blocks: bool,
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DecisionOutcome {
    pub order: String,
    #[schema(value_type = String)]
    pub status: Status,
    pub version: i64,
    /// True when an earlier request with the same idempotency key already did this.
    pub replayed: bool,
}

/// A scheduled call on the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallEntry {
    pub order: String,
    pub at: String,
    pub at_ms: i64,
    pub who: String,
    pub phone: String,
    pub reviewer: String,
    #[schema(value_type = Option<String>)]
    pub outcome: Option<crate::domain::CallOutcome>,
}

/// A rejected or bureau-rejected order on the leads' triage list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TriageItem {
    pub summary: OrderSummary,
    /// The reasons of its latest rejection (rule reason codes, or the bureau's).
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
    /// Who rejected it: a reviewer id, or `bureau`.
    pub by: String,
    /// When (Unix ms).
    pub rejected_ms: i64,
}

/// A call's outcome recorded, and what the desks do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallClosed {
    pub outcome: DecisionOutcome,
    pub next: crate::domain::calls::NextStep,
}

/// [`crate::domain::calls::NextStep`] on the wire (the answer of
/// `POST /v1/orders/{id}/call-outcome` with `next_step: true`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum NextStepBody {
    /// Verified: approve.
    Approve,
    /// Reject with this reason code.
    Reject { reason: String },
    /// Call again at this time (RFC 3339); the retry is already scheduled.
    Retry { at: String },
}

impl NextStepBody {
    pub fn of(next: &crate::domain::calls::NextStep) -> NextStepBody {
        use crate::domain::calls::NextStep;
        match next {
            NextStep::Approve => NextStepBody::Approve,
            NextStep::Reject(code) => NextStepBody::Reject {
                reason: (*code).to_string(),
            },
            NextStep::Retry(at) => NextStepBody::Retry { at: at.to_string() },
        }
    }

    /// Back to the domain's step; `None` for a reason code or time this version does not
    /// know (a server answer is untrusted input).
    pub fn to_step(&self) -> Option<crate::domain::calls::NextStep> {
        use crate::domain::calls::{NEEDS_CORRECTION, NextStep, REFUSED, UNREACHABLE};
        Some(match self {
            NextStepBody::Approve => NextStep::Approve,
            NextStepBody::Reject { reason } => NextStep::Reject(
                [UNREACHABLE, REFUSED, NEEDS_CORRECTION]
                    .into_iter()
                    .find(|c| c == reason)?,
            ),
            NextStepBody::Retry { at } => NextStep::Retry(at.parse().ok()?),
        })
    }
}

/// The answer of `POST /v1/orders/{id}/call-outcome`: what the call did to the order and,
/// when asked for, the next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallOutcomeAnswer {
    #[serde(flatten)]
    pub outcome: DecisionOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextStepBody>,
}

/// One line of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
    pub order: String,
    pub version_before: Option<i64>,
    pub version_after: Option<i64>,
    #[schema(value_type = Vec<Object>)]
    pub reasons: Vec<Reason>,
    pub note: Option<String>,
}

/// A material's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterialBytes {
    pub bytes: Vec<u8>,
    pub media_type: String,
}

/// A material handed to [`Queue::intake_uploads`]: its bytes (shared, so one file named
/// by several materials is held and stored once), or why the importer could not read
/// them (shown as a finding on that material).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaterialUpload {
    Bytes(std::sync::Arc<Vec<u8>>),
    Unreadable(String),
}

/// Counts for the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QueueStats {
    pub total: u64,
    pub awaiting_review: u64,
}

/// The review queue as one caller sees it: every operation acts as [`Queue::actor`],
/// bound when the client is built (a [`LocalQueue`] over the store, or the HTTP client
/// whose token names the caller). Lead-only operations and a follower's decisions are
/// refused with [`QueueError::Forbidden`].
#[async_trait::async_trait]
pub trait Queue: Send + Sync {
    /// Who this client acts as.
    fn actor(&self) -> &Actor;
    /// A page of order summaries.
    async fn list(&self, query: &ListQuery) -> Result<Page>;
    /// One order with its version, findings and claim.
    async fn get(&self, id: &str) -> Result<OrderDetail>;
    /// Lease the order to the caller for `lease_secs` (conflict if another reviewer holds it).
    async fn claim(&self, id: &str, lease_secs: i64) -> Result<Claim>;
    /// Give the order back.
    async fn release(&self, id: &str) -> Result<()>;
    /// Lead only: take back the claim on `id` whoever holds it (audited as
    /// `force_release`); the claim that was released, `None` when nobody held it.
    async fn force_release(&self, id: &str) -> Result<Option<Claim>>;
    /// Approve, reject or schedule a call, at most once per idempotency key.
    async fn decide(
        &self,
        id: &str,
        decision: &Decision,
        idempotency_key: &str,
    ) -> Result<DecisionOutcome>;
    /// Record a scheduled call's outcome; the order returns to the queue.
    async fn record_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<DecisionOutcome>;
    /// Triage (lead only): a rejected order goes back to pending.
    async fn reopen(&self, id: &str, note: &str) -> Result<DecisionOutcome>;
    /// Add an order, or resubmit one (the rejected version is kept as `previous`).
    /// `materials` carries the bytes of the order's materials by material id.
    async fn intake(
        &self,
        order_json: &str,
        materials: Vec<(String, Vec<u8>)>,
    ) -> Result<DecisionOutcome>;
    /// [`Queue::intake`] with shared bytes, or the reason a material could not be read.
    /// Never takes a path: the caller reads (and confines) files.
    async fn intake_uploads(
        &self,
        order_json: &str,
        materials: Vec<(String, MaterialUpload)>,
    ) -> Result<DecisionOutcome> {
        let bytes = materials
            .into_iter()
            .filter_map(|(id, m)| match m {
                MaterialUpload::Bytes(b) => Some((id, (*b).clone())),
                MaterialUpload::Unreadable(_) => None,
            })
            .collect();
        self.intake(order_json, bytes).await
    }
    /// Scheduled calls between two instants (Unix ms).
    async fn calls(&self, from_ms: i64, to_ms: i64) -> Result<Vec<CallEntry>>;
    /// A material's bytes.
    async fn material(&self, id: &str, material_id: &str) -> Result<MaterialBytes>;
    /// The audit log of one order (or all, with `None`), oldest first.
    async fn audit(&self, order: Option<&str>) -> Result<Vec<AuditEntry>>;
    /// Record an audited action that changes nothing (e.g. revealing personal data).
    async fn note_action(&self, id: &str, action: &str, note: &str) -> Result<()>;
    /// Totals for the status bar.
    async fn stats(&self) -> Result<QueueStats>;
    /// The queue's changes as they happen: those after event `after` first (`None`: from
    /// now on), then each new one. A subscriber too far behind gets [`QueueEvent::Resync`].
    async fn subscribe(&self, after: Option<i64>) -> Result<EventStream>;
    /// The leads' triage list: rejected and bureau-rejected orders with their reasons.
    async fn triage(&self) -> Result<Vec<TriageItem>>;
    /// A lead (only) hands a rejected order back to the queue, held for reviewer `to`
    /// (audited).
    async fn reassign(&self, id: &str, to: &str, note: &str) -> Result<DecisionOutcome>;
    /// Record a call's outcome and take the desks' next step (a retry is scheduled).
    async fn close_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<CallClosed>;
    /// The leads' report of the Asia/Shanghai days `from` to `to` (both included), with
    /// `review_days` working days as the review deadline.
    async fn report(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        review_days: u32,
    ) -> Result<crate::report::Report>;
    /// Report what this client shows now (presence, api.md 1.1); it stands
    /// [`presence::TTL_MS`] unless reported again.
    async fn set_presence(&self, viewing: &presence::Viewing) -> Result<presence::Presence>;
    /// This client leaves: its presence is gone at once, not after it lapses.
    async fn leave(&self) -> Result<()>;
    /// Everyone whose presence stands now.
    async fn presence(&self) -> Result<Vec<presence::Presence>>;
}

/// Open the embedded store in `dir`; on its first start it imports the demo orders.
pub async fn open_embedded(
    dir: &std::path::Path,
    data: std::sync::Arc<crate::rules::RuleData>,
    provider: std::sync::Arc<crate::rules::ProviderSettings>,
) -> Result<store::Store> {
    let (store, first) = open_embedded_unseeded(dir, data, provider).await?;
    if first {
        seed_embedded(&store, dir).await?;
    }
    Ok(store)
}

/// Open the embedded store in `dir` without importing anything; `true` when this is its
/// first start and the demo orders are to be imported ([`seed_embedded`], which the TUI
/// runs on a task so that its screen shows at once).
pub async fn open_embedded_unseeded(
    dir: &std::path::Path,
    data: std::sync::Arc<crate::rules::RuleData>,
    provider: std::sync::Arc<crate::rules::ProviderSettings>,
) -> Result<(store::Store, bool)> {
    let store = store::Store::open_dir(dir, data, provider).await?;
    let first = !dir.join(DEMO_MARKER).exists();
    Ok((store, first))
}

const DEMO_MARKER: &str = ".demo-imported";

/// Import the demo orders into an empty store (one transaction) and mark `dir` so that
/// later starts do not; a store that already holds orders is only marked.
pub async fn seed_embedded(store: &store::Store, dir: &std::path::Path) -> Result<usize> {
    let mut n = 0;
    if store.count().await? == 0 {
        n = demo::seed_demo(store).await?;
        tracing::info!(orders = n, dir = %dir.display(), "imported the demo orders on first start");
    }
    let marker = dir.join(DEMO_MARKER);
    std::fs::write(&marker, b"the demo orders were imported on first start\n")
        .map_err(|e| QueueError::Storage(format!("{}: {e}", marker.display())))?;
    Ok(n)
}
