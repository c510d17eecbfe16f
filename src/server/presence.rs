//! `PUT`, `GET` and `DELETE /v1/presence` (api.md 1.1): what each caller has open, for
//! the queue's "being viewed" marks, `:who` and follow mode. A report stands
//! [`TTL_MS`](crate::queue::presence::TTL_MS) unless renewed; every client of the event
//! stream hears of it as a `presence` frame. A caller whose report follows someone is a
//! follower: the queue refuses its claims and decisions (see `auth`).

use super::AppState;
use super::auth::Caller;
use super::error::{ApiResult, ErrorBody};
use super::orders::parse_body;
use crate::queue::Queue;
use crate::queue::presence::{Presence, Viewing};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;

/// Report what the caller shows now.
#[utoipa::path(put, path = "/v1/presence", tag = "presence",
    request_body = Viewing,
    responses((status = 200, body = Presence), (status = 401, body = ErrorBody),
        (status = 422, description = "a field too long or with control characters; `path` names it", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn put_presence(
    caller: Caller,
    State(state): State<AppState>,
    body: Bytes,
) -> ApiResult<Json<Presence>> {
    let viewing: Viewing = parse_body(&body)?;
    let p = caller.queue.set_presence(&viewing).await?;
    state.hub.nudge_presence();
    Ok(Json(p))
}

/// Who is online now and what each shows (whom each follows among it).
#[utoipa::path(get, path = "/v1/presence", tag = "presence",
    responses((status = 200, body = Vec<Presence>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn get_presence(caller: Caller) -> ApiResult<Json<Vec<Presence>>> {
    Ok(Json(caller.queue.presence().await?))
}

/// The caller leaves (its client closes): others see it gone at once.
#[utoipa::path(delete, path = "/v1/presence", tag = "presence",
    responses((status = 204, description = "gone"), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn delete_presence(
    caller: Caller,
    State(state): State<AppState>,
) -> ApiResult<StatusCode> {
    caller.queue.leave().await?;
    state.hub.nudge_presence();
    Ok(StatusCode::NO_CONTENT)
}
