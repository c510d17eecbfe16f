//! The queue in this process: the store, acting as one [`Actor`]. The embedded TUI, the
//! server (one per request, from the caller's token) and the importers use it, so the
//! role checks are the same everywhere.

use super::store::Store;
use super::*;
use std::sync::Arc;

/// A [`Store`] bound to the actor it acts as.
#[derive(Debug, Clone)]
pub struct LocalQueue {
    store: Arc<Store>,
    actor: Actor,
}

impl LocalQueue {
    pub fn new(store: Arc<Store>, actor: Actor) -> LocalQueue {
        LocalQueue { store, actor }
    }
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

#[async_trait::async_trait]
impl Queue for LocalQueue {
    fn actor(&self) -> &Actor {
        &self.actor
    }
    async fn list(&self, query: &ListQuery) -> Result<Page> {
        self.store.list(query).await
    }
    async fn get(&self, id: &str) -> Result<OrderDetail> {
        self.store.get(id).await
    }
    async fn claim(&self, id: &str, lease_secs: i64) -> Result<Claim> {
        self.actor.require_acting("claim an order")?;
        self.store.claim(id, &self.actor.name, lease_secs).await
    }
    async fn release(&self, id: &str) -> Result<()> {
        self.store.release(id, &self.actor.name).await
    }
    async fn force_release(&self, id: &str) -> Result<Option<Claim>> {
        self.actor
            .require_acting("release another reviewer's claim")?;
        self.actor
            .require_lead("releasing another reviewer's claim")?;
        self.store.force_release(id, &self.actor.name).await
    }
    async fn decide(
        &self,
        id: &str,
        decision: &Decision,
        idempotency_key: &str,
    ) -> Result<DecisionOutcome> {
        self.actor.require_acting("decide")?;
        self.store
            .decide(id, &self.actor.name, decision, idempotency_key)
            .await
    }
    async fn record_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<DecisionOutcome> {
        self.actor.require_acting("record a call")?;
        self.store
            .record_call(id, &self.actor.name, outcome, note)
            .await
    }
    async fn reopen(&self, id: &str, note: &str) -> Result<DecisionOutcome> {
        self.actor.require_acting("reopen an order")?;
        self.actor.require_lead("reopening an order")?;
        self.store.reopen(id, &self.actor.name, note).await
    }
    async fn intake(
        &self,
        order_json: &str,
        materials: Vec<(String, Vec<u8>)>,
    ) -> Result<DecisionOutcome> {
        self.store
            .intake(&self.actor.name, order_json, materials)
            .await
    }
    async fn intake_uploads(
        &self,
        order_json: &str,
        materials: Vec<(String, MaterialUpload)>,
    ) -> Result<DecisionOutcome> {
        self.store
            .intake_uploads(&self.actor.name, order_json, materials)
            .await
    }
    async fn calls(&self, from_ms: i64, to_ms: i64) -> Result<Vec<CallEntry>> {
        self.store.calls(from_ms, to_ms).await
    }
    async fn material(&self, id: &str, material_id: &str) -> Result<MaterialBytes> {
        self.store.material(id, material_id).await
    }
    async fn audit(&self, order: Option<&str>) -> Result<Vec<AuditEntry>> {
        self.store.audit(order).await
    }
    async fn note_action(&self, id: &str, action: &str, note: &str) -> Result<()> {
        // Only actions that change nothing: a client must not write an audit row that
        // reads like a decision or a claim that never happened.
        let plain = !action.is_empty()
            && action.len() <= 64
            && action.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        if !plain || events::ChangeKind::of_audit_action(action).is_some() {
            return Err(QueueError::Invalid {
                path: Some("action".into()),
                message: format!(
                    "{:?} is not an action that may be noted (lower-case letters and _, and not one that changes the order)",
                    crate::domain::safe::excerpt(action)
                ),
            });
        }
        self.store
            .note_action(id, &self.actor.name, action, note)
            .await
    }
    async fn stats(&self) -> Result<QueueStats> {
        self.store.stats().await
    }
    async fn triage(&self) -> Result<Vec<TriageItem>> {
        self.store.triage_items().await
    }
    async fn reassign(&self, id: &str, to: &str, note: &str) -> Result<DecisionOutcome> {
        self.actor.require_acting("reassign an order")?;
        self.actor.require_lead("reassigning an order")?;
        self.store
            .reassign_order(id, &self.actor.name, to, note)
            .await
    }
    async fn close_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<CallClosed> {
        self.actor.require_acting("record a call")?;
        let cal = crate::domain::calendar::WorkCalendar::embedded();
        self.store
            .close_call_with(id, &self.actor.name, outcome, note, cal)
            .await
    }
    async fn report(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        review_days: u32,
    ) -> Result<crate::report::Report> {
        let (lo, hi) = crate::report::bounds_ms(from, to);
        let input = self.store.report_input(lo, hi).await?;
        Ok(crate::report::compute(
            &input,
            from,
            to,
            crate::domain::calendar::WorkCalendar::embedded(),
            review_days,
        ))
    }
    async fn subscribe(&self, after: Option<i64>) -> Result<EventStream> {
        let head = self.store.last_change().await?;
        let presence_head = self.store.last_presence().await?;
        Ok(poll_changes(
            self.store.clone(),
            after,
            (head, presence_head),
            POLL,
        ))
    }
    async fn set_presence(&self, viewing: &presence::Viewing) -> Result<presence::Presence> {
        self.store
            .set_presence(&self.actor.name, viewing, presence::TTL_MS)
            .await
    }
    async fn leave(&self) -> Result<()> {
        self.store
            .set_presence(&self.actor.name, &presence::Viewing::default(), 0)
            .await
            .map(drop)
    }
    async fn presence(&self) -> Result<Vec<presence::Presence>> {
        self.store.presence().await
    }
}

/// How often a local subscription looks for new events: other processes on the same
/// database (a second TUI, an importer) write them too.
const POLL: std::time::Duration = std::time::Duration::from_millis(200);

/// Follow the store's event table from `after` (or from `head`, the newest event now),
/// and its presence reports after `presence_head`.
/// A subscriber more than [`events::MAX_BACKLOG`] behind is sent `Resync` and moved to
/// the head; a failing store is reported as a lost connection until it answers again.
pub fn poll_changes(
    store: Arc<Store>,
    after: Option<i64>,
    (head, presence_head): (i64, i64),
    every: std::time::Duration,
) -> EventStream {
    struct State {
        store: Arc<Store>,
        last: i64,
        /// The newest presence report seen (reports are not replayed: what stands when
        /// subscribing is asked for with `presence()`).
        presence_seq: i64,
        buffered: std::collections::VecDeque<QueueEvent>,
        online: bool,
        every: std::time::Duration,
    }
    let mut buffered = std::collections::VecDeque::new();
    let last = match after {
        Some(a) if head - a > events::MAX_BACKLOG => {
            buffered.push_back(QueueEvent::Resync);
            head
        }
        Some(a) => a,
        None => head,
    };
    let state = State {
        store,
        last,
        presence_seq: presence_head,
        buffered,
        online: true,
        every,
    };
    Box::pin(futures::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(e) = st.buffered.pop_front() {
                return Some((e, st));
            }
            match st
                .store
                .changes_after(st.last, events::MAX_BACKLOG + 1)
                .await
            {
                Ok(rows) => {
                    if !st.online {
                        st.online = true;
                        st.buffered.push_back(QueueEvent::Connection(true));
                    }
                    if rows.len() as i64 > events::MAX_BACKLOG {
                        match st.store.last_change().await {
                            Ok(h) => st.last = h,
                            Err(_) => st.last = rows.last().map_or(st.last, |c| c.id),
                        }
                        st.buffered.push_back(QueueEvent::Resync);
                        continue;
                    }
                    if let Some(c) = rows.last() {
                        st.last = c.id;
                    }
                    st.buffered.extend(rows.into_iter().map(QueueEvent::Change));
                    if let Ok(reports) = st.store.presence_after(st.presence_seq, 1000).await {
                        if let Some(p) = reports.last() {
                            st.presence_seq = p.seq;
                        }
                        st.buffered
                            .extend(reports.into_iter().map(QueueEvent::Presence));
                    }
                    if st.buffered.is_empty() {
                        tokio::time::sleep(st.every).await;
                    }
                }
                Err(e) => {
                    if st.online {
                        tracing::warn!(error = %e, "the event table could not be read");
                        st.online = false;
                        st.buffered.push_back(QueueEvent::Connection(false));
                    } else {
                        tokio::time::sleep(st.every * 5).await;
                    }
                }
            }
        }
    }))
}
