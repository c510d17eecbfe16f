//! The queue as one SSH session sees it: the store, acting as the session's reviewer,
//! hearing changes from the server's [`Hub`] (one reader of the event table for every
//! session and every HTTP client, not one poller per session).
//!
//! The session's own presence report says whether it follows someone; while it does, the
//! queue refuses its claims and decisions (api.md 1.1), whatever the TUI would send.

use crate::queue::store::Store;
use crate::queue::*;
use crate::server::events::{Hub, HubEvent};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// See the module.
pub struct SessionQueue {
    store: Arc<Store>,
    hub: Arc<Hub>,
    actor: Actor,
    following: AtomicBool,
}

impl SessionQueue {
    pub fn new(store: Arc<Store>, hub: Arc<Hub>, actor: Actor) -> SessionQueue {
        SessionQueue {
            store,
            hub,
            actor,
            following: AtomicBool::new(false),
        }
    }

    /// The store acting as the reviewer, a follower while the session follows someone.
    fn local(&self) -> LocalQueue {
        let mut actor = self.actor.clone();
        actor.follower = self.following.load(Ordering::Acquire);
        LocalQueue::new(self.store.clone(), actor)
    }

    /// A change went through: every session and event client hears it now.
    fn changed<T>(&self, r: Result<T>) -> Result<T> {
        if r.is_ok() {
            self.hub.nudge();
        }
        r
    }
}

#[async_trait::async_trait]
impl Queue for SessionQueue {
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
        let r = self.local().claim(id, lease_secs).await;
        self.changed(r)
    }
    async fn release(&self, id: &str) -> Result<()> {
        let r = self.local().release(id).await;
        self.changed(r)
    }
    async fn force_release(&self, id: &str) -> Result<Option<Claim>> {
        let r = self.local().force_release(id).await;
        self.changed(r)
    }
    async fn decide(
        &self,
        id: &str,
        decision: &Decision,
        idempotency_key: &str,
    ) -> Result<DecisionOutcome> {
        let r = self.local().decide(id, decision, idempotency_key).await;
        self.changed(r)
    }
    async fn record_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<DecisionOutcome> {
        let r = self.local().record_call(id, outcome, note).await;
        self.changed(r)
    }
    async fn reopen(&self, id: &str, note: &str) -> Result<DecisionOutcome> {
        let r = self.local().reopen(id, note).await;
        self.changed(r)
    }
    async fn intake(
        &self,
        order_json: &str,
        materials: Vec<(String, Vec<u8>)>,
    ) -> Result<DecisionOutcome> {
        let r = self.local().intake(order_json, materials).await;
        self.changed(r)
    }
    async fn intake_uploads(
        &self,
        order_json: &str,
        materials: Vec<(String, MaterialUpload)>,
    ) -> Result<DecisionOutcome> {
        let r = self.local().intake_uploads(order_json, materials).await;
        self.changed(r)
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
        self.local().note_action(id, action, note).await
    }
    async fn stats(&self) -> Result<QueueStats> {
        self.store.stats().await
    }
    async fn triage(&self) -> Result<Vec<TriageItem>> {
        self.store.triage_items().await
    }
    async fn reassign(&self, id: &str, to: &str, note: &str) -> Result<DecisionOutcome> {
        let r = self.local().reassign(id, to, note).await;
        self.changed(r)
    }
    async fn close_call(
        &self,
        id: &str,
        outcome: crate::domain::CallOutcome,
        note: Option<&str>,
    ) -> Result<CallClosed> {
        let r = self.local().close_call(id, outcome, note).await;
        self.changed(r)
    }
    async fn report(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        review_days: u32,
    ) -> Result<crate::report::Report> {
        self.local().report(from, to, review_days).await
    }
    async fn subscribe(&self, after: Option<i64>) -> Result<EventStream> {
        let subscription = self
            .hub
            .subscription(self.store.clone(), after, None)
            .await?;
        Ok(Box::pin(futures::stream::unfold(
            subscription,
            |mut sub| async move {
                sub.next().await.map(|e| {
                    let event = match e {
                        HubEvent::Change(c) => QueueEvent::Change(c),
                        HubEvent::Presence(p) => QueueEvent::Presence(p),
                        HubEvent::Resync(_) => QueueEvent::Resync,
                    };
                    (event, sub)
                })
            },
        )))
    }
    async fn set_presence(&self, viewing: &presence::Viewing) -> Result<presence::Presence> {
        let p = self
            .store
            .set_presence(&self.actor.name, viewing, presence::TTL_MS)
            .await?;
        self.following
            .store(viewing.following.is_some(), Ordering::Release);
        self.hub.nudge_presence();
        Ok(p)
    }
    async fn leave(&self) -> Result<()> {
        self.store
            .set_presence(&self.actor.name, &presence::Viewing::default(), 0)
            .await?;
        self.following.store(false, Ordering::Release);
        self.hub.nudge_presence();
        Ok(())
    }
    async fn presence(&self) -> Result<Vec<presence::Presence>> {
        self.store.presence().await
    }
}
