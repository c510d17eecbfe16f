//! `GET /v1/events`: the queue's change events as server-sent events.
//!
//! One [`Hub`] per server process reads the event table (the truth) and broadcasts each
//! new row to every connected client; clients never query the table in a loop of their
//! own, only once when they connect to catch up from `Last-Event-ID`. The hub reads when
//! it is nudged (after a change made through this server, or, on PostgreSQL, when a
//! `NOTIFY icp_review_events` says another server or process wrote one) and otherwise on
//! a short timer, so changes made by other processes are seen too.
//!
//! Memory per client is bounded: the broadcast channel keeps a fixed number of events,
//! and a client that falls further behind than that gets `resync` and continues from the
//! newest event.

use super::AppState;
use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use crate::queue::events::{Change, MAX_BACKLOG};
use crate::queue::presence::Presence;
use crate::queue::store::Store;
use crate::queue::{QueueError, Result};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};

/// Events a client may lag behind the hub before it is told to resync.
const CHANNEL: usize = 4096;
/// Rows read from the table per query.
const PAGE: i64 = 1000;
/// The NOTIFY channel of the PostgreSQL trigger (migration 0009).
pub const PG_CHANNEL: &str = "icp_review_events";
/// The response header naming the event id a stream without `Last-Event-ID` starts after.
pub const HEAD_HEADER: &str = "x-event-head";

/// The process-wide reader of the event table.
pub struct Hub {
    tx: broadcast::Sender<Change>,
    /// Presence reports (not event rows: they carry no id and are not replayed).
    presence: broadcast::Sender<Presence>,
    head: Arc<AtomicI64>,
    nudge: Arc<Notify>,
    nudge_presence: Arc<Notify>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Hub {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Hub {
    /// Start reading after the newest event now. `pg_url`: also LISTEN for other
    /// servers' events on this PostgreSQL database. `every`: how often to look anyway.
    pub async fn start(store: Arc<Store>, pg_url: Option<String>, every: Duration) -> Result<Hub> {
        let (tx, _) = broadcast::channel(CHANNEL);
        let (presence, _) = broadcast::channel(CHANNEL);
        let start = store.last_change().await?;
        let presence_start = store.last_presence().await?;
        let head = Arc::new(AtomicI64::new(start));
        let nudge = Arc::new(Notify::new());
        let nudge_presence = Arc::new(Notify::new());
        let mut tasks = vec![tokio::spawn(presence_loop(
            Arc::clone(&store),
            presence.clone(),
            presence_start,
            nudge_presence.clone(),
            every,
        ))];
        tasks.push(tokio::spawn(read_loop(
            store,
            tx.clone(),
            head.clone(),
            nudge.clone(),
            every,
        )));
        if let Some(url) = pg_url {
            tasks.push(tokio::spawn(listen_loop(
                url,
                nudge.clone(),
                nudge_presence.clone(),
            )));
        }
        Ok(Hub {
            tx,
            presence,
            nudge_presence,
            head,
            nudge,
            tasks,
        })
    }

    /// Look at the table now (a change was just committed through this server).
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Look at the presence table now (someone reported through this server).
    pub fn nudge_presence(&self) {
        self.nudge_presence.notify_one();
    }

    pub fn subscribe_presence(&self) -> broadcast::Receiver<Presence> {
        self.presence.subscribe()
    }

    /// The newest event id the hub has broadcast.
    pub fn head(&self) -> i64 {
        self.head.load(Ordering::Acquire)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.tx.subscribe()
    }

    /// How many clients are connected.
    pub fn clients(&self) -> usize {
        self.tx.receiver_count()
    }
}

async fn read_loop(
    store: Arc<Store>,
    tx: broadcast::Sender<Change>,
    head: Arc<AtomicI64>,
    nudge: Arc<Notify>,
    every: Duration,
) {
    let mut last = head.load(Ordering::Acquire);
    let mut failing = false;
    loop {
        let _ = tokio::time::timeout(every, nudge.notified()).await;
        loop {
            match store.changes_after(last, PAGE).await {
                Ok(rows) => {
                    if failing {
                        tracing::info!("the event table answers again");
                        failing = false;
                    }
                    let full = rows.len() as i64 >= PAGE;
                    for c in rows {
                        last = c.id;
                        head.store(last, Ordering::Release);
                        // No receiver is not an error: nobody listens right now.
                        let _ = tx.send(c);
                    }
                    if !full {
                        break;
                    }
                }
                Err(e) => {
                    if !failing {
                        tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "the event table could not be read");
                        failing = true;
                    }
                    break;
                }
            }
        }
    }
}

/// Read the presence reports made since the last one read and broadcast them, when
/// nudged and otherwise every `every`.
async fn presence_loop(
    store: Arc<Store>,
    tx: broadcast::Sender<Presence>,
    mut last: i64,
    nudge: Arc<Notify>,
    every: Duration,
) {
    loop {
        let _ = tokio::time::timeout(every, nudge.notified()).await;
        match store.presence_after(last, PAGE).await {
            Ok(rows) => {
                for p in rows {
                    last = last.max(p.seq);
                    let _ = tx.send(p);
                }
            }
            Err(e) => {
                tracing::debug!(error = %crate::domain::safe::message(&e.to_string()), "the presence table could not be read");
            }
        }
    }
}

/// LISTEN on PostgreSQL; every notification (or reconnection) nudges the reader. The
/// payload is not trusted for anything: the reader takes the rows from the table.
async fn listen_loop(url: String, nudge: Arc<Notify>, nudge_presence: Arc<Notify>) {
    let nudge_both = || {
        nudge.notify_one();
        nudge_presence.notify_one();
    };
    let mut backoff = Duration::from_millis(200);
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => match listener.listen(PG_CHANNEL).await {
                Ok(()) => {
                    backoff = Duration::from_millis(200);
                    // Anything committed while we were not listening.
                    nudge_both();
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(_)) => nudge_both(),
                            // The connection dropped (notifications may have been lost):
                            // reconnect and read the table.
                            Ok(None) => {
                                nudge_both();
                                break;
                            }
                            Err(e) => {
                                tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "LISTEN connection failed");
                                break;
                            }
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "LISTEN failed");
                }
            },
            Err(e) => {
                tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "cannot open the LISTEN connection");
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

/// The SSE frame of a change.
fn change_event(c: &Change) -> Event {
    Event::default()
        .id(c.id.to_string())
        .event(c.kind.as_str())
        .data(serde_json::to_string(c).unwrap_or_else(|_| "{}".into()))
}

/// The SSE frame of a presence report: no `id`, so a client's resume point stays.
fn presence_event(p: &Presence) -> Event {
    Event::default()
        .event("presence")
        .data(serde_json::to_string(p).unwrap_or_else(|_| "{}".into()))
}

/// The SSE frame telling a client to reload: its id is where the stream continues.
fn resync_event(head: i64) -> Event {
    Event::default()
        .id(head.to_string())
        .event("resync")
        .data(format!("{{\"head\":{head}}}"))
}

/// What a subscriber of the hub receives.
#[derive(Debug, Clone, PartialEq)]
pub enum HubEvent {
    Change(Change),
    /// A presence report: never replayed, carries no event id.
    Presence(Presence),
    /// The subscriber is too far behind (or named an id from another database): it
    /// reloads and continues after this event id.
    Resync(i64),
}

/// One subscriber of the hub (an event-stream client, an SSH session): the events after
/// its resume point, read from the table once to catch up and then from the hub's
/// broadcast. Memory is bounded: a subscriber that falls behind the broadcast's buffer
/// is told to resync and continues from the newest event.
pub struct Subscription {
    store: Arc<Store>,
    rx: broadcast::Receiver<Change>,
    presence: broadcast::Receiver<Presence>,
    hub_head: Arc<AtomicI64>,
    last: i64,
    catching_up: bool,
    ready: VecDeque<HubEvent>,
    shutdown: Option<watch::Receiver<bool>>,
}

impl Hub {
    /// Subscribe after event `after` (`None`: from the newest event now). The
    /// subscription ends when `shutdown` turns true.
    pub async fn subscription(
        &self,
        store: Arc<Store>,
        after: Option<i64>,
        shutdown: Option<watch::Receiver<bool>>,
    ) -> Result<Subscription> {
        // Subscribe before reading the table: every event committed from here on arrives
        // through the channel, every one before it through the catch-up read.
        let rx = self.subscribe();
        let presence = self.subscribe_presence();
        let head = store.last_change().await?;
        let mut ready = VecDeque::new();
        let (last, catching_up) = match after {
            Some(a) if head - a > MAX_BACKLOG || a > head => {
                // Too far behind (or an id from another database): reload.
                ready.push_back(HubEvent::Resync(head));
                (head, false)
            }
            Some(a) => (a, true),
            None => (head, false),
        };
        Ok(Subscription {
            store,
            rx,
            presence,
            hub_head: self.head.clone(),
            last,
            catching_up,
            ready,
            shutdown,
        })
    }
}

impl Subscription {
    /// The event id the subscription continues after.
    pub fn last(&self) -> i64 {
        self.last
    }

    /// The next event, `None` when the server shuts down or the table cannot be read
    /// to catch up (the subscriber reconnects from its resume point).
    pub async fn next(&mut self) -> Option<HubEvent> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            if self.catching_up {
                match self.store.changes_after(self.last, PAGE).await {
                    Ok(rows) => {
                        self.catching_up = rows.len() as i64 >= PAGE;
                        for c in rows {
                            self.last = c.id;
                            self.ready.push_back(HubEvent::Change(c));
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "catching up an event stream failed");
                        return None;
                    }
                }
                continue;
            }
            let stopping = async {
                match self.shutdown.as_mut() {
                    Some(down) => {
                        let _ = down.wait_for(|d| *d).await;
                    }
                    None => std::future::pending().await,
                }
            };
            let received = tokio::select! {
                r = self.rx.recv() => r,
                p = self.presence.recv() => match p {
                    Ok(p) => return Some(HubEvent::Presence(p)),
                    // Presence missed is renewed within a refresh; nothing to resync.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = stopping => return None,
            };
            match received {
                Ok(c) if c.id <= self.last => continue,
                Ok(c) => {
                    self.last = c.id;
                    return Some(HubEvent::Change(c));
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let head = self.hub_head.load(Ordering::Acquire).max(self.last);
                    tracing::info!(missed = n, "a slow event subscriber is told to resync");
                    self.last = head;
                    return Some(HubEvent::Resync(head));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

/// `Last-Event-ID`, if the client sent one.
fn last_event_id(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(v) = headers.get("last-event-id") else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or("").trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(Some(n)),
        _ => Err(ApiError(QueueError::Invalid {
            path: Some("Last-Event-ID".into()),
            message: format!(
                "Last-Event-ID must be an event id (a whole number), not {:?}",
                crate::domain::safe::excerpt(text)
            ),
        })),
    }
}

/// Server-sent events of the queue's changes.
#[utoipa::path(
    get,
    path = "/v1/events",
    tag = "events",
    params(
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id"),
    ),
    responses(
        (status = 200, description = "`text/event-stream`: `id` is the event row id, `event` the kind (order_added, order_updated, claimed, released, decided, reopened, call_recorded, resync), `data` a JSON Change; `presence` frames carry no `id` and a JSON Presence; a comment every 15 s", content_type = "text/event-stream", body = crate::queue::events::Change),
        (status = 401, body = super::error::ErrorBody),
        (status = 422, description = "Last-Event-ID is not an id", body = super::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn events(
    _caller: Caller,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let after = last_event_id(&headers)?;
    let subscription = state
        .hub
        .subscription(state.store.clone(), after, Some(state.shutdown.clone()))
        .await?;
    let last = subscription.last();
    let stream = futures::stream::unfold(subscription, |mut sub| async move {
        sub.next().await.map(|e| {
            let frame = match &e {
                HubEvent::Change(c) => change_event(c),
                HubEvent::Presence(p) => presence_event(p),
                HubEvent::Resync(head) => resync_event(*head),
            };
            (Ok::<_, std::convert::Infallible>(frame), sub)
        })
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(state.options.keep_alive).text(""))
        .into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&last.to_string()) {
        response.headers_mut().insert(HEAD_HEADER, v);
    }
    // Proxies must not buffer the stream.
    response.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    Ok(response)
}
