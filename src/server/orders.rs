//! The queue's routes (api.md): each handler authenticates the caller, calls the
//! [`Queue`] as that caller (so role checks are those of the embedded queue), and nudges
//! the event hub after a change. Bodies are read as bytes and parsed here so that
//! invalid input is a 422 naming the JSON path, never a panic or a bare 400.

use super::AppState;
use super::auth::Caller;
use super::error::{ApiError, ApiResult, ErrorBody};
use crate::domain::{CallOutcome, FilingType, Status};
use crate::queue::{
    Actor, AuditEntry, CallEntry, CallOutcomeAnswer, Claim, Decision, DecisionOutcome, ListQuery,
    MaterialUpload, NextStepBody, Page, Queue, QueueError, QueueStats, Sort, TriageItem,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// Parse a JSON body into `T`; on failure, `Invalid` with the JSON path at fault.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut path = if path == "." { "$".to_string() } else { path };
        // A missing field is reported at its object; name the field itself.
        let text = inner.to_string();
        if let Some(field) = text
            .strip_prefix("missing field `")
            .and_then(|r| r.split_once('`'))
            .map(|(f, _)| f)
        {
            path = if path == "$" {
                field.to_string()
            } else {
                format!("{path}.{field}")
            };
        }
        ApiError(QueueError::Invalid {
            path: Some(path),
            message: format!(
                "the request body does not read: {}",
                crate::domain::safe::message(&inner.to_string())
            ),
        })
    })
}

fn invalid(path: &str, message: impl Into<String>) -> ApiError {
    ApiError(QueueError::Invalid {
        path: Some(path.into()),
        message: message.into(),
    })
}

/// `GET /v1/health`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` when the store does not answer.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// The newest event id this server has delivered.
    pub events_head: i64,
    /// SSE clients connected to this server.
    pub event_clients: usize,
}

/// Liveness and store readiness (no token needed).
#[utoipa::path(get, path = "/v1/health", tag = "server",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "the store does not answer", body = Health),
    ))]
pub async fn health(State(state): State<AppState>) -> Response {
    let ready = tokio::time::timeout(state.options.health_timeout, state.store.ping()).await;
    let ok = matches!(ready, Ok(Ok(())));
    if let Ok(Err(e)) = &ready {
        tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "health: the store does not answer");
    }
    let body = Health {
        status: if ok { "ok" } else { "unavailable" }.into(),
        engine: match state.store.engine() {
            crate::queue::store::Engine::Sqlite => "sqlite",
            crate::queue::store::Engine::Postgres => "postgres",
        }
        .into(),
        events_head: state.hub.head(),
        event_clients: state.hub.clients(),
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/v1/me", tag = "server",
    responses((status = 200, body = Actor), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn me(caller: Caller) -> Json<Actor> {
    Json(caller.actor().clone())
}

/// The query of `GET /v1/orders`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Statuses, comma-separated (`pending,call_scheduled`).
    pub status: Option<String>,
    /// Province code (`GD`).
    pub province: Option<String>,
    /// Filing type (`new_filing`, …).
    pub filing_type: Option<String>,
    /// Text search over id, subject name, domains and people's names.
    pub q: Option<String>,
    /// `age` (default), `province` or `findings`.
    pub sort: Option<String>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<String>,
}

impl ListParams {
    fn to_query(&self) -> ApiResult<ListQuery> {
        let mut q = ListQuery::default();
        if let Some(s) = self.status.as_deref().filter(|s| !s.is_empty()) {
            for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                q.status.push(Status::parse(part).ok_or_else(|| {
                    invalid(
                        "status",
                        format!("unknown status {:?}", crate::domain::safe::excerpt(part)),
                    )
                })?);
            }
        }
        q.province = self.province.clone().filter(|p| !p.is_empty());
        if let Some(f) = self.filing_type.as_deref().filter(|s| !s.is_empty()) {
            q.filing_type = Some(FilingType::parse(f).ok_or_else(|| {
                invalid(
                    "filing_type",
                    format!("unknown filing type {:?}", crate::domain::safe::excerpt(f)),
                )
            })?);
        }
        q.q = self.q.clone().filter(|s| !s.is_empty());
        if let Some(s) = self.sort.as_deref().filter(|s| !s.is_empty()) {
            q.sort = Sort::parse(s)
                .ok_or_else(|| invalid("sort", "sort is one of age, province, findings"))?;
        }
        q.cursor = self.cursor.clone().filter(|s| !s.is_empty());
        if let Some(l) = self.limit.as_deref().filter(|s| !s.is_empty()) {
            q.limit = Some(
                l.parse::<u32>()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(|| invalid("limit", "limit is a number from 1 to 500"))?,
            );
        }
        Ok(q)
    }
}

fn query_of<T>(q: Result<Query<T>, axum::extract::rejection::QueryRejection>) -> ApiResult<T> {
    q.map(|Query(t)| t).map_err(|e| {
        invalid(
            "query",
            format!(
                "the query string does not read: {}",
                crate::domain::safe::message(&e.body_text())
            ),
        )
    })
}

/// A page of order summaries.
#[utoipa::path(get, path = "/v1/orders", tag = "orders", params(ListParams),
    responses((status = 200, body = Page), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_orders(
    caller: Caller,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Page>> {
    let q = query_of(params)?.to_query()?;
    Ok(Json(caller.queue.list(&q).await?))
}

/// The whole order, its version, findings and claim.
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "orders",
    params(("id" = String, Path, description = "Order id")),
    responses((status = 200, body = crate::queue::OrderDetail), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_order(
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<crate::queue::OrderDetail>> {
    Ok(Json(caller.queue.get(&id).await?))
}

/// `POST /v1/orders`: an order (order-format.md) and its materials' bytes.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct IntakeBody {
    /// The order as the filing system sends it.
    #[schema(value_type = Object)]
    pub order: Box<serde_json::value::RawValue>,
    /// Material id → the file's bytes in base64 (standard alphabet, padded).
    #[serde(default)]
    pub materials: BTreeMap<String, String>,
    /// Material id → why the sender could not read its file (shown as a finding).
    #[serde(default)]
    pub unreadable: BTreeMap<String, String>,
}

/// Intake: add an order or replace it (resubmission).
#[utoipa::path(post, path = "/v1/orders", tag = "orders", request_body = IntakeBody,
    responses((status = 200, body = DecisionOutcome),
        (status = 409, body = ErrorBody),
        (status = 422, description = "invalid order; `path` names the JSON path in the request body", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn intake(
    caller: Caller,
    State(state): State<AppState>,
    body: Bytes,
) -> ApiResult<Json<DecisionOutcome>> {
    use base64::Engine as _;
    let body: IntakeBody = parse_body(&body)?;
    let mut materials = Vec::with_capacity(body.materials.len());
    for (mid, b64) in body.materials {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|e| invalid(&format!("materials.{mid}"), format!("not base64: {e}")))?;
        materials.push((mid, MaterialUpload::Bytes(std::sync::Arc::new(bytes))));
    }
    for (mid, why) in body.unreadable {
        materials.push((mid, MaterialUpload::Unreadable(why)));
    }
    let outcome = caller
        .queue
        .intake_uploads(body.order.get(), materials)
        .await
        .map_err(|e| match e {
            // The path in the order is a path under `order` in this body.
            QueueError::Invalid { path, message } => ApiError(QueueError::Invalid {
                path: Some(match path {
                    Some(p) if p.starts_with('[') => format!("order{p}"),
                    Some(p) if !p.is_empty() && p != "$" && p != "." => format!("order.{p}"),
                    _ => "order".into(),
                }),
                message,
            }),
            e => ApiError(e),
        })?;
    state.hub.nudge();
    Ok(Json(outcome))
}

/// The query of `POST /v1/orders/{id}/claim`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimParams {
    /// Lease in seconds (default 900, at most a day).
    pub lease_secs: Option<i64>,
}

/// Lease the order to the caller.
#[utoipa::path(post, path = "/v1/orders/{id}/claim", tag = "claims",
    params(("id" = String, Path, description = "Order id"), ClaimParams),
    responses((status = 200, body = Claim),
        (status = 403, description = "a follower may not claim", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "another reviewer holds it (named in the message)", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn claim(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Result<Query<ClaimParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Claim>> {
    let p = query_of(params)?;
    let lease = p.lease_secs.unwrap_or(crate::queue::DEFAULT_LEASE_SECS);
    if !(1..=24 * 3600).contains(&lease) {
        return Err(invalid("lease_secs", "a lease is 1 to 86400 seconds"));
    }
    let c = caller.queue.claim(&id, lease).await?;
    state.hub.nudge();
    Ok(Json(c))
}

/// The query of `DELETE /v1/orders/{id}/claim`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReleaseParams {
    /// `true`: a lead takes back the claim whoever holds it (audited).
    pub force: Option<bool>,
}

/// What a forced release took back.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Released {
    /// The claim that was released (`null` when nobody held the order).
    pub released: Option<Claim>,
}

/// Release the caller's claim, or with `force=true` (leads) anyone's.
#[utoipa::path(delete, path = "/v1/orders/{id}/claim", tag = "claims",
    params(("id" = String, Path, description = "Order id"), ReleaseParams),
    responses((status = 204, description = "released (or not held by the caller)"),
        (status = 200, description = "force: what was released", body = Released),
        (status = 403, description = "force by a reviewer", body = ErrorBody),
        (status = 409, description = "another reviewer holds it", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn release(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    params: Result<Query<ReleaseParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let p = query_of(params)?;
    if p.force == Some(true) {
        let released = caller.queue.force_release(&id).await?;
        state.hub.nudge();
        return Ok(Json(Released { released }).into_response());
    }
    caller.queue.release(&id).await?;
    state.hub.nudge();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The idempotency key header of a decision.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() || key.len() > 200 {
        return Err(invalid(
            "Idempotency-Key",
            "a decision needs an Idempotency-Key header (1 to 200 characters), the same when the request is retried",
        ));
    }
    Ok(key.to_string())
}

/// Approve, reject or schedule a call.
#[utoipa::path(post, path = "/v1/orders/{id}/decision", tag = "decisions",
    params(("id" = String, Path, description = "Order id"),
        ("Idempotency-Key" = String, Header, description = "Applies the decision at most once")),
    request_body = Decision,
    responses((status = 200, body = DecisionOutcome),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "stale version or someone else's claim", body = ErrorBody),
        (status = 422, description = "reject without reasons, call outside working hours, bad body", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn decide(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<DecisionOutcome>> {
    let key = idempotency_key(&headers)?;
    let d: Decision = parse_body(&body)?;
    let out = caller.queue.decide(&id, &d, &key).await?;
    state.hub.nudge();
    Ok(Json(out))
}

/// `POST /v1/orders/{id}/call-outcome`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CallOutcomeBody {
    #[schema(value_type = String, example = "verified")]
    pub outcome: CallOutcome,
    #[serde(default)]
    pub note: Option<String>,
    /// `true`: also take the desks' next step (schedule the retry after a first
    /// unanswered call) and answer with it in `next`.
    #[serde(default)]
    pub next_step: bool,
}

/// Record a scheduled call's outcome.
#[utoipa::path(post, path = "/v1/orders/{id}/call-outcome", tag = "decisions",
    params(("id" = String, Path, description = "Order id")),
    request_body = CallOutcomeBody,
    responses((status = 200, body = CallOutcomeAnswer), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn call_outcome(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<CallOutcomeAnswer>> {
    let b: CallOutcomeBody = parse_body(&body)?;
    let answer = if b.next_step {
        let closed = caller
            .queue
            .close_call(&id, b.outcome, b.note.as_deref())
            .await?;
        CallOutcomeAnswer {
            outcome: closed.outcome,
            next: Some(NextStepBody::of(&closed.next)),
        }
    } else {
        CallOutcomeAnswer {
            outcome: caller
                .queue
                .record_call(&id, b.outcome, b.note.as_deref())
                .await?,
            next: None,
        }
    };
    state.hub.nudge();
    Ok(Json(answer))
}

/// `POST /v1/orders/{id}/reopen`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReopenBody {
    pub note: String,
}

/// Triage (leads): a rejected order goes back to pending.
#[utoipa::path(post, path = "/v1/orders/{id}/reopen", tag = "decisions",
    params(("id" = String, Path, description = "Order id")),
    request_body = ReopenBody,
    responses((status = 200, body = DecisionOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reopen(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<DecisionOutcome>> {
    let b: ReopenBody = parse_body(&body)?;
    let out = caller.queue.reopen(&id, &b.note).await?;
    state.hub.nudge();
    Ok(Json(out))
}

/// `POST /v1/orders/{id}/reassign`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReassignBody {
    /// The reviewer who gets the order.
    pub to: String,
    pub note: String,
}

/// Triage (leads): a rejected order goes back to pending, held for another reviewer.
#[utoipa::path(post, path = "/v1/orders/{id}/reassign", tag = "decisions",
    params(("id" = String, Path, description = "Order id")),
    request_body = ReassignBody,
    responses((status = 200, body = DecisionOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reassign(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<DecisionOutcome>> {
    let b: ReassignBody = parse_body(&body)?;
    let out = caller.queue.reassign(&id, &b.to, &b.note).await?;
    state.hub.nudge();
    Ok(Json(out))
}

/// The leads' triage list: rejected and bureau-rejected orders with their latest reasons.
#[utoipa::path(get, path = "/v1/triage", tag = "triage",
    responses((status = 200, body = Vec<TriageItem>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn triage(caller: Caller) -> ApiResult<Json<Vec<TriageItem>>> {
    Ok(Json(caller.queue.triage().await?))
}

/// `POST /v1/orders/{id}/notes`: an audited action that changes nothing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteBody {
    /// What was done, e.g. `reveal_personal_data`.
    pub action: String,
    pub note: String,
}

/// Record an audited action that changes nothing (e.g. revealing personal data).
#[utoipa::path(post, path = "/v1/orders/{id}/notes", tag = "audit",
    params(("id" = String, Path, description = "Order id")),
    request_body = NoteBody,
    responses((status = 204, description = "recorded"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn note(caller: Caller, Path(id): Path<String>, body: Bytes) -> ApiResult<StatusCode> {
    let b: NoteBody = parse_body(&body)?;
    caller.queue.note_action(&id, &b.action, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A material's bytes.
#[utoipa::path(get, path = "/v1/orders/{id}/materials/{mid}", tag = "orders",
    params(("id" = String, Path, description = "Order id"), ("mid" = String, Path, description = "Material id")),
    responses((status = 200, description = "the bytes, with their media type", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn material(
    caller: Caller,
    Path((id, mid)): Path<(String, String)>,
) -> ApiResult<Response> {
    let m = caller.queue.material(&id, &mid).await?;
    let media = axum::http::HeaderValue::from_str(&m.media_type).unwrap_or(
        axum::http::HeaderValue::from_static("application/octet-stream"),
    );
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                axum::http::HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_DISPOSITION,
                axum::http::HeaderValue::from_static("attachment"),
            ),
        ],
        m.bytes,
    )
        .into_response())
}

/// A standard rejection reason.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReasonInfo {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// The rules whose findings suggest it.
    pub rules: Vec<String>,
}

/// The catalogue of standard rejection reasons.
#[utoipa::path(get, path = "/v1/reasons", tag = "orders",
    responses((status = 200, body = Vec<ReasonInfo>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn reasons(_caller: Caller, State(state): State<AppState>) -> Json<Vec<ReasonInfo>> {
    Json(
        state
            .store
            .rule_data()
            .reasons
            .iter()
            .map(|r| ReasonInfo {
                code: r.code.clone(),
                zh: r.zh.clone(),
                en: r.en.clone(),
                rules: r.rules.clone(),
            })
            .collect(),
    )
}

/// The query of `GET /v1/calls`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallsParams {
    /// Start: Unix ms or RFC 3339 (default: the beginning).
    pub from: Option<String>,
    /// End (exclusive): Unix ms or RFC 3339 (default: no end).
    pub to: Option<String>,
}

fn instant(name: &str, v: Option<&str>, default: i64) -> ApiResult<i64> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    if let Ok(n) = v.parse::<i64>() {
        return Ok(n);
    }
    v.parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|_| {
            invalid(
                name,
                "a time is Unix milliseconds or RFC 3339 with an offset",
            )
        })
}

/// The call agenda.
#[utoipa::path(get, path = "/v1/calls", tag = "calls", params(CallsParams),
    responses((status = 200, body = Vec<CallEntry>), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn calls(
    caller: Caller,
    params: Result<Query<CallsParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<CallEntry>>> {
    Ok(Json(calls_of(&caller, params).await?))
}

/// The calls of the period the query names (both bounds optional): for the JSON agenda and
/// the iCalendar one alike.
async fn calls_of(
    caller: &Caller,
    params: Result<Query<CallsParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Vec<CallEntry>> {
    let p = query_of(params)?;
    let from = instant("from", p.from.as_deref(), i64::MIN)?;
    let to = instant("to", p.to.as_deref(), i64::MAX)?;
    Ok(caller.queue.calls(from, to).await?)
}

/// The call agenda as an iCalendar file (one event per call).
#[utoipa::path(get, path = "/v1/calls.ics", tag = "calls", params(CallsParams),
    responses((status = 200, description = "iCalendar (RFC 5545)", content_type = "text/calendar", body = String),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn calls_ics(
    caller: Caller,
    params: Result<Query<CallsParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let calls = calls_of(&caller, params).await?;
    let ics = crate::agenda::to_ics(&calls, jiff::Timestamp::now().as_millisecond());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"calls.ics\"",
            ),
        ],
        ics,
    )
        .into_response())
}

/// The query of `GET /v1/report`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day, YYYY-MM-DD (Asia/Shanghai).
    pub from: Option<String>,
    /// Last day, included.
    pub to: Option<String>,
    /// Working days of the review deadline (default 2).
    pub review_days: Option<String>,
}

/// The leads' report of a period (the figures of `icp-review report`).
#[utoipa::path(get, path = "/v1/report", tag = "triage", params(ReportParams),
    responses((status = 200, description = "the report: per reviewer and day, time to first decision, reasons ranked", content_type = "application/json"),
        (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn report(
    caller: Caller,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<crate::report::Report>> {
    let p = query_of(params)?;
    let (Some(from), Some(to)) = (p.from.as_deref(), p.to.as_deref()) else {
        return Err(invalid("from", "a report needs from and to (YYYY-MM-DD)"));
    };
    let (from, to) = crate::report::period(from, to)
        .map_err(|e| invalid("from", crate::domain::safe::message(&e.to_string())))?;
    let review_days = match p.review_days.as_deref().filter(|s| !s.is_empty()) {
        None => 2,
        Some(d) => d
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=30).contains(n))
            .ok_or_else(|| invalid("review_days", "review_days is a number from 1 to 30"))?,
    };
    Ok(Json(caller.queue.report(from, to, review_days).await?))
}

/// The query of `GET /v1/audit`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// One order's rows (default: all).
    pub order: Option<String>,
}

/// The audit log, oldest first.
#[utoipa::path(get, path = "/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Vec<AuditEntry>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn audit(
    caller: Caller,
    params: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let p = query_of(params)?;
    Ok(Json(caller.queue.audit(p.order.as_deref()).await?))
}

/// Totals for the status bar.
#[utoipa::path(get, path = "/v1/stats", tag = "orders",
    responses((status = 200, body = QueueStats), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn stats(caller: Caller) -> ApiResult<Json<QueueStats>> {
    Ok(Json(caller.queue.stats().await?))
}
