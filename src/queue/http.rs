//! The queue over HTTP: a client of `icp-review serve` (reqwest with rustls) that
//! implements [`Queue`] exactly like the embedded [`super::LocalQueue`], acting as the
//! caller its token names.
//!
//! The server's answers are untrusted input: bodies are read up to a limit, JSON that
//! does not read is an error naming the route and the JSON path, and nothing panics.
//! A server that cannot be reached (refused, reset, timed out, 502/503/504) is
//! [`QueueError::Unavailable`]; the caller retries.
//!
//! [`Queue::subscribe`] reads `GET /v1/events` (server-sent events, parsed here),
//! reconnects with backoff after a drop and resumes with `Last-Event-ID`, reporting the
//! drop and the recovery as [`QueueEvent::Connection`].

use super::events::{Change, ChangeKind, EventStream, QueueEvent};
use super::*;
use reqwest::{Method, StatusCode, Url};
use std::sync::Arc;
use std::time::Duration;

/// Largest JSON answer read (a page of 500 summaries, an order with its findings).
const MAX_JSON: usize = 32 * 1024 * 1024;
/// Largest material read.
const MAX_MATERIAL: usize = 64 * 1024 * 1024;
/// Largest error body read.
const MAX_ERROR: usize = 64 * 1024;
/// Largest single server-sent event.
const MAX_EVENT: usize = 1024 * 1024;
/// A request that takes longer is given up (Unavailable).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// An event stream silent for this long (three keep-alives) is taken as dropped.
const STREAM_IDLE: Duration = Duration::from_secs(45);
/// Reconnection backoff of the event stream.
const BACKOFF_FIRST: Duration = Duration::from_millis(200);
const BACKOFF_MAX: Duration = Duration::from_secs(10);

/// A JSON request body and the headers that go with it.
struct Payload {
    json: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

impl Payload {
    fn json(json: Vec<u8>) -> Payload {
        Payload {
            json,
            headers: Vec::new(),
        }
    }
}

struct Inner {
    base: Url,
    token: String,
    client: reqwest::Client,
}

/// A [`Queue`] served by `icp-review serve`.
#[derive(Clone)]
pub struct HttpQueue {
    inner: Arc<Inner>,
    actor: Actor,
}

impl std::fmt::Debug for HttpQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("HttpQueue")
            .field("base", &self.inner.base.as_str())
            .field("actor", &self.actor)
            .finish()
    }
}

/// The error of a request that got no answer.
fn network_error(what: &str, e: &reqwest::Error) -> QueueError {
    let why = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "cannot connect".to_string()
    } else {
        let mut s = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(inner) = src {
            s.push_str(": ");
            s.push_str(&inner.to_string());
            src = inner.source();
        }
        s
    };
    QueueError::Unavailable(format!("{what}: {}", crate::domain::safe::message(&why)))
}

/// Read a body up to `limit` bytes.
async fn read_limited(mut resp: reqwest::Response, limit: usize, what: &str) -> Result<Vec<u8>> {
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(QueueError::Storage(format!(
            "the server's answer to {what} is larger than {limit} bytes"
        )));
    }
    let mut out = Vec::new();
    loop {
        match resp.chunk().await {
            Ok(Some(c)) => {
                if out.len() + c.len() > limit {
                    return Err(QueueError::Storage(format!(
                        "the server's answer to {what} is larger than {limit} bytes"
                    )));
                }
                out.extend_from_slice(&c);
            }
            Ok(None) => return Ok(out),
            Err(e) => return Err(network_error(what, &e)),
        }
    }
}

/// The queue error an error answer stands for.
fn error_of(status: StatusCode, body: &[u8], what: &str) -> QueueError {
    #[derive(serde::Deserialize)]
    struct Body {
        error: Detail,
    }
    #[derive(serde::Deserialize)]
    struct Detail {
        code: String,
        message: String,
        #[serde(default)]
        path: Option<String>,
    }
    let parsed = serde_json::from_slice::<Body>(body).ok().map(|b| b.error);
    let message = match &parsed {
        Some(d) => crate::domain::safe::message(&d.message),
        None => format!("{what}: the server answered {status}"),
    };
    let code = parsed.as_ref().map(|d| d.code.as_str()).unwrap_or("");
    match (code, status.as_u16()) {
        ("not_found", _) | ("", 404) => QueueError::NotFound(message),
        ("conflict", _) | ("", 409) => QueueError::Conflict(message),
        ("invalid", _) | ("too_large", _) | ("", 400 | 413 | 422) => QueueError::Invalid {
            path: parsed.and_then(|d| d.path),
            message,
        },
        ("unauthorized", _) | ("", 401) => QueueError::Unauthorized(message),
        ("forbidden", _) | ("", 403) => QueueError::Forbidden(message),
        ("unavailable" | "timeout", _) | ("", 502..=504) => QueueError::Unavailable(message),
        _ if matches!(status.as_u16(), 502..=504) => QueueError::Unavailable(message),
        _ => QueueError::Storage(message),
    }
}

/// Parse a JSON answer; an answer that does not read names the route and the path.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        QueueError::Storage(format!(
            "the server's answer to {what} does not read at {path}: {}",
            crate::domain::safe::message(&e.into_inner().to_string())
        ))
    })
}

/// An order's path in the intake body (`order.…`) as a path in the order itself.
fn order_path(path: Option<String>) -> Option<String> {
    path.map(|p| {
        if p == "order" {
            ".".to_string()
        } else if let Some(rest) = p.strip_prefix("order.") {
            rest.to_string()
        } else if let Some(rest) = p.strip_prefix("order[") {
            format!("[{rest}")
        } else {
            p
        }
    })
}

impl HttpQueue {
    /// Connect to the server at `base_url` (`http://host:port` or `https://…`) with
    /// `token`, and learn who the token belongs to (`GET /v1/me`).
    pub async fn connect(base_url: &str, token: &str) -> Result<HttpQueue> {
        let mut base = Url::parse(base_url.trim()).map_err(|e| {
            QueueError::invalid(format!(
                "the server URL {:?} does not read: {e}",
                crate::domain::safe::excerpt(base_url)
            ))
        })?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(QueueError::invalid(format!(
                "the server URL {:?} is not http:// or https://",
                crate::domain::safe::excerpt(base_url)
            )));
        }
        // `http://host/prefix` and `http://host/prefix/` name the same server.
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        let token = token.trim();
        if token.is_empty() || token.chars().any(|c| c.is_control() || c == ' ') {
            return Err(QueueError::Unauthorized(
                "the token is empty or not one line of text".into(),
            ));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("icp-review/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| QueueError::Unavailable(format!("the HTTP client cannot start: {e}")))?;
        let inner = Arc::new(Inner {
            base,
            token: token.to_string(),
            client,
        });
        let mut q = HttpQueue {
            inner,
            actor: Actor::reviewer(""),
        };
        q.actor = q
            .call_json(Method::GET, &["v1", "me"], &[], None, "GET /v1/me")
            .await?;
        Ok(q)
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut s) = url.path_segments_mut() {
            s.pop_if_empty();
            s.extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    /// Send a request; an error answer becomes its queue error.
    async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<Payload>,
        what: &str,
    ) -> Result<reqwest::Response> {
        let mut rb = self
            .inner
            .client
            .request(method, self.url(segments, query))
            .bearer_auth(&self.inner.token)
            .timeout(REQUEST_TIMEOUT);
        if let Some(Payload { json, headers }) = body {
            rb = rb
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(json);
            for (k, v) in headers {
                rb = rb.header(k, v);
            }
        }
        let resp = rb.send().await.map_err(|e| network_error(what, &e))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        let body = read_limited(resp, MAX_ERROR, what)
            .await
            .unwrap_or_default();
        Err(error_of(status, &body, what))
    }

    async fn call_json<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<Payload>,
        what: &str,
    ) -> Result<T> {
        let resp = self.send(method, segments, query, body, what).await?;
        let bytes = read_limited(resp, MAX_JSON, what).await?;
        parse(&bytes, what)
    }

    fn json_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
        serde_json::to_vec(value)
            .map_err(|e| QueueError::invalid(format!("the request does not serialise: {e}")))
    }
}

/// The query string of a list query.
fn list_params(q: &ListQuery) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !q.status.is_empty() {
        let s: Vec<&str> = q.status.iter().map(|s| s.as_str()).collect();
        out.push(("status", s.join(",")));
    }
    if let Some(p) = &q.province {
        out.push(("province", p.clone()));
    }
    if let Some(f) = q.filing_type {
        out.push(("filing_type", f.as_str().to_string()));
    }
    if let Some(t) = &q.q {
        out.push(("q", t.clone()));
    }
    let sort = match q.sort {
        Sort::Age => "age",
        Sort::Province => "province",
        Sort::Findings => "findings",
    };
    out.push(("sort", sort.to_string()));
    if let Some(c) = &q.cursor {
        out.push(("cursor", c.clone()));
    }
    if let Some(l) = q.limit {
        out.push(("limit", l.to_string()));
    }
    out
}

#[async_trait::async_trait]
impl Queue for HttpQueue {
    fn actor(&self) -> &Actor {
        &self.actor
    }

    async fn list(&self, query: &ListQuery) -> Result<Page> {
        self.call_json(
            Method::GET,
            &["v1", "orders"],
            &list_params(query),
            None,
            "GET /v1/orders",
        )
        .await
    }

    async fn get(&self, id: &str) -> Result<OrderDetail> {
        self.call_json(
            Method::GET,
            &["v1", "orders", id],
            &[],
            None,
            "GET /v1/orders/{id}",
        )
        .await
    }

    async fn claim(&self, id: &str, lease_secs: i64) -> Result<Claim> {
        let lease = lease_secs.clamp(1, 24 * 3600);
        self.call_json(
            Method::POST,
            &["v1", "orders", id, "claim"],
            &[("lease_secs", lease.to_string())],
            None,
            "POST /v1/orders/{id}/claim",
        )
        .await
    }

    async fn release(&self, id: &str) -> Result<()> {
        self.send(
            Method::DELETE,
            &["v1", "orders", id, "claim"],
            &[],
            None,
            "DELETE /v1/orders/{id}/claim",
        )
        .await?;
        Ok(())
    }

    async fn force_release(&self, id: &str) -> Result<Option<Claim>> {
        #[derive(serde::Deserialize)]
        struct Released {
            released: Option<Claim>,
        }
        let r: Released = self
            .call_json(
                Method::DELETE,
                &["v1", "orders", id, "claim"],
                &[("force", "true".into())],
                None,
                "DELETE /v1/orders/{id}/claim?force=true",
            )
            .await?;
        Ok(r.released)
    }

    async fn decide(
        &self,
        id: &str,
        decision: &Decision,
        idempotency_key: &str,
    ) -> Result<DecisionOutcome> {
        if idempotency_key.trim().is_empty() {
            return Err(QueueError::Invalid {
                path: Some("Idempotency-Key".into()),
                message: "a decision needs an idempotency key".into(),
            });
        }
        let body = Self::json_body(decision)?;
        self.call_json(
            Method::POST,
            &["v1", "orders", id, "decision"],
            &[],
            Some(Payload {
                json: body,
                headers: vec![("Idempotency-Key", idempotency_key.to_string())],
            }),
            "POST /v1/orders/{id}/decision",
        )
        .await
    }

    async fn record_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<DecisionOutcome> {
        let body = Self::json_body(&serde_json::json!({ "outcome": outcome, "note": note }))?;
        self.call_json(
            Method::POST,
            &["v1", "orders", id, "call-outcome"],
            &[],
            Some(Payload::json(body)),
            "POST /v1/orders/{id}/call-outcome",
        )
        .await
    }

    async fn reopen(&self, id: &str, note: &str) -> Result<DecisionOutcome> {
        let body = Self::json_body(&serde_json::json!({ "note": note }))?;
        self.call_json(
            Method::POST,
            &["v1", "orders", id, "reopen"],
            &[],
            Some(Payload::json(body)),
            "POST /v1/orders/{id}/reopen",
        )
        .await
    }

    async fn intake(
        &self,
        order_json: &str,
        materials: Vec<(String, Vec<u8>)>,
    ) -> Result<DecisionOutcome> {
        let uploads = materials
            .into_iter()
            .map(|(id, b)| (id, MaterialUpload::Bytes(Arc::new(b))))
            .collect();
        self.intake_uploads(order_json, uploads).await
    }

    async fn intake_uploads(
        &self,
        order_json: &str,
        materials: Vec<(String, MaterialUpload)>,
    ) -> Result<DecisionOutcome> {
        use base64::Engine as _;
        // Text that is not JSON is refused here exactly as the store refuses it (the
        // same parser, the same path); JSON goes to the server as it is.
        let order: &serde_json::value::RawValue = match serde_json::from_str(order_json) {
            Ok(raw) => raw,
            Err(_) => {
                let e = crate::domain::parse_order(order_json).err();
                return Err(QueueError::Invalid {
                    path: Some(e.as_ref().map_or(".".into(), |e| e.path.clone())),
                    message: e.map_or_else(|| "the order is not JSON".into(), |e| e.message),
                });
            }
        };
        let mut bytes = serde_json::Map::new();
        let mut unreadable = serde_json::Map::new();
        for (id, m) in materials {
            match m {
                MaterialUpload::Bytes(b) => {
                    bytes.insert(
                        id,
                        base64::engine::general_purpose::STANDARD
                            .encode(b.as_slice())
                            .into(),
                    );
                }
                MaterialUpload::Unreadable(why) => {
                    unreadable.insert(id, why.into());
                }
            }
        }
        #[derive(serde::Serialize)]
        struct Body<'a> {
            order: &'a serde_json::value::RawValue,
            materials: serde_json::Map<String, serde_json::Value>,
            unreadable: serde_json::Map<String, serde_json::Value>,
        }
        let body = Self::json_body(&Body {
            order,
            materials: bytes,
            unreadable,
        })?;
        self.call_json(
            Method::POST,
            &["v1", "orders"],
            &[],
            Some(Payload::json(body)),
            "POST /v1/orders",
        )
        .await
        .map_err(|e| match e {
            QueueError::Invalid { path, message } => QueueError::Invalid {
                path: order_path(path),
                message,
            },
            e => e,
        })
    }

    async fn calls(&self, from_ms: i64, to_ms: i64) -> Result<Vec<CallEntry>> {
        self.call_json(
            Method::GET,
            &["v1", "calls"],
            &[("from", from_ms.to_string()), ("to", to_ms.to_string())],
            None,
            "GET /v1/calls",
        )
        .await
    }

    async fn material(&self, id: &str, material_id: &str) -> Result<MaterialBytes> {
        let what = "GET /v1/orders/{id}/materials/{mid}";
        let resp = self
            .send(
                Method::GET,
                &["v1", "orders", id, "materials", material_id],
                &[],
                None,
                what,
            )
            .await?;
        let media_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|s| crate::domain::safe::excerpt_of(s, 100))
            .unwrap_or_else(|| "application/octet-stream".into());
        let bytes = read_limited(resp, MAX_MATERIAL, what).await?;
        Ok(MaterialBytes { bytes, media_type })
    }

    async fn audit(&self, order: Option<&str>) -> Result<Vec<AuditEntry>> {
        let query: Vec<(&str, String)> = order
            .map(|o| ("order", o.to_string()))
            .into_iter()
            .collect();
        self.call_json(Method::GET, &["v1", "audit"], &query, None, "GET /v1/audit")
            .await
    }

    async fn note_action(&self, id: &str, action: &str, note: &str) -> Result<()> {
        let body = Self::json_body(&serde_json::json!({ "action": action, "note": note }))?;
        self.send(
            Method::POST,
            &["v1", "orders", id, "notes"],
            &[],
            Some(Payload::json(body)),
            "POST /v1/orders/{id}/notes",
        )
        .await?;
        Ok(())
    }

    async fn stats(&self) -> Result<QueueStats> {
        self.call_json(Method::GET, &["v1", "stats"], &[], None, "GET /v1/stats")
            .await
    }

    async fn triage(&self) -> Result<Vec<crate::queue::TriageItem>> {
        self.call_json(Method::GET, &["v1", "triage"], &[], None, "GET /v1/triage")
            .await
    }

    async fn reassign(&self, id: &str, to: &str, note: &str) -> Result<DecisionOutcome> {
        let body = Self::json_body(&serde_json::json!({ "to": to, "note": note }))?;
        self.call_json(
            Method::POST,
            &["v1", "orders", id, "reassign"],
            &[],
            Some(Payload::json(body)),
            "POST /v1/orders/{id}/reassign",
        )
        .await
    }

    async fn close_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<crate::queue::CallClosed> {
        let what = "POST /v1/orders/{id}/call-outcome";
        let body = Self::json_body(
            &serde_json::json!({ "outcome": outcome, "note": note, "next_step": true }),
        )?;
        let answer: crate::queue::CallOutcomeAnswer = self
            .call_json(
                Method::POST,
                &["v1", "orders", id, "call-outcome"],
                &[],
                Some(Payload::json(body)),
                what,
            )
            .await?;
        // The call is recorded whatever the answer says next; a step this version cannot
        // read is reported rather than guessed.
        let next = answer
            .next
            .as_ref()
            .and_then(crate::queue::NextStepBody::to_step)
            .ok_or_else(|| {
                QueueError::Storage(format!(
                    "{what}: the server recorded the call but its next step does not read"
                ))
            })?;
        Ok(crate::queue::CallClosed {
            outcome: answer.outcome,
            next,
        })
    }

    async fn report(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        review_days: u32,
    ) -> Result<crate::report::Report> {
        self.call_json(
            Method::GET,
            &["v1", "report"],
            &[
                ("from", from.to_string()),
                ("to", to.to_string()),
                ("review_days", review_days.to_string()),
            ],
            None,
            "GET /v1/report",
        )
        .await
    }

    async fn set_presence(
        &self,
        viewing: &crate::queue::presence::Viewing,
    ) -> Result<crate::queue::presence::Presence> {
        let body = Self::json_body(viewing)?;
        self.call_json(
            Method::PUT,
            &["v1", "presence"],
            &[],
            Some(Payload::json(body)),
            "PUT /v1/presence",
        )
        .await
    }

    async fn leave(&self) -> Result<()> {
        self.send(
            Method::DELETE,
            &["v1", "presence"],
            &[],
            None,
            "DELETE /v1/presence",
        )
        .await?;
        Ok(())
    }

    async fn presence(&self) -> Result<Vec<crate::queue::presence::Presence>> {
        self.call_json(
            Method::GET,
            &["v1", "presence"],
            &[],
            None,
            "GET /v1/presence",
        )
        .await
    }

    async fn subscribe(&self, after: Option<i64>) -> Result<EventStream> {
        // The first connection is made here, so a server that cannot be reached is an
        // error of this call; later drops are reported on the stream.
        let first = self.open_events(after).await?;
        let cursor = after.or(first.1);
        let (tx, rx) = tokio::sync::mpsc::channel(256);
        tokio::spawn(follow_events(self.clone(), first.0, cursor, tx));
        Ok(Box::pin(futures::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|e| (e, rx))
        })))
    }
}

impl HttpQueue {
    /// Open `GET /v1/events` after `after`; the answer and the event id the stream
    /// starts after (the server's `x-event-head`).
    async fn open_events(&self, after: Option<i64>) -> Result<(reqwest::Response, Option<i64>)> {
        let what = "GET /v1/events";
        let mut rb = self
            .inner
            .client
            .get(self.url(&["v1", "events"], &[]))
            .bearer_auth(&self.inner.token)
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(a) = after {
            rb = rb.header("Last-Event-ID", a.to_string());
        }
        let resp = tokio::time::timeout(REQUEST_TIMEOUT, rb.send())
            .await
            .map_err(|_| QueueError::Unavailable(format!("{what}: timed out")))?
            .map_err(|e| network_error(what, &e))?;
        let status = resp.status();
        if !status.is_success() {
            let body = read_limited(resp, MAX_ERROR, what)
                .await
                .unwrap_or_default();
            return Err(error_of(status, &body, what));
        }
        let head = resp
            .headers()
            .get("x-event-head")
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<i64>().ok());
        Ok((resp, head))
    }
}

/// One parsed server-sent event.
#[derive(Debug, Default, PartialEq)]
struct SseFrame {
    id: Option<String>,
    event: Option<String>,
    data: String,
}

/// An incremental parser of `text/event-stream` (the WHATWG rules this server needs:
/// `id`, `event`, `data` lines, comments, blank-line dispatch; `\n`, `\r\n` or `\r`).
#[derive(Default)]
struct SseParser {
    line: Vec<u8>,
    frame: SseFrame,
    has_data: bool,
    last_cr: bool,
    size: usize,
}

impl SseParser {
    /// Feed bytes; complete events are pushed to `out`. Errs when an event is larger
    /// than [`MAX_EVENT`].
    fn feed(&mut self, bytes: &[u8], out: &mut Vec<SseFrame>) -> std::result::Result<(), String> {
        for &b in bytes {
            if self.last_cr && b == b'\n' {
                self.last_cr = false;
                continue;
            }
            self.last_cr = b == b'\r';
            if b == b'\n' || b == b'\r' {
                let line = std::mem::take(&mut self.line);
                self.line_done(&line, out);
                continue;
            }
            self.line.push(b);
            self.size += 1;
            if self.size > MAX_EVENT {
                return Err(format!("an event is larger than {MAX_EVENT} bytes"));
            }
        }
        Ok(())
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<SseFrame>) {
        if line.is_empty() {
            let frame = std::mem::take(&mut self.frame);
            if self.has_data || frame.event.is_some() {
                out.push(frame);
            }
            self.has_data = false;
            self.size = 0;
            return;
        }
        if line[0] == b':' {
            return;
        }
        let text = String::from_utf8_lossy(line);
        let (field, value) = match text.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (text.as_ref(), ""),
        };
        match field {
            "id" if !value.contains('\0') => self.frame.id = Some(value.to_string()),
            "event" => self.frame.event = Some(value.to_string()),
            "data" => {
                if self.has_data {
                    self.frame.data.push('\n');
                }
                self.frame.data.push_str(value);
                self.has_data = true;
            }
            _ => {}
        }
    }
}

/// What a frame means to the subscriber (`None`: a kind this client does not know,
/// or data that does not read, which is logged and skipped).
fn event_of(frame: &SseFrame) -> Option<QueueEvent> {
    match frame.event.as_deref() {
        Some("resync") => Some(QueueEvent::Resync),
        Some("presence") => {
            match serde_json::from_str::<crate::queue::presence::Presence>(&frame.data) {
                Ok(p) if p.viewing.check().is_ok() => Some(QueueEvent::Presence(p)),
                Ok(_) => {
                    tracing::warn!(
                        "a presence event from the server carries a field no client sends; skipped"
                    );
                    None
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a presence event from the server does not read; skipped");
                    None
                }
            }
        }
        Some(kind) if ChangeKind::parse(kind).is_some() => {
            match serde_json::from_str::<Change>(&frame.data) {
                Ok(c) => Some(QueueEvent::Change(c)),
                Err(e) => {
                    tracing::warn!(error = %e, "an event from the server does not read; skipped");
                    None
                }
            }
        }
        _ => None,
    }
}

/// Read the stream, reconnect after drops with backoff and `Last-Event-ID`, until the
/// subscriber goes away.
async fn follow_events(
    queue: HttpQueue,
    first: reqwest::Response,
    mut cursor: Option<i64>,
    tx: tokio::sync::mpsc::Sender<QueueEvent>,
) {
    let mut resp = Some(first);
    let mut online = true;
    let mut backoff = BACKOFF_FIRST;
    loop {
        if let Some(r) = resp.take() {
            if !online {
                online = true;
                backoff = BACKOFF_FIRST;
                if tx.send(QueueEvent::Connection(true)).await.is_err() {
                    return;
                }
            }
            if read_stream(r, &mut cursor, &tx).await.is_err() {
                return;
            }
            if online {
                online = false;
                if tx.send(QueueEvent::Connection(false)).await.is_err() {
                    return;
                }
            }
        }
        if tx.is_closed() {
            return;
        }
        // Some jitter so that many clients do not come back in step.
        let jitter = Duration::from_millis(
            u64::from(std::process::id() % 97) + (crate::queue::time::now_ms() % 101) as u64,
        );
        tokio::time::sleep(backoff + jitter).await;
        backoff = (backoff * 2).min(BACKOFF_MAX);
        match queue.open_events(cursor).await {
            Ok((r, head)) => {
                if cursor.is_none() {
                    cursor = head;
                }
                resp = Some(r);
            }
            Err(e) => tracing::debug!(error = %e, "the event stream is still down"),
        }
    }
}

/// Deliver one connection's events; `Err` when the subscriber is gone.
async fn read_stream(
    mut resp: reqwest::Response,
    cursor: &mut Option<i64>,
    tx: &tokio::sync::mpsc::Sender<QueueEvent>,
) -> std::result::Result<(), ()> {
    let mut parser = SseParser::default();
    let mut frames = Vec::new();
    loop {
        let chunk = tokio::select! {
            c = tokio::time::timeout(STREAM_IDLE, resp.chunk()) => c,
            _ = tx.closed() => return Err(()),
        };
        let bytes = match chunk {
            Ok(Ok(Some(b))) => b,
            Ok(Ok(None)) => return Ok(()),
            Ok(Err(e)) => {
                tracing::info!(error = %e, "the event stream dropped");
                return Ok(());
            }
            Err(_) => {
                tracing::info!("the event stream went silent; reconnecting");
                return Ok(());
            }
        };
        if let Err(e) = parser.feed(&bytes, &mut frames) {
            tracing::warn!(error = %e, "the event stream is not well formed; reconnecting");
            return Ok(());
        }
        for f in frames.drain(..) {
            if let Some(id) = f.id.as_deref().and_then(|s| s.trim().parse::<i64>().ok()) {
                *cursor = Some(id);
            }
            if let Some(e) = event_of(&f)
                && tx.send(e).await.is_err()
            {
                return Err(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(chunks: &[&[u8]]) -> Vec<SseFrame> {
        let mut p = SseParser::default();
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn sse_frames_split_anywhere_and_any_line_end() {
        let text = b": keep-alive\r\n\r\nid: 7\r\nevent: claimed\r\ndata: {\"a\":1}\r\n\r\nid:8\nevent:resync\ndata:x\ndata:y\n\n";
        for cut in 0..text.len() {
            let frames = parse_all(&[&text[..cut], &text[cut..]]);
            assert_eq!(frames.len(), 2, "cut at {cut}");
            assert_eq!(frames[0].id.as_deref(), Some("7"));
            assert_eq!(frames[0].event.as_deref(), Some("claimed"));
            assert_eq!(frames[0].data, "{\"a\":1}");
            assert_eq!(frames[1].event.as_deref(), Some("resync"));
            assert_eq!(frames[1].data, "x\ny");
        }
        // A lone `\r` ends a line too.
        let frames = parse_all(&[b"event: resync\rdata: 1\r\r"]);
        assert_eq!(frames.len(), 1);
    }

    #[test]
    fn an_oversized_event_is_refused_not_buffered() {
        let mut p = SseParser::default();
        let mut out = Vec::new();
        let big = vec![b'a'; MAX_EVENT + 1];
        assert!(p.feed(b"data: ", &mut out).is_ok());
        assert!(p.feed(&big, &mut out).is_err());
    }

    #[test]
    fn unknown_kinds_and_bad_data_are_skipped() {
        let f = SseFrame {
            id: Some("1".into()),
            event: Some("presence".into()),
            data: "{}".into(),
        };
        assert_eq!(event_of(&f), None);
        let f = SseFrame {
            id: Some("1".into()),
            event: Some("claimed".into()),
            data: "{not json".into(),
        };
        assert_eq!(event_of(&f), None);
    }

    #[test]
    fn error_answers_map_to_kinds() {
        let body = br#"{"error":{"code":"conflict","message":"order A is claimed by bob"}}"#;
        assert_eq!(
            error_of(StatusCode::CONFLICT, body, "x"),
            QueueError::Conflict("order A is claimed by bob".into())
        );
        let body = br#"{"error":{"code":"invalid","message":"m","path":"order.id"}}"#;
        assert!(matches!(
            error_of(StatusCode::UNPROCESSABLE_ENTITY, body, "x"),
            QueueError::Invalid { path: Some(p), .. } if p == "order.id"
        ));
        // A proxy's HTML page: the status decides.
        assert_eq!(
            error_of(StatusCode::BAD_GATEWAY, b"<html>", "x").code(),
            "unavailable"
        );
        assert_eq!(
            error_of(StatusCode::UNAUTHORIZED, b"", "x").code(),
            "unauthorized"
        );
        assert_eq!(
            error_of(StatusCode::IM_A_TEAPOT, b"", "x").code(),
            "storage"
        );
        assert_eq!(order_path(Some("order".into())).as_deref(), Some("."));
        assert_eq!(
            order_path(Some("order.sites[0]".into())).as_deref(),
            Some("sites[0]")
        );
        assert_eq!(
            order_path(Some("order[\"a b\"]".into())).as_deref(),
            Some("[\"a b\"]")
        );
    }
}
