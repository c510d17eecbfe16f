//! The queue store: one implementation over two engines through sqlx's `Any` driver.
//! SQLite (the embedded default, WAL mode, one writer connection so writes never race
//! for the lock) and PostgreSQL (many stateless servers, one database). Schema
//! migrations live in `migrations/<engine>/` and are applied at start.
//!
//! Every state change runs in one transaction with its audit row: a crash leaves both
//! or neither. Decisions check the expected version and the claim inside that
//! transaction, and an idempotency key makes a retried request apply once.

use super::events::{Change, ChangeKind};
use super::time::{now_ms, rfc3339_shanghai, within_working_hours};
use super::*;
use crate::domain::person::id_key;
use crate::domain::{CallOutcome, Event, EventKind, Order, Status, parse_order};
use crate::material;
use crate::rules::{
    self, Context, MaterialState, MemoryIndex, ProviderSettings, RuleData, Severity,
};
use batch::Batch;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::path::Path;
use std::sync::Arc;

mod access;
mod batch;
mod cross;
mod leads;
mod presence;
pub use access::{TokenInfo, token_hash};

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
    /// SQLite: keeps the background checkpoints going while any clone of the store lives.
    _checkpoints: Option<Arc<Checkpoints>>,
}

/// SQLite's checkpoints (copying the write-ahead log into the database file, with an
/// fsync) ran inside the commit of whichever write crossed 1,000 log pages: about a fifth
/// of the writer's time in a busy intake. A task copies the log on a reader connection
/// every [`CHECKPOINT_EVERY`] instead, beside the writer (a passive checkpoint never
/// blocks it). The writer still checkpoints by itself past [`WRITER_CHECKPOINT_PAGES`],
/// should the task fall behind.
struct Checkpoints {
    pool: AnyPool,
}

const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);
const WRITER_CHECKPOINT_PAGES: u32 = 8_192;

impl Checkpoints {
    fn start(pool: AnyPool) -> Arc<Checkpoints> {
        let this = Arc::new(Checkpoints { pool });
        let weak = Arc::downgrade(&this);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(this) = weak.upgrade() else { break };
                if this.pool.is_closed() {
                    break;
                }
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&this.pool)
                    .await
                {
                    tracing::warn!("background checkpoint: {e}");
                }
            }
        });
        this
    }
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

/// Audit rows [`Store::open`] checks at the tail of the chain.
pub const AUDIT_TAIL_ROWS: u32 = 200;

/// How long opening waits for a database server before saying it cannot reach it.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The SQLite file a `sqlite:` URL names (`None` for an in-memory database).
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// A URL as it may be shown: without a password.
fn shown_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..s + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Check that the database can be used before any pool waits on it: one direct
/// connection, no retries. For SQLite, also the file's header, that the folder and file
/// can be written, and `PRAGMA quick_check`.
async fn preflight(engine: Engine, url: &str) -> Result<()> {
    use sqlx::Connection;
    match engine {
        Engine::Postgres => {
            let connect = sqlx::AnyConnection::connect(url);
            match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
                Ok(Ok(c)) => {
                    let _ = c.close().await;
                    Ok(())
                }
                Ok(Err(e)) => Err(QueueError::Storage(format!(
                    "cannot open the PostgreSQL database {}: {e}; check that the server runs and the URL, user and database are right",
                    shown_url(url)
                ))),
                Err(_) => Err(QueueError::Storage(format!(
                    "the PostgreSQL server of {} did not answer within {} s; check that it runs and is reachable",
                    shown_url(url),
                    CONNECT_TIMEOUT.as_secs()
                ))),
            }
        }
        Engine::Sqlite => {
            let Some(file) = sqlite_file(url) else {
                return Ok(());
            };
            sqlite_file_usable(&file)?;
            let rwc = if url.contains('?') {
                url.to_string()
            } else {
                format!("{url}?mode=rwc")
            };
            let mut c = sqlx::AnyConnection::connect(&rwc)
                .await
                .map_err(|e| sqlite_error(&file, &e.to_string()))?;
            // Every table and index but the material bytes (large, and read only when a
            // reviewer opens one, where a damaged page is an error then): a check that
            // stays well under a second on a store of tens of thousands of orders.
            let mut verdict = "ok".to_string();
            for table in CHECKED_TABLES {
                let check =
                    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA quick_check({table})")))
                        .fetch_one(&mut c)
                        .await;
                let row = match check {
                    Ok(r) => r,
                    // A table a later migration creates is not there yet on an old store.
                    Err(e) if e.to_string().contains("no such table") => continue,
                    Err(e) => {
                        let _ = c.close().await;
                        return Err(sqlite_error(&file, &e.to_string()));
                    }
                };
                verdict = row.try_get(0).unwrap_or_else(|_| "ok".into());
                if verdict != "ok" {
                    break;
                }
            }
            let _ = c.close().await;
            if verdict != "ok" {
                return Err(QueueError::Storage(format!(
                    "{} is damaged ({}); restore it from a backup, or move it away to start an empty store",
                    file.display(),
                    crate::domain::safe::excerpt(&verdict)
                )));
            }
            Ok(())
        }
    }
}

/// The tables `PRAGMA quick_check` looks at when an SQLite store opens.
const CHECKED_TABLES: &[&str] = &[
    "orders",
    "index_orders",
    "index_entries",
    "index_witnesses",
    "index_asks",
    "materials",
    "calls",
    "idempotency",
    "audit",
    "audit_head",
    "search_grams",
    "orders_search_rowid",
    "_sqlx_migrations",
];

/// An SQLite file (or its folder) that cannot be used, said plainly.
fn sqlite_file_usable(file: &Path) -> Result<()> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let read_only = |what: &Path, e: &std::io::Error| {
        QueueError::Storage(format!(
            "{} cannot be written ({e}); the store needs to write there: fix its permissions or mount, or give another --data-dir",
            what.display()
        ))
    };
    if file.exists() {
        let mut head = [0u8; 16];
        let mut f = std::fs::File::open(file).map_err(|e| read_only(file, &e))?;
        let n = std::io::Read::read(&mut f, &mut head).map_err(|e| read_only(file, &e))?;
        if n > 0 && (n < 16 || &head != b"SQLite format 3\0") {
            return Err(QueueError::Storage(format!(
                "{} is not an SQLite database; move it away (the store then starts empty) or point --data-dir at the folder of the right queue.db",
                file.display()
            )));
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(file)
            .map_err(|e| read_only(file, &e))?;
    }
    // SQLite writes its journal (`-wal`, `-shm`) beside the file: the folder must be writable.
    let probe = dir.join(format!(".icp-review-write-test-{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(|e| read_only(dir, &e))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// An error from SQLite at open, with what to do about it.
fn sqlite_error(file: &Path, e: &str) -> QueueError {
    let what = if e.contains("not a database") || e.contains("malformed") || e.contains("corrupt") {
        "is damaged or not an SQLite database; restore it from a backup, or move it away to start an empty store"
    } else if e.contains("readonly") || e.contains("read-only") || e.contains("unable to open") {
        "cannot be opened for writing; fix the permissions of the file and its folder, or give another --data-dir"
    } else {
        "cannot be opened"
    };
    QueueError::Storage(format!("{} {what} ({e})", file.display()))
}

const SUMMARY_COLUMNS: &str = "id, filing_type, status, province, subject_name, submitted_at, submitted_ms, blocks, warns, claimed_by, claim_until, version";

impl Store {
    /// Open (creating if needed) the store at `url`: `sqlite://PATH` or `postgres://…`.
    ///
    /// Fails fast, with a message saying what is wrong and what to do, when the database
    /// cannot be used: an SQLite file that is not a database or is damaged, a folder or
    /// file that cannot be written, a server that cannot be reached, or an audit log whose
    /// newest rows do not verify ([`Store::verify_audit_tail`]).
    pub async fn open(
        url: &str,
        data: Arc<RuleData>,
        provider: Arc<ProviderSettings>,
    ) -> Result<Store> {
        let store = Store::open_unverified(url, data, provider).await?;
        let tail = store.verify_audit_tail(AUDIT_TAIL_ROWS).await?;
        if let Some(b) = tail.broken {
            return Err(QueueError::Storage(format!(
                "the audit log does not verify (row {}: {}); run `icp-review audit verify` for the first broken link, and restore the database from a backup",
                b.seq, b.problem
            )));
        }
        Ok(store)
    }

    /// [`Store::open`] without checking the audit chain (for `icp-review audit verify`,
    /// which reports it in full).
    pub async fn open_unverified(
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
                "unsupported database URL \"{}\" (sqlite:// or postgres://)",
                crate::domain::safe::excerpt(url)
            )));
        };
        preflight(engine, url).await?;
        let (read, write) = match engine {
            Engine::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                // `checkpoint_pages`: the log's length at which a connection that writes
                // copies it into the database itself (see `Checkpoints`).
                let opts = |checkpoint_pages: u32| {
                    AnyPoolOptions::new().after_connect(move |conn, _| {
                        Box::pin(async move {
                            sqlx::query("PRAGMA busy_timeout = 10000")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query("PRAGMA synchronous = NORMAL")
                                .execute(&mut *conn)
                                .await?;
                            // Statement journals (a statement's undo inside a
                            // transaction) in memory, not in a file made and deleted
                            // for each: a sixth of the writer's time in an intake.
                            sqlx::query("PRAGMA temp_store = MEMORY")
                                .execute(&mut *conn)
                                .await?;
                            sqlx::query(sqlx::AssertSqlSafe(format!(
                                "PRAGMA wal_autocheckpoint = {checkpoint_pages}"
                            )))
                            .execute(&mut *conn)
                            .await?;
                            Ok(())
                        })
                    })
                };
                let write = opts(WRITER_CHECKPOINT_PAGES)
                    .max_connections(1)
                    .connect(&url)
                    .await?;
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&write)
                    .await?;

                let read = opts(1_000).max_connections(4).connect(&url).await?;
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
        let checkpoints = (engine == Engine::Sqlite).then(|| Checkpoints::start(read.clone()));
        let store = Store {
            engine,
            read,
            write,
            data,
            provider,
            _checkpoints: checkpoints,
        };
        store.ensure_index().await?;
        Ok(store)
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

    async fn material_states_in(
        conn: &mut sqlx::AnyConnection,
        order: &Order,
    ) -> Result<Vec<MaterialState>> {
        let rows = sqlx::query("SELECT material_id, state FROM materials WHERE order_id = $1")
            .bind(&order.id)
            .fetch_all(&mut *conn)
            .await?;
        let mut by_id = std::collections::HashMap::new();
        for r in rows {
            let mid: String = r.try_get("material_id")?;
            let state: String = r.try_get("state")?;
            by_id.insert(
                mid,
                serde_json::from_str::<MaterialState>(&state).map_err(|e| {
                    QueueError::Storage(format!(
                        "stored material state of order {}: {e}",
                        crate::domain::safe::excerpt(&order.id)
                    ))
                })?,
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

    /// Append an audit row chained to the one before it: the row's `hash` covers its
    /// content and `prev_hash`, and `audit_head` moves on to it. Locking the head (on
    /// PostgreSQL; SQLite has one writer) keeps concurrent writers from chaining onto the
    /// same row.
    async fn append_audit(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        a: AuditRow<'_>,
    ) -> Result<()> {
        let prev = Self::audit_head_locked(tx).await?;
        Self::append_audit_after(tx, &prev, a).await
    }

    /// The newest audit row's hash, the head locked until the transaction ends (on
    /// PostgreSQL; SQLite has one writer).
    async fn audit_head_locked(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<String> {
        let lock = if tx.backend_name() == "PostgreSQL" {
            "SELECT hash FROM audit_head WHERE id = 1 FOR UPDATE"
        } else {
            "SELECT hash FROM audit_head WHERE id = 1"
        };
        Ok(sqlx::query(lock)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| QueueError::Storage("the audit head row is missing".into()))?
            .try_get("hash")?)
    }

    /// Append the audit row after the row whose hash is `prev` (read with the head
    /// locked, in this transaction), with its change event. On PostgreSQL the row, the
    /// head's move and the event are one statement; on SQLite one batch.
    async fn append_audit_after(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        prev: &str,
        a: AuditRow<'_>,
    ) -> Result<()> {
        if tx.backend_name() != "PostgreSQL" {
            let mut batch = Batch::new(Engine::Sqlite);
            Self::audit_statements(&mut batch, prev, &a);
            batch.run(tx).await?;
            return Ok(());
        }
        let mut with = batch::With::default();
        Self::pg_audit_parts(&mut with, prev, &a, None);
        if Self::pg_run_audited(tx, with).await? != 1 {
            return Err(QueueError::Storage("the audit head row is missing".into()));
        }
        Ok(())
    }

    /// PostgreSQL: the parts of one statement that append the audit row after the row
    /// whose hash is `prev` (`ins`), move the head to it (`head`) and write the change
    /// event after the head's move (event ids follow commit order). With `gate`, the
    /// name of an earlier part (the order's update), the audit row is written for each
    /// of its rows: none when its condition failed, and nothing after it either.
    fn pg_audit_parts(with: &mut batch::With, prev: &str, a: &AuditRow<'_>, gate: Option<&str>) {
        let (values, hash, at_ms) = Self::audit_values(prev, a);
        let from = gate.map(|g| format!(" FROM {g}")).unwrap_or_default();
        with.part(
            "ins",
            &format!(
                "{AUDIT_INSERT} SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10{from} RETURNING seq"
            ),
            values,
        );
        with.part(
            "head",
            "UPDATE audit_head SET seq = ins.seq, hash = $1 FROM ins WHERE audit_head.id = 1 RETURNING audit_head.seq",
            vec![hash.into()],
        );
        if let Some(values) = Self::event_values(a, at_ms) {
            with.part(
                "event",
                &format!("{EVENT_INSERT} SELECT $1, $2, $3, $4, $5, $6 FROM head RETURNING 1"),
                values,
            );
        }
    }

    /// PostgreSQL: run a statement built on [`Self::pg_audit_parts`]; how many times the
    /// head moved (1, or 0 when a gate held nothing back).
    async fn pg_run_audited(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        with: batch::With,
    ) -> Result<i64> {
        let (sql, values) = with.finish("SELECT count(*) AS moved FROM head", vec![]);
        let mut batch = Batch::new(Engine::Postgres);
        batch.push(sql, values);
        let rows = batch.run(tx).await?;
        let row = rows
            .first()
            .ok_or_else(|| QueueError::Storage("the audit statement returned no row".into()))?;
        Ok(row.try_get("moved")?)
    }

    /// SQLite: the audit row after the row whose hash is `prev`, the head's move to it and
    /// the change event, as statements of one batch (SQLite has one writer: the head
    /// cannot move between the read of `prev` and these).
    fn audit_statements(batch: &mut Batch, prev: &str, a: &AuditRow<'_>) {
        let (values, hash, at_ms) = Self::audit_values(prev, a);
        batch.push(
            format!("{AUDIT_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            values,
        );
        // The audit row's `seq` is its rowid; the event insert comes after this.
        batch.push(
            "UPDATE audit_head SET seq = last_insert_rowid(), hash = $1 WHERE id = 1",
            vec![hash.into()],
        );
        if let Some(values) = Self::event_values(a, at_ms) {
            batch.push(
                format!("{EVENT_INSERT} VALUES ($1, $2, $3, $4, $5, $6)"),
                values,
            );
        }
    }

    /// The values of an audit row after the row whose hash is `prev` (for
    /// [`AUDIT_INSERT`]), stamped now; its hash and time.
    fn audit_values(prev: &str, a: &AuditRow<'_>) -> (Vec<batch::Value>, String, i64) {
        let fields = a.fields();
        let hash = audit_hash(prev, &fields);
        let at_ms = fields.at_ms;
        let values = vec![
            fields.at_ms.into(),
            fields.actor.into(),
            fields.action.into(),
            fields.order.into(),
            fields.before.into(),
            fields.after.into(),
            fields.reasons.into(),
            fields.note.into(),
            prev.into(),
            hash.clone().into(),
        ];
        (values, hash, at_ms)
    }

    /// The values of an audited change's event (for [`EVENT_INSERT`]), when it has one:
    /// actions that change nothing others see write none.
    fn event_values(a: &AuditRow<'_>, at_ms: i64) -> Option<Vec<batch::Value>> {
        let kind = ChangeKind::of_audit_action(a.action)?;
        let version = a.version.or(a.after).or(a.before).unwrap_or(0);
        Some(vec![
            at_ms.into(),
            kind.as_str().into(),
            a.order.into(),
            version.into(),
            a.status.map(|s| s.as_str().to_string()).into(),
            a.actor.into(),
        ])
    }

    /// Intake inside `tx`: the order's row, its entries in the cross-order index (and
    /// the findings of the orders that changes), materials and audit row.
    async fn intake_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &str,
        order_json: &str,
        materials: Vec<(String, MaterialUpload)>,
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
        .fetch_optional(&mut **tx)
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
        // Materials: each distinct file is inspected once and stored once (by digest);
        // the rules see their inspection.
        let mut by_id: std::collections::HashMap<String, MaterialUpload> =
            materials.into_iter().collect();
        let mut inspected: Vec<(Arc<Vec<u8>>, material::Inspection)> = Vec::new();
        let mut blobs: Vec<(String, Arc<Vec<u8>>)> = Vec::new();
        let mut rows = Vec::with_capacity(order.materials.len());
        let mut states = Vec::with_capacity(order.materials.len());
        for m in &order.materials {
            let (sha, state, media) = match by_id.remove(&m.id) {
                Some(MaterialUpload::Bytes(b)) => {
                    let ins = match inspected.iter().find(|(seen, _)| Arc::ptr_eq(seen, &b)) {
                        Some((_, ins)) => ins.clone(),
                        None => {
                            let ins = material::inspect_bytes(&b);
                            inspected.push((b.clone(), ins.clone()));
                            ins
                        }
                    };
                    if !blobs.iter().any(|(sha, _)| *sha == ins.sha256) {
                        blobs.push((ins.sha256.clone(), b));
                    }
                    let media = ins.format.media_type().to_string();
                    (
                        Some(ins.sha256.clone()),
                        MaterialState::Inspected(ins),
                        media,
                    )
                }
                Some(MaterialUpload::Unreadable(why)) => (
                    None,
                    MaterialState::Unreadable(why),
                    "application/octet-stream".to_string(),
                ),
                None => (
                    None,
                    MaterialState::Missing(m.file.clone()),
                    "application/octet-stream".to_string(),
                ),
            };
            rows.push((
                m.id.clone(),
                sha,
                media,
                serde_json::to_string(&state).unwrap_or_default(),
            ));
            states.push(state);
        }
        drop(inspected);
        let doc = serde_json::to_string(&order).map_err(|e| QueueError::Storage(e.to_string()))?;
        // Importing the same order again (same document, same material bytes) changes
        // nothing: no new version, no audit row.
        if action == "replace"
            && let Some(row) = &existing
            && row.try_get::<String, _>("doc")? == doc
        {
            let stored = sqlx::query(
                "SELECT material_id, state FROM materials WHERE order_id = $1 ORDER BY material_id",
            )
            .bind(id.clone())
            .fetch_all(&mut **tx)
            .await?;
            let mut old = Vec::with_capacity(stored.len());
            for r in &stored {
                old.push((
                    r.try_get::<String, _>("material_id")?,
                    r.try_get::<String, _>("state")?,
                ));
            }
            let mut new: Vec<(String, String)> = rows
                .iter()
                .map(|(mid, _, _, state)| (mid.clone(), state.clone()))
                .collect();
            new.sort();
            if old == new {
                let outcome = DecisionOutcome {
                    order: id,
                    status: order.status,
                    version: before.unwrap_or(1),
                    replayed: true,
                };
                return Ok(outcome);
            }
        }
        // The cross-order index takes the new version's entries first (the order's own
        // entries never answer its own questions; the replaced version's must be gone).
        self.lock_index(tx).await?;
        let changed = self
            .index_update(
                tx,
                &id,
                &crate::rules::index::entries(&order),
                existing.is_none(),
            )
            .await?;
        let (findings, asks) = self.check_stored(tx, &order, &states).await?;
        let (blocks, warns) = counts(&findings);
        let submitted_ms = order.submitted_at.as_millisecond();
        let version = before.map_or(1, |v| v + 1);
        // One row of values for both statements: $1 id, $2–$16 the columns, $17 the
        // version a replacement expects to find.
        let search = search_text(&order);
        // The order's row first: it comes back (`written`) only if it was written, which
        // a concurrent change of the same order prevents.
        let sql = if before.is_some() {
            "UPDATE orders SET doc = $2, version = $3, status = $4, filing_type = $5, province = $6, subject_name = $7, account = $8, subject_cert = $9, submitted_at = $10, submitted_ms = $11, search = $12, blocks = $13, warns = $14, findings = $15, updated_ms = $16 WHERE id = $1 AND version = $17 RETURNING id AS written"
        } else {
            "INSERT INTO orders (id, doc, version, status, filing_type, province, subject_name, account, subject_cert, submitted_at, submitted_ms, search, blocks, warns, findings, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING RETURNING id AS written"
        };
        let mut values: Vec<batch::Value> = vec![
            id.as_str().into(),
            doc.into(),
            version.into(),
            order.status.as_str().into(),
            order.filing_type.as_str().into(),
            order.subject.region.province.trim().into(),
            order.subject.name.as_str().into(),
            order.account.as_str().into(),
            id_key(&order.subject.certificate.number).into(),
            rfc3339_shanghai(submitted_ms).into(),
            submitted_ms.into(),
            search.as_str().into(),
            blocks.into(),
            warns.into(),
            serde_json::to_string(&findings).unwrap_or_default().into(),
            now_ms().into(),
        ];
        if let Some(v) = before {
            values.push(v.into());
        }
        // The rest of the intake's writes, and the reads they need, in two batches (one
        // hand-off to SQLite each; see `batch`). On an error the caller's transaction
        // undoes all of it.
        let mut batch = Batch::new(self.engine);
        batch.push(sql, values);
        self.search_index_statements(&mut batch, &id, &search, before.is_some());
        Self::asks_statements(&mut batch, &id, &asks, existing.is_none());
        // The digests the replaced version referenced: freed below if nothing else does.
        // A new order has none (and no material rows to clear).
        if existing.is_some() {
            batch.push(
                "SELECT DISTINCT sha256 AS old_sha FROM materials WHERE order_id = $1 AND sha256 IS NOT NULL",
                vec![id.as_str().into()],
            );
            batch.push(
                "DELETE FROM materials WHERE order_id = $1",
                vec![id.as_str().into()],
            );
        }
        // The blobs in one statement per 16 (a file already stored by digest is kept).
        for chunk in blobs.chunks(16) {
            let mut values = Vec::with_capacity(chunk.len() * 2);
            for (sha, bytes) in chunk {
                values.push(sha.as_str().into());
                values.push(batch::Value::Blob(bytes.clone()));
            }
            batch.push(
                format!(
                    "INSERT INTO material_blobs (sha256, bytes) VALUES {} ON CONFLICT (sha256) DO NOTHING",
                    values_list(chunk.len(), "(?, ?)", 1)
                ),
                values,
            );
        }
        // The material rows in one statement per 100 ($1 the order, four values a row).
        for chunk in rows.chunks(100) {
            let mut values = Vec::with_capacity(1 + chunk.len() * 4);
            values.push(id.as_str().into());
            for (mid, sha, media, state) in chunk {
                values.push(mid.as_str().into());
                values.push(sha.clone().into());
                values.push(media.as_str().into());
                values.push(state.as_str().into());
            }
            batch.push(
                format!(
                    "INSERT INTO materials (order_id, material_id, sha256, media_type, state) VALUES {} ON CONFLICT (order_id, material_id) DO NOTHING",
                    values_list(chunk.len(), "($1, ?, ?, ?, ?)", 2)
                ),
                values,
            );
        }
        // Orders whose answers changed with this one are rechecked with it.
        Self::dependents_statements(&mut batch, &changed, &id);
        let sqlite = self.engine == Engine::Sqlite;
        if sqlite {
            batch.push(
                "SELECT hash AS audit_head FROM audit_head WHERE id = 1",
                vec![],
            );
        }
        let mut old_shas: Vec<String> = Vec::new();
        let mut dependents: Vec<String> = Vec::new();
        let mut head: Option<String> = None;
        let mut written = false;
        for r in batch.run(tx).await? {
            match batch::first_column(&r) {
                "written" => written = true,
                "old_sha" => old_shas.push(r.try_get("old_sha")?),
                "dependent" => dependents.push(r.try_get("dependent")?),
                "audit_head" => head = Some(r.try_get("audit_head")?),
                other => {
                    return Err(QueueError::Storage(format!(
                        "intake: an unexpected answer ({other})"
                    )));
                }
            }
        }
        if !written {
            let what = if before.is_some() {
                "changed"
            } else {
                "was added"
            };
            return Err(QueueError::Conflict(format!("order {id} {what} meanwhile")));
        }
        self.recheck_orders(tx, dependents).await?;
        let mut tail = Batch::new(self.engine);
        for sha in old_shas {
            tail.push(
                "DELETE FROM material_blobs WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM materials WHERE sha256 = $1)",
                vec![sha.into()],
            );
        }
        let audit = AuditRow {
            before,
            after: Some(version),
            status: Some(order.status),
            ..AuditRow::new(actor, action, &id)
        };
        match head {
            // SQLite: the audit row, the head's move and the event in the same batch.
            Some(prev) => {
                Self::audit_statements(&mut tail, &prev, &audit);
                tail.run(tx).await?;
            }
            None => {
                tail.run(tx).await?;
                Self::append_audit(tx, audit).await?;
            }
        }
        Ok(DecisionOutcome {
            order: id,
            status: order.status,
            version,
            replayed: false,
        })
    }

    /// Index `search` (the order's search text) for the list's text search: the FTS5
    /// trigram row (SQLite; found again by its rowid, never by a scan) and the short
    /// fragments' grams (both engines). `replacing`: the order had rows to clean.
    fn search_index_statements(&self, batch: &mut Batch, id: &str, search: &str, replacing: bool) {
        if self.engine == Engine::Sqlite {
            if replacing {
                batch.push(
                    "DELETE FROM orders_search WHERE rowid = (SELECT rid FROM orders_search_rowid WHERE id = $1)",
                    vec![id.into()],
                );
            }
            batch.push(
                "INSERT INTO orders_search (id, search) VALUES ($1, $2)",
                vec![id.into(), search.into()],
            );
            // Right after the insert, on the same connection: its rowid.
            batch.push(
                "INSERT INTO orders_search_rowid (id, rid) VALUES ($1, last_insert_rowid()) ON CONFLICT (id) DO UPDATE SET rid = excluded.rid",
                vec![id.into()],
            );
        }
        if replacing {
            batch.push(
                "DELETE FROM search_grams WHERE order_id = $1",
                vec![id.into()],
            );
        }
        let grams = search_grams(search);
        // One statement per 200 grams (an order has a few dozen).
        for chunk in grams.chunks(200) {
            let mut values = Vec::with_capacity(1 + chunk.len());
            values.push(id.into());
            values.extend(chunk.iter().map(|g| batch::Value::from(g.as_str())));
            batch.push(
                format!(
                    "INSERT INTO search_grams (gram, order_id) VALUES {} ON CONFLICT (gram, order_id) DO NOTHING",
                    values_list(chunk.len(), "(?, $1)", 2)
                ),
                values,
            );
        }
    }

    /// Import several orders in one transaction (the demo orders on first start): all of
    /// them or, after a crash or an error, none.
    pub async fn intake_all(
        &self,
        actor: &str,
        orders: Vec<(String, Vec<(String, MaterialUpload)>)>,
    ) -> Result<usize> {
        let mut tx = self.write.begin().await?;
        let n = orders.len();
        for (json, materials) in orders {
            self.intake_in(&mut tx, actor, &json, materials).await?;
            failpoint("intake_all:after_one");
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Apply a status change with its history event and audit row, checking the version.
    ///
    /// The order's row is read once, locked with the audit head on PostgreSQL, and the
    /// version, status, claim and (for `refuse_blocks`) the stored blocking findings are
    /// checked on it. With `idempotency_key`, the key's row (the answer a replay gets) is
    /// written in the same transaction. On PostgreSQL the order's update, its audit row,
    /// the head's move, the change event and the key's row are then one statement: a
    /// decision costs the read, that statement, `extra`'s and the commit.
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
        refuse_blocks: bool,
        idempotency_key: Option<&str>,
        extra: impl for<'t> FnOnce(
            &'t mut sqlx::Transaction<'static, sqlx::Any>,
        ) -> futures::future::BoxFuture<'t, Result<()>>,
    ) -> Result<DecisionOutcome> {
        let pg = self.engine == Engine::Postgres;
        // Whether the order's entries in the cross-order index can change: then the index
        // is locked first, as an intake does (see `cross.rs`), and the audit head last.
        let touches_index = allowed_from
            .iter()
            .any(|s| s.in_review() != to.in_review() || s.is_dropped() != to.is_dropped());
        let mut tx = self.write.begin().await?;
        if touches_index {
            self.lock_index(&mut tx).await?;
        }
        let read = if pg && !touches_index {
            "SELECT o.doc, o.version, o.status, o.claimed_by, o.claim_until, o.blocks, h.hash AS head FROM orders o CROSS JOIN audit_head h WHERE o.id = $1 AND h.id = 1 FOR UPDATE OF o, h"
        } else if pg {
            "SELECT doc, version, status, claimed_by, claim_until, blocks FROM orders WHERE id = $1 FOR UPDATE"
        } else {
            "SELECT doc, version, status, claimed_by, claim_until, blocks FROM orders WHERE id = $1"
        };
        let row = sqlx::query(read)
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
        let now = now_ms();
        if let Some(c) = claim_of(&row, now).filter(|c| c.reviewer != actor) {
            return Err(QueueError::Conflict(format!(
                "order {id} is claimed by {}",
                c.reviewer
            )));
        }
        let blocks: i64 = row.try_get("blocks")?;
        if refuse_blocks && blocks > 0 {
            return Err(QueueError::Invalid {
                path: Some("action".into()),
                message: format!(
                    "{blocks} blocking findings remain; approving needs an override with a note"
                ),
            });
        }
        let doc: String = row.try_get("doc")?;
        let mut order = parse_order(&doc)
            .map_err(|e| QueueError::Storage(format!("stored order {id}: {e}")))?;
        let entries_before = crate::rules::index::entries(&order);
        order.status = to;
        let reasons = event.reasons.clone();
        order.history.push(event);
        let new_doc =
            serde_json::to_string(&order).map_err(|e| QueueError::Storage(e.to_string()))?;
        let audit = AuditRow {
            before: Some(version),
            after: Some(version + 1),
            reasons: &reasons,
            note,
            status: Some(to),
            ..AuditRow::new(actor, audit_action, id)
        };
        // The claim stays part of the update's condition (on SQLite another process may
        // have written since the read).
        // A status change can start or end other orders' TYPE-IN-PROGRESS (and a
        // withdrawn order frees its codes and contacts): when the order's entries in the
        // index change, the orders asking about them are rechecked.
        let entries = crate::rules::index::entries(&order);
        if entries != entries_before {
            let changed = self.index_update(&mut tx, id, &entries, false).await?;
            self.recheck_dependents(&mut tx, &changed, id).await?;
        }
        const UPDATE: &str = "UPDATE orders SET status = $1, version = version + 1, doc = $2, claimed_by = NULL, claim_until = NULL, updated_ms = $3 WHERE id = $4 AND version = $5 AND (claimed_by IS NULL OR claimed_by = $6 OR claim_until IS NULL OR claim_until <= $3)";
        let outcome = DecisionOutcome {
            order: id.to_string(),
            status: to,
            version: version + 1,
            replayed: false,
        };
        // The answer a replay of the request gets (decisions carry a key).
        let idempotency = idempotency_key.map(|key| -> Vec<batch::Value> {
            vec![
                key.into(),
                actor.into(),
                id.into(),
                serde_json::to_string(&outcome).unwrap_or_default().into(),
                now.into(),
            ]
        });
        if pg {
            let prev: String = if touches_index {
                Self::audit_head_locked(&mut tx).await?
            } else {
                row.try_get("head")?
            };
            // The order's update gates the rest: its audit row, the head's move, the
            // event and the key's row are one statement.
            let mut with = batch::With::default();
            with.part(
                "upd",
                &format!("{UPDATE} RETURNING id"),
                vec![
                    to.as_str().into(),
                    new_doc.into(),
                    now.into(),
                    id.into(),
                    version.into(),
                    actor.into(),
                ],
            );
            Self::pg_audit_parts(&mut with, &prev, &audit, Some("upd"));
            if let Some(values) = idempotency {
                with.part(
                    "idem",
                    &format!(
                        "{IDEMPOTENCY_INSERT} SELECT $1, $2, $3, $4, $5 FROM head RETURNING 1"
                    ),
                    values,
                );
            }
            if Self::pg_run_audited(&mut tx, with).await? != 1 {
                return Err(QueueError::Conflict(format!(
                    "order {id} changed meanwhile: reload it"
                )));
            }
            failpoint("decide:after_order_update");
        } else {
            let done = sqlx::query(UPDATE)
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
            let prev = Self::audit_head_locked(&mut tx).await?;
            let mut batch = Batch::new(Engine::Sqlite);
            Self::audit_statements(&mut batch, &prev, &audit);
            if let Some(values) = idempotency {
                batch.push(
                    format!("{IDEMPOTENCY_INSERT} VALUES ($1, $2, $3, $4, $5)"),
                    values,
                );
            }
            batch.run(&mut tx).await?;
        }
        extra(&mut tx).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

/// The head of an audit row's insert; its values come from `Store::audit_values`.
const AUDIT_INSERT: &str = "INSERT INTO audit (at_ms, actor, action, order_id, version_before, version_after, reasons, note, prev_hash, hash)";

/// The head of an idempotency key's insert (`key, reviewer, order_id, outcome, at_ms`).
const IDEMPOTENCY_INSERT: &str =
    "INSERT INTO idempotency (key, reviewer, order_id, outcome, at_ms)";

/// The head of a change event's insert; its values come from `Store::event_values`.
const EVENT_INSERT: &str = "INSERT INTO events (at_ms, kind, order_id, version, status, actor)";

/// A row of `calls` (`order_id, at_ms, at, who, phone, reviewer, outcome`).
fn call_of(r: &AnyRow) -> Result<CallEntry> {
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
    /// The order's status after the change, for the change event.
    status: Option<Status>,
    /// The order's version for the change event when the change leaves it as it is
    /// (claims); otherwise `after`.
    version: Option<i64>,
}

impl<'a> AuditRow<'a> {
    /// The row as stored, stamped now.
    fn fields(&self) -> AuditFields {
        AuditFields {
            at_ms: now_ms(),
            actor: self.actor.to_string(),
            action: self.action.to_string(),
            order: self.order.to_string(),
            before: self.before,
            after: self.after,
            reasons: serde_json::to_string(self.reasons).unwrap_or_else(|_| "[]".into()),
            note: self.note.map(str::to_string),
        }
    }

    fn new(actor: &'a str, action: &'a str, order: &'a str) -> Self {
        AuditRow {
            actor,
            action,
            order,
            before: None,
            after: None,
            reasons: &[],
            note: None,
            status: None,
            version: None,
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

/// The grams short fragments are found by: for every word of `search` (split at
/// spaces), each pair of adjacent characters, and the word's last character alone;
/// distinct, sorted. A fragment of two characters occurs in `search` exactly when it is
/// one of these grams; one of one character, when a gram starts with it. (Migration
/// 0006 computes the same in SQL for orders stored before it.)
fn search_grams(search: &str) -> Vec<String> {
    let chars: Vec<char> = search.chars().collect();
    let mut grams: Vec<String> = Vec::with_capacity(chars.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            continue;
        }
        let mut g = String::with_capacity(8);
        g.push(*c);
        if let Some(n) = chars.get(i + 1).filter(|n| **n != ' ') {
            g.push(*n);
        }
        grams.push(g);
    }
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// A search of one or two characters, which the trigram index cannot answer: it is
/// answered from `search_grams` (see [`search_grams`]).
enum ShortFragment {
    /// Two characters: exactly one gram.
    Pair(String),
    /// One character: the grams starting with it.
    Char(char),
}

impl ShortFragment {
    /// `lower`: the lower-cased query.
    fn of(lower: &str) -> Option<ShortFragment> {
        let mut cs = lower.chars();
        match (cs.next(), cs.next(), cs.next()) {
            (Some(a), Some(b), None) => Some(ShortFragment::Pair(format!("{a}{b}"))),
            (Some(a), None, _) => Some(ShortFragment::Char(a)),
            _ => None,
        }
    }

    /// The condition on a `search_grams` row (columns prefixed by `alias`), its values
    /// bound through `bind`, which answers each value's placeholder.
    fn condition(&self, alias: &str, bind: &mut dyn FnMut(Param) -> String) -> String {
        match self {
            ShortFragment::Pair(g) => format!("{alias}gram = {}", bind(Param::S(g.clone()))),
            ShortFragment::Char(c) => {
                let from = bind(Param::S(c.to_string()));
                match after_char(*c) {
                    Some(end) => {
                        format!(
                            "{alias}gram >= {from} AND {alias}gram < {}",
                            bind(Param::S(end))
                        )
                    }
                    None => format!("{alias}gram >= {from}"),
                }
            }
        }
    }
}

/// Up to this many gram rows, a short search on PostgreSQL hands the list its matching
/// orders by id; beyond, the matches are common enough to be met soon on the list's own
/// walk.
const FEW_GRAM_ROWS: usize = 2_000;

/// The first string after every string starting with `c` (in code point order, which is
/// the byte order of UTF-8): the end of the range of grams starting with `c`.
fn after_char(c: char) -> Option<String> {
    let mut n = u32::from(c) + 1;
    while n <= 0x10FFFF {
        if let Some(next) = char::from_u32(n) {
            return Some(next.to_string());
        }
        n += 1;
    }
    None
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

/// The `VALUES` list of a multi-row insert: `rows` copies of `row`, whose `?` become
/// the statement's parameters in order from `$first` (a fixed `$1` written in `row`
/// stays as written, in every row).
fn values_list(rows: usize, row: &str, first: usize) -> String {
    let mut out = String::with_capacity(rows * (row.len() + 8));
    let mut n = first;
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        for c in row.chars() {
            if c == '?' {
                out.push('$');
                out.push_str(&n.to_string());
                n += 1;
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// `q` with `params` bound, in order.
fn bound<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    params: Vec<Param>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for p in params {
        q = match p {
            Param::S(s) => q.bind(s),
            Param::I(i) => q.bind(i),
        };
    }
    q
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

/// The store's operations, for any actor. Callers that act as one person use an
/// actor-bound [`crate::queue::Queue`] (`Store::bind`).
impl Store {
    /// The list's condition for a short search on PostgreSQL. Without a choice made
    /// here, the planner (which knows nothing of how many orders a gram matches, above all
    /// before the first ANALYZE) walked the whole queue in list order for a name matching
    /// a handful of orders, or gathered and sorted ten thousand for a common surname. So:
    /// the gram rows are read first, up to [`FEW_GRAM_ROWS`]. Few: the list fetches those
    /// orders by id and sorts them. Many: the list walks in its own order and checks each
    /// order's grams (index `search_grams_order_gram`), stopping at a page.
    async fn short_on_postgres(
        &self,
        short: &ShortFragment,
        bind: &mut (dyn FnMut(Param) -> String + Send),
    ) -> Result<String> {
        let mut own: Vec<Param> = Vec::new();
        let cond = short.condition("", &mut |p| {
            own.push(p);
            format!("${}", own.len())
        });
        let sql = format!(
            "SELECT order_id FROM search_grams WHERE {cond} LIMIT {}",
            FEW_GRAM_ROWS + 1
        );
        let rows = bound(sqlx::query(sqlx::AssertSqlSafe(sql)), own)
            .fetch_all(&self.read)
            .await?;
        if rows.len() <= FEW_GRAM_ROWS {
            let mut ids = rows
                .iter()
                .map(|r| r.try_get::<String, _>("order_id"))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            ids.sort_unstable();
            ids.dedup();
            let ids =
                serde_json::to_string(&ids).map_err(|e| QueueError::Storage(e.to_string()))?;
            let p = bind(Param::S(ids));
            Ok(format!(
                "id IN (SELECT jsonb_array_elements_text(CAST({p} AS jsonb)))"
            ))
        } else {
            let g = short.condition("g.", bind);
            Ok(format!(
                "EXISTS (SELECT 1 FROM search_grams g WHERE g.order_id = orders.id AND {g})"
            ))
        }
    }

    pub async fn list(&self, query: &ListQuery) -> Result<Page> {
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
            let lower = q.to_lowercase();
            if let Some(short) = ShortFragment::of(&lower) {
                let cond = match self.engine {
                    Engine::Sqlite => {
                        let g = short.condition("", &mut |p| next(p, &mut params));
                        format!("id IN (SELECT order_id FROM search_grams WHERE {g})")
                    }
                    Engine::Postgres => {
                        self.short_on_postgres(&short, &mut |p| next(p, &mut params))
                            .await?
                    }
                };
                wh.push(cond);
            } else if self.engine == Engine::Sqlite && plain && q.chars().count() >= 3 {
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
        let back = query.backward;
        // Backwards, the same index is walked from its other end.
        let order_by = match (query.sort, back) {
            (Sort::Age, false) => "submitted_ms, id",
            (Sort::Age, true) => "submitted_ms DESC, id DESC",
            (Sort::Province, false) => "province, submitted_ms, id",
            (Sort::Province, true) => "province DESC, submitted_ms DESC, id DESC",
            (Sort::Findings, false) => "blocks DESC, warns DESC, submitted_ms, id",
            (Sort::Findings, true) => "blocks, warns, submitted_ms DESC, id DESC",
        };
        let (after, before) = if back { ("<", ">") } else { (">", "<") };
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
                Sort::Age => format!("(submitted_ms, id) {after} ({t}, {id})"),
                Sort::Province => {
                    let p = next(Param::S(c.p.clone()), &mut params);
                    format!("(province, submitted_ms, id) {after} ({p}, {t}, {id})")
                }
                Sort::Findings => {
                    let b = next(Param::I(c.b), &mut params);
                    let w = next(Param::I(c.w), &mut params);
                    format!(
                        "(blocks {before} {b} OR (blocks = {b} AND (warns {before} {w} OR (warns = {w} AND (submitted_ms {after} {t} OR (submitted_ms = {t} AND id {after} {id}))))))"
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
        let rows = bound(sqlx::query(sqlx::AssertSqlSafe(sql)), params)
            .fetch_all(&self.read)
            .await?;
        let now = now_ms();
        let mut items = rows
            .iter()
            .map(|r| summary_of(r, now))
            .collect::<Result<Vec<_>>>()?;
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        if back {
            items.reverse();
        }
        let next = if more {
            // Forwards from the last row; backwards from the first.
            let edge = if back { items.first() } else { items.last() };
            edge.map(|l| {
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

    pub async fn get(&self, id: &str) -> Result<OrderDetail> {
        let row = self.load_row(id).await?;
        let doc: String = row.try_get("doc")?;
        let order = parse_order(&doc)
            .map_err(|e| QueueError::Storage(format!("stored order {id}: {e}")))?;
        let mut conn = self.read.acquire().await?;
        let states = Self::material_states_in(&mut conn, &order).await?;
        let (findings, _) = self.check_stored(&mut conn, &order, &states).await?;
        Ok(OrderDetail {
            version: row.try_get("version")?,
            claim: claim_of(&row, now_ms()),
            order,
            findings,
            materials: states,
        })
    }

    /// `update` (an `UPDATE orders SET …`) where `condition`, returning the order's
    /// `version` and the audit head's hash as `head`: the audit row that follows needs
    /// no read of its own. On PostgreSQL the head is locked as the row is returned, after
    /// the order's row, the order every writer takes them in.
    fn with_head(&self, update: &str, condition: &str) -> String {
        let lock = if self.engine == Engine::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        format!(
            "{update} WHERE {condition} RETURNING version, (SELECT hash FROM audit_head WHERE id = 1{lock}) AS head"
        )
    }

    pub async fn claim(&self, id: &str, reviewer: &str, lease_secs: i64) -> Result<Claim> {
        if reviewer.trim().is_empty() {
            return Err(QueueError::invalid("a claim needs a reviewer id"));
        }
        let now = now_ms();
        let until = now + lease_secs.clamp(1, 24 * 3600) * 1000;
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(self.with_head(
            "UPDATE orders SET claimed_by = $1, claim_until = $2",
            "id = $3 AND (claimed_by IS NULL OR claimed_by = $1 OR claim_until IS NULL OR claim_until <= $4)",
        )))
        .bind(reviewer.to_string())
        .bind(until)
        .bind(id.to_string())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(done) = done else {
            drop(tx);
            let row = self.load_row(id).await?;
            let holder = claim_of(&row, now).map(|c| c.reviewer).unwrap_or_default();
            return Err(QueueError::Conflict(format!(
                "order {id} is claimed by {holder}"
            )));
        };
        let version: i64 = done.try_get("version")?;
        let head: String = done.try_get("head")?;
        Self::append_audit_after(
            &mut tx,
            &head,
            AuditRow {
                version: Some(version),
                ..AuditRow::new(reviewer, "claim", id)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Claim {
            reviewer: reviewer.to_string(),
            until_ms: until,
        })
    }

    pub async fn release(&self, id: &str, reviewer: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(self.with_head(
            "UPDATE orders SET claimed_by = NULL, claim_until = NULL",
            "id = $1 AND claimed_by = $2",
        )))
        .bind(id.to_string())
        .bind(reviewer.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(done) = done {
            let version: i64 = done.try_get("version")?;
            let head: String = done.try_get("head")?;
            Self::append_audit_after(
                &mut tx,
                &head,
                AuditRow {
                    version: Some(version),
                    ..AuditRow::new(reviewer, "release", id)
                },
            )
            .await?;
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

    pub async fn decide(
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
            // Approving with blocking findings left needs an override with a note:
            // `transition` reads the order's stored findings in its transaction.
            Action::Approve => {}
        }
        // The claim is checked by `transition`, inside the transaction.
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
                d.action == Action::Approve
                    && !(d.override_blocks
                        && d.note.as_deref().is_some_and(|n| !n.trim().is_empty())),
                Some(idempotency_key),
                move |tx| {
                    Box::pin(async move {
                        if let Some((at, plan)) = call {
                            sqlx::query("INSERT INTO calls (order_id, at_ms, at, who, phone, reviewer) VALUES ($1, $2, $3, $4, $5, $6)")
                                .bind(id_s)
                                .bind(at.as_millisecond())
                                .bind(rfc3339_shanghai(at.as_millisecond()))
                                .bind(plan.who)
                                .bind(plan.phone)
                                .bind(reviewer_s)
                                .execute(&mut **tx)
                                .await?;
                        }
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

    pub async fn record_call(
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
            false,
            None,
            move |tx| {
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

    pub async fn reopen(&self, id: &str, reviewer: &str, note: &str) -> Result<DecisionOutcome> {
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
            false,
            None,
            |_| Box::pin(async { Ok(()) }),
        )
        .await
    }

    pub async fn intake(
        &self,
        actor: &str,
        order_json: &str,
        materials: Vec<(String, Vec<u8>)>,
    ) -> Result<DecisionOutcome> {
        let uploads = materials
            .into_iter()
            .map(|(id, b)| (id, MaterialUpload::Bytes(Arc::new(b))))
            .collect();
        self.intake_uploads(actor, order_json, uploads).await
    }

    pub async fn intake_uploads(
        &self,
        actor: &str,
        order_json: &str,
        materials: Vec<(String, MaterialUpload)>,
    ) -> Result<DecisionOutcome> {
        let mut tx = self.write.begin().await?;
        let outcome = self
            .intake_in(&mut tx, actor, order_json, materials)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// The change events after event `after`, oldest first, at most `limit`.
    pub async fn changes_after(&self, after: i64, limit: i64) -> Result<Vec<Change>> {
        let rows = sqlx::query("SELECT id, at_ms, kind, order_id, version, status, actor FROM events WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit.max(1))
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let status: Option<String> = r.try_get("status")?;
                Ok(Change {
                    id: r.try_get("id")?,
                    kind: ChangeKind::parse(&kind).ok_or_else(|| {
                        QueueError::Storage(format!("unknown event kind {kind:?}"))
                    })?,
                    order: r.try_get("order_id")?,
                    version: r.try_get("version")?,
                    status: status.as_deref().and_then(Status::parse),
                    actor: r.try_get("actor")?,
                    at_ms: r.try_get("at_ms")?,
                })
            })
            .collect()
    }

    /// The id of the newest change event (0 when there is none).
    pub async fn last_change(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS id FROM events")
            .fetch_one(&self.read)
            .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn calls(&self, from_ms: i64, to_ms: i64) -> Result<Vec<CallEntry>> {
        let rows = sqlx::query("SELECT order_id, at_ms, at, who, phone, reviewer, outcome FROM calls WHERE at_ms >= $1 AND at_ms < $2 ORDER BY at_ms, seq")
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(call_of).collect()
    }

    pub async fn material(&self, id: &str, material_id: &str) -> Result<MaterialBytes> {
        let row = sqlx::query(
            "SELECT COALESCE(m.bytes, b.bytes) AS bytes, m.media_type FROM materials m LEFT JOIN material_blobs b ON b.sha256 = m.sha256 WHERE m.order_id = $1 AND m.material_id = $2",
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

    pub async fn audit(&self, order: Option<&str>) -> Result<Vec<AuditEntry>> {
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
                    reasons: serde_json::from_str(&reasons)
                        .map_err(|e| QueueError::Storage(format!("stored audit reasons: {e}")))?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    pub async fn note_action(
        &self,
        id: &str,
        reviewer: &str,
        action: &str,
        note: &str,
    ) -> Result<()> {
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

    pub async fn stats(&self) -> Result<QueueStats> {
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

/// The hash of the first chained audit row's predecessor.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit row's hash covers (besides the previous row's hash), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AuditFields {
    at_ms: i64,
    actor: String,
    action: String,
    order: String,
    before: Option<i64>,
    after: Option<i64>,
    reasons: String,
    note: Option<String>,
}

/// SHA-256 (lower-case hex) over the previous row's hash and this row's content, as a
/// JSON array so that no two different rows share an encoding.
fn audit_hash(prev: &str, f: &AuditFields) -> String {
    use sha2::{Digest, Sha256};
    let encoded = serde_json::json!([
        prev, f.at_ms, f.actor, f.action, f.order, f.before, f.after, f.reasons, f.note
    ])
    .to_string();
    hex::encode(Sha256::digest(encoded.as_bytes()))
}

/// Where the audit chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// The first row that does not verify (0 when the problem is the head).
    pub seq: i64,
    pub problem: String,
}

/// The result of checking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerdict {
    /// Rows checked.
    pub rows: u64,
    /// Rows older than the chain (written before it was introduced), not covered.
    pub unchained: u64,
    /// The newest row's hash as the head records it.
    pub head: String,
    /// The first broken link; `None` when the chain holds.
    pub broken: Option<BrokenLink>,
}

impl Store {
    /// Check the whole audit chain, oldest row first: every row's hash matches its
    /// content, every row names its predecessor's hash, and the head names the last row.
    pub async fn verify_audit(&self) -> Result<AuditVerdict> {
        self.verify_audit_from(None).await
    }

    /// Check the newest `rows` rows of the chain and the head (what a server does at
    /// start: cheap, and it catches a cut or edited tail).
    pub async fn verify_audit_tail(&self, rows: u32) -> Result<AuditVerdict> {
        let start: Option<i64> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT MIN(seq) AS seq FROM (SELECT seq FROM audit ORDER BY seq DESC LIMIT {}) AS t",
            u64::from(rows) + 1
        )))
        .fetch_one(&self.read)
        .await?
        .try_get("seq")?;
        self.verify_audit_from(Some(start.unwrap_or(0))).await
    }

    async fn verify_audit_from(&self, from: Option<i64>) -> Result<AuditVerdict> {
        const PAGE: i64 = 5_000;
        let head_row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.read)
            .await?;
        let (head_seq, head): (i64, String) = match &head_row {
            Some(r) => (r.try_get("seq")?, r.try_get("hash")?),
            None => {
                return Ok(AuditVerdict {
                    rows: 0,
                    unchained: 0,
                    head: String::new(),
                    broken: Some(BrokenLink {
                        seq: 0,
                        problem: "the audit head row is missing".into(),
                    }),
                });
            }
        };
        let mut verdict = AuditVerdict {
            rows: 0,
            unchained: 0,
            head: head.clone(),
            broken: None,
        };
        // The hash the next chained row must name; `None` until the first row is seen
        // when checking a tail (its predecessor is outside the window).
        let mut last: Option<(i64, String)> = match from {
            None => Some((0, AUDIT_GENESIS.to_string())),
            Some(_) => None,
        };
        let mut chain_started = false;
        let mut after = from.map_or(i64::MIN, |f| f - 1);
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT seq, at_ms, actor, action, order_id, version_before, version_after, reasons, note, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT {PAGE}"
            )))
            .bind(after)
            .fetch_all(&self.read)
            .await?;
            let n = rows.len();
            for r in rows {
                let seq: i64 = r.try_get("seq")?;
                after = seq;
                verdict.rows += 1;
                let hash: Option<String> = r.try_get("hash")?;
                let prev: Option<String> = r.try_get("prev_hash")?;
                let (Some(hash), Some(prev)) = (hash, prev) else {
                    if chain_started {
                        verdict.broken = Some(BrokenLink {
                            seq,
                            problem: "the row has no hash although older rows are chained: it was written around the store".into(),
                        });
                        return Ok(verdict);
                    }
                    verdict.unchained += 1;
                    continue;
                };
                let fields = AuditFields {
                    at_ms: r.try_get("at_ms")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    order: r.try_get("order_id")?,
                    before: r.try_get("version_before")?,
                    after: r.try_get("version_after")?,
                    reasons: r.try_get("reasons")?,
                    note: r.try_get("note")?,
                };
                if let Some((last_seq, last_hash)) = &last
                    && prev != *last_hash
                {
                    verdict.broken = Some(BrokenLink {
                        seq,
                        problem: if *last_seq == 0 {
                            "the first chained row does not start the chain: rows before it were removed or it was inserted".into()
                        } else {
                            format!(
                                "the row does not follow row {last_seq}: a row between them was removed, inserted or reordered"
                            )
                        },
                    });
                    return Ok(verdict);
                }
                if audit_hash(&prev, &fields) != hash {
                    verdict.broken = Some(BrokenLink {
                        seq,
                        problem: "the row's content does not match its hash: it was edited".into(),
                    });
                    return Ok(verdict);
                }
                chain_started = true;
                last = Some((seq, hash));
            }
            if (n as i64) < PAGE {
                break;
            }
        }
        let (last_seq, last_hash) = last.unwrap_or((0, AUDIT_GENESIS.to_string()));
        let head_matches = if chain_started {
            head == last_hash && head_seq == last_seq
        } else {
            // No chained row (yet): the head is still the genesis value.
            head == AUDIT_GENESIS
        };
        if !head_matches {
            verdict.broken = Some(BrokenLink {
                seq: 0,
                problem: format!(
                    "the head names row {head_seq}, but the chain ends at row {last_seq}: rows at the end were removed or the head was changed"
                ),
            });
        }
        Ok(verdict)
    }
}

#[cfg(test)]
mod values_tests {
    use super::values_list;

    #[test]
    fn rows_number_their_parameters_in_order_around_fixed_ones() {
        assert_eq!(values_list(2, "(?, ?)", 1), "($1, $2), ($3, $4)");
        assert_eq!(values_list(3, "(?, $1)", 2), "($2, $1), ($3, $1), ($4, $1)");
        assert_eq!(
            values_list(2, "(?, ?, $1, ?, $2)", 3),
            "($3, $4, $1, $5, $2), ($6, $7, $1, $8, $2)"
        );
        assert_eq!(values_list(1, "(?, ?, '[]')", 1), "($1, $2, '[]')");
        assert_eq!(values_list(0, "(?)", 1), "");
    }
}
