//! `icp-review serve`: the queue API of `spec/api.md` over the store (axum).
//!
//! - [`auth`]: bearer tokens → the caller ([`crate::queue::Actor`]); 401 without one.
//! - [`orders`]: the queue's routes; each acts through a [`crate::queue::LocalQueue`]
//!   bound to the caller, so role checks are those of the embedded queue.
//! - [`events`]: `GET /v1/events` (SSE), one table reader per process, PostgreSQL
//!   LISTEN/NOTIFY between servers.
//! - [`openapi`]: `GET /v1/openapi.json`, generated from the handlers.
//! - [`error`]: JSON errors with fitting statuses.
//!
//! Around every route: a request id (`x-request-id`, taken from the request or made,
//! echoed in the answer and recorded in the request's tracing span, so every log line of
//! the request carries it), a body size limit, a timeout, and JSON bodies for the errors
//! the layers produce themselves. Shutdown stops accepting, ends event streams and
//! waits for the requests in flight (a decision being written completes).

pub mod auth;
pub mod cmd;
pub mod error;
pub mod events;
pub mod openapi;
pub mod orders;
pub mod presence;
#[cfg(feature = "ssh")]
pub mod ssh;

use crate::queue::Result;
use crate::queue::store::Store;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// How a server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest request body (an intake carries its materials in base64).
    pub body_limit: usize,
    /// Longest time a request may take before it is answered 503 `timeout`.
    pub request_timeout: Duration,
    /// Interval of the SSE keep-alive comment.
    pub keep_alive: Duration,
    /// How often the event reader looks at the table without being nudged.
    pub poll: Duration,
    /// How long `GET /v1/health` waits for the store.
    pub health_timeout: Duration,
    /// The PostgreSQL URL to LISTEN on for other servers' events (`None` on SQLite).
    pub listen_url: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            body_limit: 64 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            keep_alive: Duration::from_secs(15),
            poll: Duration::from_millis(250),
            health_timeout: Duration::from_secs(2),
            listen_url: None,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub hub: Arc<events::Hub>,
    pub options: Arc<Options>,
    /// Turns `true` when the server shuts down (event streams end).
    pub shutdown: watch::Receiver<bool>,
    pub openapi: Arc<String>,
}

/// The API's routes with their layers, and the OpenAPI document they make.
pub fn router(
    store: Arc<Store>,
    hub: Arc<events::Hub>,
    options: Arc<Options>,
    shutdown: watch::Receiver<bool>,
) -> Router {
    let (routes, api) = openapi::routes().split_for_parts();
    let openapi = Arc::new(api.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    let state = AppState {
        store,
        hub,
        options: options.clone(),
        shutdown,
        openapi,
    };
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            tracing::info_span!(
                "request",
                request_id = %id,
                method = %req.method(),
                path = %req.uri().path(),
                caller = tracing::field::Empty,
            )
        })
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO))
        .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::WARN));
    routes
        .fallback(not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            options.body_limit,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            options.request_timeout,
        ))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(trace)
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

async fn not_found() -> Response {
    error::plain(StatusCode::NOT_FOUND, "not_found", "no such route")
}

/// Answers the layers or the router made without a body (a timeout, a body over the
/// limit, a method the route does not have) get the API's JSON error body.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (code, message) = match status {
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took too long; try again".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            "the request body is larger than this server accepts".to_string(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not take that method".to_string(),
        ),
        StatusCode::NOT_FOUND => ("not_found", "no such route".to_string()),
        s => ("invalid", format!("the request was refused ({s})")),
    };
    let mut out = error::plain(status, code, message);
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// A server running on a tokio task.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop accepting, end the event streams, and wait for the requests in flight.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(true);
        match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }

    /// Wait until the server ends by itself (it does not, unless it fails).
    pub async fn wait(&mut self) -> std::io::Result<()> {
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }

    /// Ask the server to stop (as on SIGTERM); [`Running::wait`] returns when it has.
    pub fn begin_shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

/// Serve the API on `listener` over `store`.
pub async fn start(
    store: Arc<Store>,
    listener: tokio::net::TcpListener,
    options: Options,
) -> Result<Running> {
    let hub = Arc::new(
        events::Hub::start(store.clone(), options.listen_url.clone(), options.poll).await?,
    );
    start_with_hub(store, hub, listener, options).await
}

/// [`start`] with the process's event hub (shared with the SSH front end).
pub async fn start_with_hub(
    store: Arc<Store>,
    hub: Arc<events::Hub>,
    listener: tokio::net::TcpListener,
    options: Options,
) -> Result<Running> {
    let addr = listener
        .local_addr()
        .map_err(|e| crate::queue::QueueError::Storage(format!("listener: {e}")))?;
    let (tx, rx) = watch::channel(false);
    let app = router(store, hub.clone(), Arc::new(options), rx.clone());
    let mut down = rx;
    let task = tokio::spawn(async move {
        let r = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = down.wait_for(|d| *d).await;
                tracing::info!("shutting down: finishing the requests in flight");
            })
            .await;
        drop(hub);
        r
    });
    Ok(Running {
        addr,
        shutdown: tx,
        task,
    })
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
