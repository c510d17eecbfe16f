//! JSON errors of the API: `{"error": {"code", "message", "path"?}}` with the status that
//! fits the [`QueueError`] kind.

use crate::queue::QueueError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable code, a message for people, and for invalid input the JSON
/// path (or parameter, or header) at fault.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `not_found`, `conflict`, `invalid`, `unauthorized`, `forbidden`, `unavailable`,
    /// `storage`, `timeout`, `too_large`.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A [`QueueError`] as an HTTP answer.
#[derive(Debug)]
pub struct ApiError(pub QueueError);

impl From<QueueError> for ApiError {
    fn from(e: QueueError) -> Self {
        ApiError(e)
    }
}

/// The HTTP status of each error kind.
pub fn status_of(e: &QueueError) -> StatusCode {
    match e {
        QueueError::NotFound(_) => StatusCode::NOT_FOUND,
        QueueError::Conflict(_) => StatusCode::CONFLICT,
        QueueError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        QueueError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        QueueError::Forbidden(_) => StatusCode::FORBIDDEN,
        QueueError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        QueueError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error answer with a code that is not a queue error kind (timeouts, body limits).
pub fn plain(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_string(),
            message: message.into(),
            path: None,
        },
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let path = match &self.0 {
            QueueError::Invalid { path, .. } => path.clone(),
            _ => None,
        };
        let message = match &self.0 {
            QueueError::NotFound(m)
            | QueueError::Conflict(m)
            | QueueError::Unauthorized(m)
            | QueueError::Forbidden(m)
            | QueueError::Unavailable(m) => m.clone(),
            QueueError::Invalid { message, .. } => message.clone(),
            QueueError::Storage(m) => {
                // The details (SQL, file names) go to the log, which carries the request id.
                tracing::error!(error = %crate::domain::safe::message(m), "storage error");
                "the store failed; the server log has the details under this request's id"
                    .to_string()
            }
        };
        if status == StatusCode::UNAUTHORIZED {
            let mut r = (
                status,
                axum::Json(ErrorBody {
                    error: ErrorDetail {
                        code: self.0.code().into(),
                        message,
                        path,
                    },
                }),
            )
                .into_response();
            r.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
            return r;
        }
        (
            status,
            axum::Json(ErrorBody {
                error: ErrorDetail {
                    code: self.0.code().into(),
                    message,
                    path,
                },
            }),
        )
            .into_response()
    }
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;
