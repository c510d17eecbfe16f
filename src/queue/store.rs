//! The queue store: one implementation over two engines through sqlx's `Any` driver.
//! SQLite (the embedded default, WAL mode, one writer connection so writes never race
//! for the lock) and PostgreSQL (many stateless servers, one database). Schema
//! migrations live in `migrations/<engine>/` and are applied at start.
//!
//! Every state change runs in one transaction with its audit row: a crash leaves both
//! or neither. Decisions check the expected version and the claim inside that
//! transaction, and an idempotency key makes a retried request apply once.

use super::time::{now_ms, rfc3339_shanghai, within_working_hours};
use super::*;
use crate::domain::person::{id_key, phone_key};
use crate::domain::{AccessMethod, CallOutcome, Event, EventKind, Order, Status, parse_order};
use crate::material;
use crate::rules::{
    self, Context, MaterialState, MemoryIndex, ProviderSettings, RuleData, Severity,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::path::Path;
use std::sync::Arc;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The queue over SQLite or PostgreSQL.
#[derive(Clone)]
pub struct Store {
    engine: Engine,
    read: AnyPool,
    write: AnyPool,
    data: Arc<RuleData>,
    provider: Arc<ProviderSettings>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine)
            .finish()
    }
}

/// A test hook: when `ICP_REVIEW_FAILPOINT` names this point, the process aborts there
/// (used to prove that a crash between a decision and its audit row leaves neither).
fn failpoint(name: &str) {
    if std::env::var("ICP_REVIEW_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

const SUMMARY_COLUMNS: &str = "id, filing_type, status, province, subject_name, submitted_at, submitted_ms, blocks, warns, claimed_by, claim_until, version";

impl Store {
    /// Open (creating if needed) the store at `url`: `sqlite://PATH` or `postgres://…`.
    pub async fn open(
        url: &str,
        data: Arc<RuleData>,
        provider: Arc<ProviderSettings>,
    ) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(QueueError::invalid(format!(
                "unsupported database URL {url:?} (sqlite:// or postgres://)"
            )));
        };
        let (read, write) = match engine {
            Engine::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let opts = || {
                    AnyPoolOptions::new().after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::query("PRAGMA busy_timeout = 10000")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA synchronous = NORMAL")
                                .execute(&mut *conn)
                                .await?;
                            Ok(())
                        })
                    })
                };
                let write = opts().max_connections(1).connect(&url).await?;
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&write)
                    .await?;
                let read = opts().max_connections(4).connect(&url).await?;
                (read, write)
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        let migrator = match engine {
            Engine::Sqlite => &SQLITE_MIGRATOR,
            Engine::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&write)
            .await
            .map_err(|e| QueueError::Storage(format!("migrations: {e}")))?;
        Ok(Store {
            engine,
            read,
            write,
            data,
            provider,
        })
    }

    /// The embedded store in `dir` (`queue.db`), created if needed.
    pub async fn open_dir(
        dir: &Path,
        data: Arc<RuleData>,
        provider: Arc<ProviderSettings>,
    ) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .map_err(|e| QueueError::Storage(format!("{}: {e}", dir.display())))?;
        let path = dir.join("queue.db");
        Store::open(&format!("sqlite://{}", path.display()), data, provider).await
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn rule_data(&self) -> &RuleData {
        &self.data
    }

    /// Number of orders in the store.
    pub async fn count(&self) -> Result<u64> {
        let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM orders")
            .fetch_one(&self.read)
            .await?
            .try_get("n")?;
        Ok(n as u64)
    }

    async fn load_row(&self, id: &str) -> Result<AnyRow> {
        sqlx::query(
            "SELECT doc, version, status, claimed_by, claim_until FROM orders WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| QueueError::NotFound(format!("order {id}")))
    }

    async fn material_states(&self, order: &Order) -> Result<Vec<MaterialState>> {
        let rows = sqlx::query("SELECT material_id, state FROM materials WHERE order_id = $1")
            .bind(&order.id)
            .fetch_all(&self.read)
            .await?;
        let mut by_id = std::collections::HashMap::new();
        for r in rows {
            let mid: String = r.try_get("material_id")?;
            let state: String = r.try_get("state")?;
            by_id.insert(
                mid,
                serde_json::from_str::<MaterialState>(&state).unwrap_or(MaterialState::NotChecked),
            );
        }
        Ok(order
            .materials
            .iter()
            .map(|m| {
                by_id
                    .remove(&m.id)
                    .unwrap_or(MaterialState::Missing(m.file.clone()))
            })
            .collect())
    }

    /// Orders sharing a person, phone, e-mail, code, server, account or subject with
    /// `order` (the related set the cross-order rules need), without `order` itself.
    async fn related(&self, order: &Order) -> Result<Vec<Order>> {
        let keys = order_keys(order);
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql =
            String::from("SELECT DISTINCT order_id FROM order_keys WHERE order_id <> $1 AND (");
        for i in 0..keys.len() {
            if i > 0 {
                sql.push_str(" OR ");
            }
            sql.push_str(&format!("(kind = ${} AND key = ${})", 2 + 2 * i, 3 + 2 * i));
        }
        sql.push_str(") LIMIT 500");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(order.id.clone());
        for (k, v) in &keys {
            q = q.bind(*k).bind(v.clone());
        }
        let ids: Vec<String> = q
            .fetch_all(&self.read)
            .await?
            .iter()
            .filter_map(|r| r.try_get("order_id").ok())
            .collect();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(100) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT doc FROM orders WHERE id IN ({})",
                placeholders.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(id.clone());
            }
            for r in q.fetch_all(&self.read).await? {
                let doc: String = r.try_get("doc")?;
                if let Ok(o) = parse_order(&doc) {
                    out.push(o);
                }
            }
        }
        Ok(out)
    }

    /// Run the rules on `order` against the store's related orders.
    async fn findings(
        &self,
        order: &Order,
        states: &[MaterialState],
    ) -> Result<Vec<rules::Finding>> {
        let related = self.related(order).await?;
        let index = MemoryIndex::build(related.iter().chain(std::iter::once(order)));
        let ctx = Context {
            data: &self.data,
            provider: &self.provider,
            others: &index,
        };
        Ok(rules::check_order(order, states, &ctx))
    }

    /// Recompute the stored finding counts of orders whose cross-order findings may
    /// have changed because `order` changed (the list shows stored counts).
    async fn refresh_related(&self, order: &Order) -> Result<()> {
        for other in self.related(order).await?.into_iter().take(200) {
            let Ok(row) = self.load_row(&other.id).await else {
                continue;
            };
            let version: i64 = row.try_get("version")?;
            let states = self.material_states(&other).await?;
            let findings = self.findings(&other, &states).await?;
            let (blocks, warns) = counts(&findings);
            sqlx::query("UPDATE orders SET blocks = $1, warns = $2, findings = $3 WHERE id = $4 AND version = $5")
                .bind(blocks)
                .bind(warns)
                .bind(serde_json::to_string(&findings).unwrap_or_default())
                .bind(other.id.clone())
                .bind(version)
                .execute(&self.write)
                .await?;
        }
        Ok(())
    }

    async fn append_audit(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        a: AuditRow<'_>,
    ) -> Result<()> {
        let AuditRow {
            actor,
            action,
            order,
            before,
            after,
            reasons,
            note,
        } = a;
        sqlx::query(
            "INSERT INTO audit (at_ms, actor, action, order_id, version_before, version_after, reasons, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(now_ms())
        .bind(actor.to_string())
        .bind(action.to_string())
        .bind(order.to_string())
        .bind(before)
        .bind(after)
        .bind(serde_json::to_string(reasons).unwrap_or_else(|_| "[]".into()))
        .bind(note.map(str::to_string))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Apply a status change with its history event and audit row, checking the version.
    #[allow(clippy::too_many_arguments)]
    async fn transition(
        &self,
        id: &str,
        actor: &str,
        audit_action: &str,
        expected_version: Option<i64>,
        allowed_from: &[Status],
        to: Status,
        event: Event,
        note: Option<&str>,
        extra: impl for<'t> FnOnce(
            &'t mut sqlx::Transaction<'static, sqlx::Any>,
            i64,
        ) -> futures::future::BoxFuture<'t, Result<()>>,
    ) -> Result<DecisionOutcome> {
        let mut tx = self.write.begin().await?;
        let row = sqlx::query("SELECT doc, version, status FROM orders WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| QueueError::NotFound(format!("order {id}")))?;
        let version: i64 = row.try_get("version")?;
        let status = status_of(&row)?;
        if let Some(expected) = expected_version
            && expected != version
        {
            return Err(QueueError::Conflict(format!(
                "order {id} is at version {version}, not {expected}: reload it"
            )));
        }
        if !allowed_from.contains(&status) {
            return Err(QueueError::Conflict(format!(
                "order {id} is {status}; {audit_action} is not allowed from there"
            )));
        }
        let doc: String = row.try_get("doc")?;
        let mut order = parse_order(&doc)
            .map_err(|e| QueueError::Storage(format!("stored order {id}: {e}")))?;
        order.status = to;
        let reasons = event.reasons.clone();
        order.history.push(event);
        let new_doc =
            serde_json::to_string(&order).map_err(|e| QueueError::Storage(e.to_string()))?;
        // The claim is part of the update's condition: nobody else may hold the order.
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE orders SET status = $1, version = version + 1, doc = $2, claimed_by = NULL, claim_until = NULL, updated_ms = $3 WHERE id = $4 AND version = $5 AND (claimed_by IS NULL OR claimed_by = $6 OR claim_until IS NULL OR claim_until <= $3)",
        )
        .bind(to.as_str())
        .bind(new_doc)
        .bind(now)
        .bind(id.to_string())
        .bind(version)
        .bind(actor.to_string())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            let holder = claim_of(&row_claim(&mut tx, id).await?, now).map(|c| c.reviewer);
            return Err(QueueError::Conflict(match holder {
                Some(h) if h != actor => format!("order {id} is claimed by {h}"),
                _ => format!("order {id} changed meanwhile: reload it"),
            }));
        }
        failpoint("decide:after_order_update");
        Self::append_audit(
            &mut tx,
            AuditRow {
                before: Some(version),
                after: Some(version + 1),
                reasons: &reasons,
                note,
                ..AuditRow::new(actor, audit_action, id)
            },
        )
        .await?;
        extra(&mut tx, version + 1).await?;
        tx.commit().await?;
        // A status change can start or end other orders' TYPE-IN-PROGRESS.
        if let Err(e) = self.refresh_related(&order).await {
            tracing::warn!(order = %id, error = %e, "refreshing related finding counts failed");
        }
        Ok(DecisionOutcome {
            order: id.to_string(),
            status: to,
            version: version + 1,
            replayed: false,
        })
    }
}

async fn row_claim(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str) -> Result<AnyRow> {
    sqlx::query("SELECT claimed_by, claim_until FROM orders WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| QueueError::NotFound(format!("order {id}")))
}

/// One audit record to append.
struct AuditRow<'a> {
    actor: &'a str,
    action: &'a str,
    order: &'a str,
    before: Option<i64>,
    after: Option<i64>,
    reasons: &'a [crate::domain::Reason],
    note: Option<&'a str>,
}

impl<'a> AuditRow<'a> {
    fn new(actor: &'a str, action: &'a str, order: &'a str) -> Self {
        AuditRow {
            actor,
            action,
            order,
            before: None,
            after: None,
            reasons: &[],
            note: None,
        }
    }
}

fn status_of(row: &AnyRow) -> Result<Status> {
    let s: String = row.try_get("status")?;
    Status::parse(&s)
        .ok_or_else(|| QueueError::Storage(format!("unknown status {s:?} in the store")))
}

fn claim_of(row: &AnyRow, now: i64) -> Option<Claim> {
    let by: Option<String> = row.try_get("claimed_by").ok().flatten();
    let until: Option<i64> = row.try_get("claim_until").ok().flatten();
    match (by, until) {
        (Some(reviewer), Some(until_ms)) if until_ms > now => Some(Claim { reviewer, until_ms }),
        _ => None,
    }
}

/// Lookup keys of an order (what the cross-order rules join on).
fn order_keys(o: &Order) -> Vec<(&'static str, String)> {
    let mut keys: Vec<(&'static str, String)> = Vec::new();
    let mut add = |k: &'static str, v: String| {
        if !v.is_empty() && !keys.iter().any(|(a, b)| *a == k && *b == v) {
            keys.push((k, v));
        }
    };
    for (_, p) in o.people() {
        add("pid", id_key(&p.id_number));
        add("mob", phone_key(&p.mobile));
        add("mail", p.email.trim().to_lowercase());
    }
    for s in &o.sites {
        if s.access.method == AccessMethod::AuthCode {
            if let Some(c) = &s.access.auth_code {
                add("code", c.trim().to_string());
            }
            add("res", s.access.resource_id.trim().to_string());
        }
    }
    add("acct", o.account.trim().to_string());
    add("cert", id_key(&o.subject.certificate.number));
    keys
}

/// Lower-cased text the list search runs over: id, subject, domains, people's names.
fn search_text(o: &Order) -> String {
    let mut s = format!("{} {} {}", o.id, o.subject.name, o.subject.leader.name);
    for site in &o.sites {
        s.push(' ');
        s.push_str(&site.name);
        s.push(' ');
        s.push_str(&site.leader.name);
        for d in &site.domains {
            s.push(' ');
            s.push_str(&d.name);
        }
    }
    s.to_lowercase()
}

fn like_pattern(q: &str) -> String {
    let mut p = String::from("%");
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Keyset cursor: the sort key of the last row of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    s: Sort,
    b: i64,
    w: i64,
    p: String,
    t: i64,
    id: String,
}

fn encode_cursor(c: &Cursor) -> String {
    hex::encode(serde_json::to_vec(c).unwrap_or_default())
}

fn decode_cursor(s: &str) -> Result<Cursor> {
    hex::decode(s)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| QueueError::Invalid {
            path: Some("cursor".into()),
            message: "not a cursor of this list".into(),
        })
}

enum Param {
    S(String),
    I(i64),
}

fn summary_of(r: &AnyRow, now: i64) -> Result<OrderSummary> {
    let ft: String = r.try_get("filing_type")?;
    Ok(OrderSummary {
        id: r.try_get("id")?,
        filing_type: crate::domain::FilingType::parse(&ft)
            .ok_or_else(|| QueueError::Storage(format!("filing type {ft:?}")))?,
        status: status_of(r)?,
        province: r.try_get("province")?,
        subject_name: r.try_get("subject_name")?,
        submitted_at: r.try_get("submitted_at")?,
        submitted_ms: r.try_get("submitted_ms")?,
        blocks: r.try_get::<i64, _>("blocks")? as u32,
        warns: r.try_get::<i64, _>("warns")? as u32,
        claim: claim_of(r, now),
        version: r.try_get("version")?,
    })
}

fn counts(findings: &[rules::Finding]) -> (i64, i64) {
    let b = findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .count() as i64;
    (b, findings.len() as i64 - b)
}

#[async_trait::async_trait]
impl Queue for Store {
    async fn list(&self, query: &ListQuery) -> Result<Page> {
        let limit = query.limit.unwrap_or(50).clamp(1, 500) as i64;
        let mut wh: Vec<String> = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        let next = |p: Param, params: &mut Vec<Param>| -> String {
            params.push(p);
            format!("${}", params.len())
        };
        let status_ph: Vec<String> = query
            .status
            .iter()
            .map(|s| next(Param::S(s.as_str().into()), &mut params))
            .collect();
        if let Some(p) = query.province.as_deref().filter(|p| !p.is_empty()) {
            wh.push(format!(
                "province = {}",
                next(Param::S(p.to_string()), &mut params)
            ));
        }
        if let Some(ft) = query.filing_type {
            wh.push(format!(
                "filing_type = {}",
                next(Param::S(ft.as_str().into()), &mut params)
            ));
        }
        if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
            let q = q.trim();
            let plain = !q.contains(['%', '_', '\\']);
            if self.engine == Engine::Sqlite && plain && q.chars().count() >= 3 {
                // The FTS5 trigram index answers LIKE '%…%' for fragments of 3+ characters.
                let p = next(Param::S(format!("%{}%", q.to_lowercase())), &mut params);
                wh.push(format!(
                    "id IN (SELECT id FROM orders_search WHERE search LIKE {p})"
                ));
            } else {
                wh.push(format!(
                    "search LIKE {} ESCAPE '\\'",
                    next(Param::S(like_pattern(q)), &mut params)
                ));
            }
        }
        let order_by = match query.sort {
            Sort::Age => "submitted_ms, id",
            Sort::Province => "province, submitted_ms, id",
            Sort::Findings => "blocks DESC, warns DESC, submitted_ms, id",
        };
        if let Some(c) = query.cursor.as_deref() {
            let c = decode_cursor(c)?;
            if c.s != query.sort {
                return Err(QueueError::Invalid {
                    path: Some("cursor".into()),
                    message: "the cursor belongs to another sort".into(),
                });
            }
            let t = next(Param::I(c.t), &mut params);
            let id = next(Param::S(c.id.clone()), &mut params);
            wh.push(match query.sort {
                // Row values, so both engines walk the index from the cursor on.
                Sort::Age => format!("(submitted_ms, id) > ({t}, {id})"),
                Sort::Province => {
                    let p = next(Param::S(c.p.clone()), &mut params);
                    format!("(province, submitted_ms, id) > ({p}, {t}, {id})")
                }
                Sort::Findings => {
                    let b = next(Param::I(c.b), &mut params);
                    let w = next(Param::I(c.w), &mut params);
                    format!(
                        "(blocks < {b} OR (blocks = {b} AND (warns < {w} OR (warns = {w} AND (submitted_ms > {t} OR (submitted_ms = {t} AND id > {id}))))))"
                    )
                }
            });
        }
        let where_with = |status: Option<String>| -> String {
            let all: Vec<String> = status.into_iter().chain(wh.iter().cloned()).collect();
            if all.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", all.join(" AND "))
            }
        };
        let sql = if self.engine == Engine::Postgres && status_ph.len() > 1 {
            // PostgreSQL cannot walk one index in order across several statuses and would
            // read past every decided order; one ordered, limited scan per status, merged.
            let parts: Vec<String> = status_ph
                .iter()
                .map(|p| {
                    format!(
                        "(SELECT {SUMMARY_COLUMNS} FROM orders{} ORDER BY {order_by} LIMIT {})",
                        where_with(Some(format!("status = {p}"))),
                        limit + 1
                    )
                })
                .collect();
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM ({}) AS u ORDER BY {order_by} LIMIT {}",
                parts.join(" UNION ALL "),
                limit + 1
            )
        } else {
            let status =
                (!status_ph.is_empty()).then(|| format!("status IN ({})", status_ph.join(", ")));
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM orders{} ORDER BY {order_by} LIMIT {}",
                where_with(status),
                limit + 1
            )
        };
        // Only placeholders and fixed column names are formatted into `sql`; values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in params {
            q = match p {
                Param::S(s) => q.bind(s),
                Param::I(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(&self.read).await?;
        let now = now_ms();
        let mut items = rows
            .iter()
            .map(|r| summary_of(r, now))
            .collect::<Result<Vec<_>>>()?;
        let next = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|l| {
                encode_cursor(&Cursor {
                    s: query.sort,
                    b: i64::from(l.blocks),
                    w: i64::from(l.warns),
                    p: l.province.clone(),
                    t: l.submitted_ms,
                    id: l.id.clone(),
                })
            })
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn get(&self, id: &str) -> Result<OrderDetail> {
        let row = self.load_row(id).await?;
        let doc: String = row.try_get("doc")?;
        let order = parse_order(&doc)
            .map_err(|e| QueueError::Storage(format!("stored order {id}: {e}")))?;
        let states = self.material_states(&order).await?;
        let findings = self.findings(&order, &states).await?;
        Ok(OrderDetail {
            version: row.try_get("version")?,
            claim: claim_of(&row, now_ms()),
            order,
            findings,
        })
    }

    async fn claim(&self, id: &str, reviewer: &str, lease_secs: i64) -> Result<Claim> {
        if reviewer.trim().is_empty() {
            return Err(QueueError::invalid("a claim needs a reviewer id"));
        }
        let now = now_ms();
        let until = now + lease_secs.clamp(1, 24 * 3600) * 1000;
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(
            "UPDATE orders SET claimed_by = $1, claim_until = $2 WHERE id = $3 AND (claimed_by IS NULL OR claimed_by = $1 OR claim_until IS NULL OR claim_until <= $4)",
        )
        .bind(reviewer.to_string())
        .bind(until)
        .bind(id.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            drop(tx);
            let row = self.load_row(id).await?;
            let holder = claim_of(&row, now).map(|c| c.reviewer).unwrap_or_default();
            return Err(QueueError::Conflict(format!(
                "order {id} is claimed by {holder}"
            )));
        }
        Self::append_audit(&mut tx, AuditRow::new(reviewer, "claim", id)).await?;
        tx.commit().await?;
        Ok(Claim {
            reviewer: reviewer.to_string(),
            until_ms: until,
        })
    }

    async fn release(&self, id: &str, reviewer: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query("UPDATE orders SET claimed_by = NULL, claim_until = NULL WHERE id = $1 AND claimed_by = $2")
            .bind(id.to_string())
            .bind(reviewer.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            Self::append_audit(&mut tx, AuditRow::new(reviewer, "release", id)).await?;
            tx.commit().await?;
            return Ok(());
        }
        drop(tx);
        let row = self.load_row(id).await?;
        match claim_of(&row, now_ms()) {
            Some(c) if c.reviewer != reviewer => Err(QueueError::Conflict(format!(
                "order {id} is claimed by {}",
                c.reviewer
            ))),
            _ => Ok(()),
        }
    }

    async fn decide(
        &self,
        id: &str,
        reviewer: &str,
        d: &Decision,
        idempotency_key: &str,
    ) -> Result<DecisionOutcome> {
        if reviewer.trim().is_empty() {
            return Err(QueueError::invalid("a decision needs a reviewer id"));
        }
        if idempotency_key.trim().is_empty() {
            return Err(QueueError::Invalid {
                path: Some("Idempotency-Key".into()),
                message: "a decision needs an idempotency key".into(),
            });
        }
        // A replay answers with what the first request did.
        if let Some(row) =
            sqlx::query("SELECT reviewer, order_id, outcome FROM idempotency WHERE key = $1")
                .bind(idempotency_key.to_string())
                .fetch_optional(&self.read)
                .await?
        {
            return replay(&row, id, reviewer, expected_status(d.action));
        }
        let (to, event_kind, action) = match d.action {
            Action::Approve => (Status::Approved, EventKind::Approved, "approve"),
            Action::Reject => (Status::Rejected, EventKind::Rejected, "reject"),
            Action::ScheduleCall => (
                Status::AwaitingCall,
                EventKind::CallScheduled,
                "schedule_call",
            ),
        };
        let mut call = None;
        match d.action {
            Action::Reject => {
                if d.reasons.is_empty() || d.reasons.iter().any(|r| r.code.trim().is_empty()) {
                    return Err(QueueError::Invalid {
                        path: Some("reasons".into()),
                        message: "a rejection needs at least one reason with a code".into(),
                    });
                }
            }
            Action::ScheduleCall => {
                let plan = d.call.as_ref().ok_or_else(|| QueueError::Invalid {
                    path: Some("call".into()),
                    message: "scheduling a call needs `call`".into(),
                })?;
                let at: jiff::Timestamp = plan.at.parse().map_err(|_| QueueError::Invalid {
                    path: Some("call.at".into()),
                    message: format!("not an RFC 3339 time: {:?}", plan.at),
                })?;
                if !within_working_hours(at) {
                    let why = crate::domain::calls::check_slot(
                        at,
                        crate::domain::calendar::WorkCalendar::embedded(),
                    )
                    .err()
                    .map(|e| e.message(true))
                    .unwrap_or_default();
                    return Err(QueueError::Invalid {
                        path: Some("call.at".into()),
                        message: format!(
                            "calls are made in working hours: working days of China's official calendar (no public holidays), 09:00–12:00 and 13:30–18:00 Asia/Shanghai; {why}"
                        ),
                    });
                }
                if plan.phone.trim().is_empty() || plan.who.trim().is_empty() {
                    return Err(QueueError::Invalid {
                        path: Some("call".into()),
                        message: "a call needs whom and which phone".into(),
                    });
                }
                call = Some((at, plan.clone()));
            }
            Action::Approve => {
                let detail = self.get(id).await?;
                let blocks = detail
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Block)
                    .count();
                if blocks > 0
                    && !(d.override_blocks
                        && d.note.as_deref().is_some_and(|n| !n.trim().is_empty()))
                {
                    return Err(QueueError::Invalid {
                        path: Some("action".into()),
                        message: format!(
                            "{blocks} blocking findings remain; approving needs an override with a note"
                        ),
                    });
                }
            }
        }
        // The claim is checked by `transition`'s UPDATE, inside the transaction.
        let event = Event {
            at: jiff::Timestamp::now(),
            actor: format!("reviewer:{reviewer}"),
            event: event_kind,
            reasons: d.reasons.clone(),
            note: d.note.clone(),
            call: call.as_ref().map(|(at, p)| crate::domain::Call {
                at: *at,
                who: p.who.clone(),
                phone: p.phone.clone(),
                outcome: None,
            }),
        };
        let audit_action = if d.override_blocks && d.action == Action::Approve {
            "approve_override"
        } else {
            action
        };
        let key = idempotency_key.to_string();
        let reviewer_s = reviewer.to_string();
        let id_s = id.to_string();
        let outcome = self
            .transition(
                id,
                reviewer,
                audit_action,
                Some(d.expected_version),
                &[Status::Pending, Status::Resubmitted, Status::AwaitingCall],
                to,
                event,
                d.note.as_deref(),
                move |tx, version| {
                    Box::pin(async move {
                        if let Some((at, plan)) = call {
                            sqlx::query("INSERT INTO calls (order_id, at_ms, at, who, phone, reviewer) VALUES ($1, $2, $3, $4, $5, $6)")
                                .bind(id_s.clone())
                                .bind(at.as_millisecond())
                                .bind(rfc3339_shanghai(at.as_millisecond()))
                                .bind(plan.who)
                                .bind(plan.phone)
                                .bind(reviewer_s.clone())
                                .execute(&mut **tx)
                                .await?;
                        }
                        let outcome = DecisionOutcome { order: id_s.clone(), status: to, version, replayed: false };
                        sqlx::query("INSERT INTO idempotency (key, reviewer, order_id, outcome, at_ms) VALUES ($1, $2, $3, $4, $5)")
                            .bind(key)
                            .bind(reviewer_s)
                            .bind(id_s)
                            .bind(serde_json::to_string(&outcome).unwrap_or_default())
                            .bind(now_ms())
                            .execute(&mut **tx)
                            .await?;
                        Ok(())
                    })
                },
            )
            .await;
        match outcome {
            // Two requests with one key racing: the loser sees the winner's row now.
            Err(QueueError::Storage(_)) | Err(QueueError::Conflict(_)) => {
                if let Some(row) = sqlx::query(
                    "SELECT reviewer, order_id, outcome FROM idempotency WHERE key = $1",
                )
                .bind(idempotency_key.to_string())
                .fetch_optional(&self.read)
                .await?
                {
                    return replay(&row, id, reviewer, expected_status(d.action));
                }
                outcome
            }
            other => other,
        }
    }

    async fn record_call(
        &self,
        id: &str,
        reviewer: &str,
        outcome: CallOutcome,
        note: Option<&str>,
    ) -> Result<DecisionOutcome> {
        let event = Event {
            at: jiff::Timestamp::now(),
            actor: format!("reviewer:{reviewer}"),
            event: EventKind::CallDone,
            reasons: Vec::new(),
            note: Some(match note {
                Some(n) => format!("{}: {n}", outcome.as_str()),
                None => outcome.as_str().to_string(),
            }),
            call: None,
        };
        let id_s = id.to_string();
        self.transition(
            id,
            reviewer,
            "call_outcome",
            None,
            &[Status::AwaitingCall],
            Status::Pending,
            event,
            note,
            move |tx, _| {
                Box::pin(async move {
                    let seq: Option<i64> = sqlx::query(
                        "SELECT MAX(seq) AS seq FROM calls WHERE order_id = $1 AND outcome IS NULL",
                    )
                    .bind(id_s.clone())
                    .fetch_one(&mut **tx)
                    .await?
                    .try_get("seq")
                    .ok()
                    .flatten();
                    if let Some(seq) = seq {
                        sqlx::query("UPDATE calls SET outcome = $1 WHERE seq = $2")
                            .bind(outcome.as_str())
                            .bind(seq)
                            .execute(&mut **tx)
                            .await?;
                    }
                    Ok(())
                })
            },
        )
        .await
    }

    async fn reopen(&self, id: &str, reviewer: &str, note: &str) -> Result<DecisionOutcome> {
        if note.trim().is_empty() {
            return Err(QueueError::Invalid {
                path: Some("note".into()),
                message: "reopening needs a note".into(),
            });
        }
        let event = Event {
            at: jiff::Timestamp::now(),
            actor: format!("reviewer:{reviewer}"),
            event: EventKind::Note,
            reasons: Vec::new(),
            note: Some(format!("reopened: {note}")),
            call: None,
        };
        self.transition(
            id,
            reviewer,
            "reopen",
            None,
            &[Status::Rejected, Status::BureauRejected],
            Status::Pending,
            event,
            Some(note),
            |_, _| Box::pin(async { Ok(()) }),
        )
        .await
    }

    async fn intake(
        &self,
        actor: &str,
        order_json: &str,
        materials: Vec<(String, Vec<u8>)>,
    ) -> Result<DecisionOutcome> {
        let mut order = parse_order(order_json).map_err(|e| QueueError::Invalid {
            path: Some(e.path.clone()),
            message: e.message,
        })?;
        let id = order.id.trim().to_string();
        order.id = id.clone();
        if id.is_empty() || id.len() > 128 {
            return Err(QueueError::Invalid {
                path: Some("id".into()),
                message: "an order id of 1–128 characters is required".into(),
            });
        }
        let existing = sqlx::query(
            "SELECT doc, version, status, claimed_by, claim_until FROM orders WHERE id = $1",
        )
        .bind(id.clone())
        .fetch_optional(&self.read)
        .await?;
        let (before, action) = match &existing {
            None => (None, "intake"),
            Some(row) => {
                let status = status_of(row)?;
                let version: i64 = row.try_get("version")?;
                match status {
                    Status::Rejected | Status::BureauRejected => {
                        let doc: String = row.try_get("doc")?;
                        let mut prev =
                            parse_order(&doc).map_err(|e| QueueError::Storage(e.to_string()))?;
                        prev.previous = None;
                        order.previous = Some(Box::new(prev));
                        order.status = Status::Resubmitted;
                        (Some(version), "resubmit")
                    }
                    Status::Pending | Status::Resubmitted if claim_of(row, now_ms()).is_none() => {
                        order.status = status;
                        (Some(version), "replace")
                    }
                    other => {
                        return Err(QueueError::Conflict(format!(
                            "order {id} is {other} (or claimed); it cannot be replaced now"
                        )));
                    }
                }
            }
        };
        // Materials: bytes are copied into the store; the rules see their inspection.
        let mut by_id: std::collections::HashMap<String, Vec<u8>> = materials.into_iter().collect();
        let mut rows = Vec::with_capacity(order.materials.len());
        let mut states = Vec::with_capacity(order.materials.len());
        for m in &order.materials {
            let (bytes, state, media) = match by_id.remove(&m.id) {
                Some(b) => {
                    let ins = material::inspect_bytes(&b);
                    let media = ins.format.media_type().to_string();
                    (Some(b), MaterialState::Inspected(ins), media)
                }
                None => (
                    None,
                    MaterialState::Missing(m.file.clone()),
                    "application/octet-stream".to_string(),
                ),
            };
            rows.push((
                m.id.clone(),
                bytes,
                media,
                serde_json::to_string(&state).unwrap_or_default(),
            ));
            states.push(state);
        }
        let findings = self.findings(&order, &states).await?;
        let (blocks, warns) = counts(&findings);
        let doc = serde_json::to_string(&order).map_err(|e| QueueError::Storage(e.to_string()))?;
        let submitted_ms = order.submitted_at.as_millisecond();
        let version = before.map_or(1, |v| v + 1);
        let mut tx = self.write.begin().await?;
        // One row of values for both statements: $1 id, $2–$16 the columns, $17 the
        // version a replacement expects to find.
        let search = search_text(&order);
        let sql = if before.is_some() {
            "UPDATE orders SET doc = $2, version = $3, status = $4, filing_type = $5, province = $6, subject_name = $7, account = $8, subject_cert = $9, submitted_at = $10, submitted_ms = $11, search = $12, blocks = $13, warns = $14, findings = $15, updated_ms = $16 WHERE id = $1 AND version = $17"
        } else {
            "INSERT INTO orders (id, doc, version, status, filing_type, province, subject_name, account, subject_cert, submitted_at, submitted_ms, search, blocks, warns, findings, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING"
        };
        let mut write = sqlx::query(sql)
            .bind(id.clone())
            .bind(doc)
            .bind(version)
            .bind(order.status.as_str())
            .bind(order.filing_type.as_str())
            .bind(order.subject.region.province.trim().to_string())
            .bind(order.subject.name.clone())
            .bind(order.account.clone())
            .bind(id_key(&order.subject.certificate.number))
            .bind(rfc3339_shanghai(submitted_ms))
            .bind(submitted_ms)
            .bind(search.clone())
            .bind(blocks)
            .bind(warns)
            .bind(serde_json::to_string(&findings).unwrap_or_default())
            .bind(now_ms());
        if let Some(v) = before {
            write = write.bind(v);
        }
        if write.execute(&mut *tx).await?.rows_affected() != 1 {
            let what = if before.is_some() {
                "changed"
            } else {
                "was added"
            };
            return Err(QueueError::Conflict(format!("order {id} {what} meanwhile")));
        }
        if self.engine == Engine::Sqlite {
            sqlx::query("DELETE FROM orders_search WHERE id = $1")
                .bind(id.clone())
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO orders_search (id, search) VALUES ($1, $2)")
                .bind(id.clone())
                .bind(search)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM order_keys WHERE order_id = $1")
            .bind(id.clone())
            .execute(&mut *tx)
            .await?;
        if !order.status.is_dropped() {
            for (kind, key) in order_keys(&order) {
                sqlx::query("INSERT INTO order_keys (order_id, kind, key) VALUES ($1, $2, $3)")
                    .bind(id.clone())
                    .bind(kind)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM materials WHERE order_id = $1")
            .bind(id.clone())
            .execute(&mut *tx)
            .await?;
        for (mid, bytes, media, state) in rows {
            sqlx::query("INSERT INTO materials (order_id, material_id, bytes, media_type, state) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id, material_id) DO NOTHING")
                .bind(id.clone())
                .bind(mid)
                .bind(bytes)
                .bind(media)
                .bind(state)
                .execute(&mut *tx)
                .await?;
        }
        Self::append_audit(
            &mut tx,
            AuditRow {
                before,
                after: Some(version),
                ..AuditRow::new(actor, action, &id)
            },
        )
        .await?;
        tx.commit().await?;
        // Orders related to the new (or the replaced) version see it in their cross-order rules.
        let mut touched = vec![order.clone()];
        if let Some(prev) = order.previous.as_deref() {
            touched.push(prev.clone());
        }
        for o in &touched {
            if let Err(e) = self.refresh_related(o).await {
                tracing::warn!(order = %id, error = %e, "refreshing related finding counts failed");
            }
        }
        Ok(DecisionOutcome {
            order: id,
            status: order.status,
            version,
            replayed: false,
        })
    }

    async fn calls(&self, from_ms: i64, to_ms: i64) -> Result<Vec<CallEntry>> {
        let rows = sqlx::query("SELECT order_id, at_ms, at, who, phone, reviewer, outcome FROM calls WHERE at_ms >= $1 AND at_ms < $2 ORDER BY at_ms, seq")
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                let outcome: Option<String> = r.try_get("outcome")?;
                Ok(CallEntry {
                    order: r.try_get("order_id")?,
                    at_ms: r.try_get("at_ms")?,
                    at: r.try_get("at")?,
                    who: r.try_get("who")?,
                    phone: r.try_get("phone")?,
                    reviewer: r.try_get("reviewer")?,
                    outcome: outcome.as_deref().and_then(CallOutcome::parse),
                })
            })
            .collect()
    }

    async fn material(&self, id: &str, material_id: &str) -> Result<MaterialBytes> {
        let row = sqlx::query(
            "SELECT bytes, media_type FROM materials WHERE order_id = $1 AND material_id = $2",
        )
        .bind(id.to_string())
        .bind(material_id.to_string())
        .fetch_optional(&self.read)
        .await?
        .ok_or_else(|| QueueError::NotFound(format!("material {material_id} of order {id}")))?;
        let bytes: Option<Vec<u8>> = row.try_get("bytes")?;
        let bytes = bytes.ok_or_else(|| {
            QueueError::NotFound(format!(
                "the file of material {material_id} was never uploaded"
            ))
        })?;
        Ok(MaterialBytes {
            bytes,
            media_type: row.try_get("media_type")?,
        })
    }

    async fn audit(&self, order: Option<&str>) -> Result<Vec<AuditEntry>> {
        let rows = match order {
            Some(id) => {
                sqlx::query("SELECT seq, at_ms, actor, action, order_id, version_before, version_after, reasons, note FROM audit WHERE order_id = $1 ORDER BY seq")
                    .bind(id.to_string())
                    .fetch_all(&self.read)
                    .await?
            }
            None => {
                sqlx::query("SELECT seq, at_ms, actor, action, order_id, version_before, version_after, reasons, note FROM audit ORDER BY seq")
                    .fetch_all(&self.read)
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                let reasons: String = r.try_get("reasons")?;
                Ok(AuditEntry {
                    seq: r.try_get("seq")?,
                    at_ms: r.try_get("at_ms")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    order: r.try_get("order_id")?,
                    version_before: r.try_get("version_before")?,
                    version_after: r.try_get("version_after")?,
                    reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    async fn note_action(&self, id: &str, reviewer: &str, action: &str, note: &str) -> Result<()> {
        self.load_row(id).await?;
        let mut tx = self.write.begin().await?;
        Self::append_audit(
            &mut tx,
            AuditRow {
                note: Some(note),
                ..AuditRow::new(reviewer, action, id)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn stats(&self) -> Result<QueueStats> {
        let r = sqlx::query("SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN status IN ('pending', 'resubmitted', 'awaiting_call') THEN 1 ELSE 0 END), 0) AS open FROM orders")
            .fetch_one(&self.read)
            .await?;
        let total: i64 = r.try_get("total")?;
        let open: i64 = r.try_get("open")?;
        Ok(QueueStats {
            total: total as u64,
            awaiting_review: open as u64,
        })
    }
}

fn expected_status(a: Action) -> Status {
    match a {
        Action::Approve => Status::Approved,
        Action::Reject => Status::Rejected,
        Action::ScheduleCall => Status::AwaitingCall,
    }
}

/// The outcome of the first request with an idempotency key, if this request is the same one.
fn replay(row: &AnyRow, id: &str, reviewer: &str, status: Status) -> Result<DecisionOutcome> {
    let who: String = row.try_get("reviewer")?;
    let order: String = row.try_get("order_id")?;
    let outcome: String = row.try_get("outcome")?;
    let mut o: DecisionOutcome =
        serde_json::from_str(&outcome).map_err(|e| QueueError::Storage(e.to_string()))?;
    if who != reviewer || order != id || o.status != status {
        return Err(QueueError::Conflict(
            "this idempotency key was used for another request".into(),
        ));
    }
    o.replayed = true;
    Ok(o)
}
