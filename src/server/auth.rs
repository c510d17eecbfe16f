//! Who is calling: `Authorization: Bearer <token>` looked up by its SHA-256 in the
//! store's token table. Every route but `GET /v1/health` takes a [`Caller`]; without a
//! valid token the answer is 401 and nothing else happens. The token itself is never
//! logged (the request's span records only the caller's name once known).

use super::AppState;
use super::error::ApiError;
use crate::queue::{Actor, LocalQueue, QueueError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The authenticated caller of a request, with the queue as they see it.
pub struct Caller {
    pub queue: LocalQueue,
}

impl Caller {
    pub fn actor(&self) -> &Actor {
        crate::queue::Queue::actor(&self.queue)
    }
}

/// The bearer token of a request, if it carries one.
fn bearer(parts: &Parts) -> Result<&str, QueueError> {
    let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
        return Err(QueueError::Unauthorized(
            "this route needs a token: send `Authorization: Bearer <token>` (`icp-review token add NAME` makes one)".into(),
        ));
    };
    let value = value
        .to_str()
        .map_err(|_| QueueError::Unauthorized("the Authorization header is not text".into()))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        QueueError::Unauthorized("the Authorization header is not `Bearer <token>`".into())
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(QueueError::Unauthorized(
            "the Authorization header is not `Bearer <token>`".into(),
        ));
    }
    Ok(token.trim())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let actor =
            state.store.token_actor(token).await?.ok_or_else(|| {
                QueueError::Unauthorized("the token is unknown or revoked".into())
            })?;
        tracing::Span::current().record("caller", tracing::field::display(&actor.name));
        Ok(Caller {
            queue: LocalQueue::new(state.store.clone(), actor),
        })
    }
}
