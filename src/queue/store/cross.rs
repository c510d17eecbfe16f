//! The cross-order index in the store's tables (migration 0007).
//!
//! An order's cross-order findings depend on a few questions ("is there a site leader
//! with this mobile serving another subject?"), each asked under one key of one part of
//! the index (`rules::index::Part`). The store keeps every order's entries
//! (`index_entries`), and per part and key the few entries that answer every question
//! under it (`index_witnesses`, at most six). Checking an order reads the witness rows of
//! the keys it asks about and nothing else: no related order's document is read.
//!
//! When an intake or a status change alters the witnesses of a key, the orders that ask
//! about that key (`index_asks`) are rechecked, in the same transaction. A new order
//! changes a key's witnesses only when it is the first of its kind there (witness slots
//! fill once), so the orders sharing a busy key (a reseller's site leader on thousands
//! of orders) are not rechecked at every intake. Entries keep the place of their order's
//! first intake (`index_orders`); stored findings therefore equal those of
//! `rules::check_many` over the orders in that order.

use super::batch::{Batch, Value, first_column};
use super::*;
use crate::rules::index::{self, Asked, Entry, Part, PersonRecord};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

/// A witness as stored: its place in the index and its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stored(i64, i64, String, String, String, String, String);

impl Stored {
    fn place(&self) -> (i64, i64) {
        (self.0, self.1)
    }

    fn record(&self) -> PersonRecord {
        PersonRecord {
            order: self.2.clone(),
            subject_cert: self.3.clone(),
            id_number: self.4.clone(),
            mobile: self.5.clone(),
            email: self.6.clone(),
        }
    }

    fn of(seq: i64, pos: i64, r: &PersonRecord) -> Stored {
        Stored(
            seq,
            pos,
            r.order.clone(),
            r.subject_cert.clone(),
            r.id_number.clone(),
            r.mobile.clone(),
            r.email.clone(),
        )
    }
}

/// Keys in groups small enough for one statement's parameters.
const KEYS_PER_STATEMENT: usize = 100;

/// `(part = $a AND key = $b) OR …` for `keys`, numbering from `$first`.
fn key_filter(keys: &[(Part, String)], first: usize) -> String {
    keys.iter()
        .enumerate()
        .map(|(i, _)| {
            format!(
                "(part = ${} AND key = ${})",
                first + 2 * i,
                first + 2 * i + 1
            )
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// The values of `keys` for [`key_filter`] or a `(part, key)` row list: part, key, part…
fn push_keys(values: &mut Vec<Value>, keys: &[(Part, String)]) {
    for (p, k) in keys {
        values.push(p.as_str().into());
        values.push(k.as_str().into());
    }
}

/// One statement per [`KEYS_PER_STATEMENT`] of `keys`: its values are `lead` (`$1`…)
/// and then each key's part and key; `sql` writes a chunk's statement.
fn push_key_chunks(
    batch: &mut Batch,
    keys: &[(Part, String)],
    lead: &[Value],
    sql: impl Fn(&[(Part, String)]) -> String,
) {
    for chunk in keys.chunks(KEYS_PER_STATEMENT) {
        let mut values = Vec::with_capacity(lead.len() + 2 * chunk.len());
        values.extend_from_slice(lead);
        push_keys(&mut values, chunk);
        batch.push(sql(chunk), values);
    }
}

/// The distinct `(part, key)` of `entries`, sorted (the order witness rows are locked in).
fn sorted_keys<'a>(entries: impl Iterator<Item = &'a Entry>) -> Vec<(Part, String)> {
    let mut keys: Vec<(Part, String)> = entries.map(|e| (e.part, e.key.clone())).collect();
    keys.sort();
    keys.dedup();
    keys
}

fn storage(what: &str, e: impl std::fmt::Display) -> QueueError {
    QueueError::Storage(format!("{what}: {e}"))
}

impl Store {
    /// The parts and keys `order`'s findings depend on.
    fn asks(&self, order: &Order, states: &[MaterialState]) -> Vec<(Part, String)> {
        let asked = Asked::default();
        let ctx = Context {
            data: &self.data,
            provider: &self.provider,
            others: &asked,
        };
        rules::check_order(order, states, &ctx);
        asked.into_keys()
    }

    /// An index answering every question under `keys` like the full index would.
    async fn index_for(conn: &mut AnyConnection, keys: &[(Part, String)]) -> Result<MemoryIndex> {
        let mut entries: Vec<((i64, i64), Entry)> = Vec::new();
        let (codes, others): (Vec<_>, Vec<_>) = keys
            .iter()
            .cloned()
            .partition(|(p, _)| *p == Part::Resource);
        for chunk in others.chunks(KEYS_PER_STATEMENT) {
            let sql = format!(
                "SELECT part, key, records FROM index_witnesses WHERE {}",
                key_filter(chunk, 1)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (p, k) in chunk {
                q = q.bind(p.as_str()).bind(k.clone());
            }
            for r in q.fetch_all(&mut *conn).await? {
                let part: String = r.try_get("part")?;
                let part =
                    Part::parse(&part).ok_or_else(|| storage("index part", format!("{part:?}")))?;
                let key: String = r.try_get("key")?;
                let records: String = r.try_get("records")?;
                let records: Vec<Stored> =
                    serde_json::from_str(&records).map_err(|e| storage("index witnesses", e))?;
                for s in records {
                    entries.push((
                        s.place(),
                        Entry {
                            part,
                            key: key.clone(),
                            record: s.record(),
                            value: String::new(),
                        },
                    ));
                }
            }
        }
        for chunk in codes.chunks(KEYS_PER_STATEMENT) {
            let sql = format!(
                "SELECT part, key, value, seq, pos, order_id FROM index_entries WHERE {}",
                key_filter(chunk, 1)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (p, k) in chunk {
                q = q.bind(p.as_str()).bind(k.clone());
            }
            for r in q.fetch_all(&mut *conn).await? {
                entries.push((
                    (r.try_get("seq")?, r.try_get("pos")?),
                    Entry {
                        part: Part::Resource,
                        key: r.try_get("key")?,
                        record: PersonRecord {
                            order: r.try_get("order_id")?,
                            subject_cert: String::new(),
                            id_number: String::new(),
                            mobile: String::new(),
                            email: String::new(),
                        },
                        value: r.try_get("value")?,
                    },
                ));
            }
        }
        entries.sort_by_key(|(place, _)| *place);
        let mut ix = MemoryIndex::default();
        for (_, e) in entries {
            ix.add(e);
        }
        Ok(ix)
    }

    /// Check `order` against the stored index; also the keys it asked about.
    pub(super) async fn check_stored(
        &self,
        conn: &mut AnyConnection,
        order: &Order,
        states: &[MaterialState],
    ) -> Result<(Vec<rules::Finding>, Vec<(Part, String)>)> {
        let asks = self.asks(order, states);
        let index = Self::index_for(conn, &asks).await?;
        let ctx = Context {
            data: &self.data,
            provider: &self.provider,
            others: &index,
        };
        Ok((rules::check_order(order, states, &ctx), asks))
    }

    /// Record the keys `order_id`'s findings depend on, in place of those it had (`fresh`:
    /// a new order, which has none: one statement fewer per intake).
    pub(super) async fn set_asks(
        conn: &mut AnyConnection,
        engine: Engine,
        order_id: &str,
        asks: &[(Part, String)],
        fresh: bool,
    ) -> Result<()> {
        let mut batch = Batch::new(engine);
        Self::asks_statements(&mut batch, order_id, asks, fresh);
        batch.run(conn).await?;
        Ok(())
    }

    /// [`Store::set_asks`] as statements of a batch.
    pub(super) fn asks_statements(
        batch: &mut Batch,
        order_id: &str,
        asks: &[(Part, String)],
        fresh: bool,
    ) {
        if !fresh {
            batch.push(
                "DELETE FROM index_asks WHERE order_id = $1",
                vec![order_id.into()],
            );
        }
        push_key_chunks(batch, asks, &[order_id.into()], |chunk| {
            format!(
                "INSERT INTO index_asks (part, key, order_id) VALUES {} ON CONFLICT (part, key, order_id) DO NOTHING",
                values_list(chunk.len(), "(?, ?, $1)", 2)
            )
        });
    }

    /// On PostgreSQL, one transaction at a time changes the index: the lock is the first
    /// any of them takes (an intake before its order's row, a status change before the
    /// order's row), and the audit head the last, so that two of them never wait for each
    /// other in a cycle. A decision that leaves the index alone (an approval) takes the
    /// order's row and the head only. SQLite has one writer.
    pub(super) async fn lock_index(&self, conn: &mut AnyConnection) -> Result<()> {
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(1301301)) AS l")
                .fetch_one(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// The inserts of `order_id`'s index entries: at `seq`, or (`None`) at the place
    /// `index_orders` holds for it, read in the statement.
    fn entries_statements(batch: &mut Batch, order_id: &str, seq: Option<i64>, new: &[Entry]) {
        for (c, chunk) in new.chunks(50).enumerate() {
            let mut values = Vec::with_capacity(1 + 8 * chunk.len());
            values.push(order_id.into());
            let (row, first) = match seq {
                Some(seq) => {
                    values.push(seq.into());
                    ("(?, ?, $2, ?, $1, ?, ?, ?, ?, ?)", 3)
                }
                None => (
                    "(?, ?, (SELECT seq FROM index_orders WHERE order_id = $1), ?, $1, ?, ?, ?, ?, ?)",
                    2,
                ),
            };
            for (i, e) in chunk.iter().enumerate() {
                values.push(e.part.as_str().into());
                values.push(e.key.as_str().into());
                values.push(((c * 50 + i) as i64).into());
                values.push(e.record.subject_cert.as_str().into());
                values.push(e.record.id_number.as_str().into());
                values.push(e.record.mobile.as_str().into());
                values.push(e.record.email.as_str().into());
                values.push(e.value.as_str().into());
            }
            batch.push(
                format!(
                    "INSERT INTO index_entries (part, key, seq, pos, order_id, cert, id_number, mobile, email, value) VALUES {}",
                    values_list(chunk.len(), row, first)
                ),
                values,
            );
        }
    }

    /// Put `order_id`'s entries in the index in place of the ones it has (`fresh`: a new
    /// order, which has none, so they are not read). Returns the keys whose answers may
    /// have changed. The caller holds [`Store::lock_index`].
    pub(super) async fn index_update(
        &self,
        conn: &mut AnyConnection,
        order_id: &str,
        new: &[Entry],
        fresh: bool,
    ) -> Result<Vec<(Part, String)>> {
        let pg = self.engine == Engine::Postgres;
        // A new order on SQLite: its place, its entries and the witnesses of its keys in
        // one batch (it has no old entries to compare; SQLite locks nothing per row).
        let mut witnesses_read: Option<Vec<AnyRow>> = None;
        let place = "INSERT INTO index_orders (order_id) VALUES ($1) ON CONFLICT (order_id) DO UPDATE SET order_id = excluded.order_id RETURNING seq AS order_seq";
        let seq: i64 = if fresh && !pg {
            let mut batch = Batch::new(self.engine);
            batch.push(place, vec![order_id.into()]);
            Self::entries_statements(&mut batch, order_id, None, new);
            let keys = sorted_keys(new.iter().filter(|e| e.part != Part::Resource));
            push_key_chunks(&mut batch, &keys, &[], |chunk| {
                format!(
                    "SELECT part, key, records FROM index_witnesses WHERE {}",
                    key_filter(chunk, 1)
                )
            });
            let mut seq = None;
            let mut witnesses = Vec::new();
            for r in batch.run(conn).await? {
                if first_column(&r) == "order_seq" {
                    seq = Some(r.try_get("order_seq")?);
                } else {
                    witnesses.push(r);
                }
            }
            witnesses_read = Some(witnesses);
            seq.ok_or_else(|| storage("index place", "no sequence number came back"))?
        } else {
            // The order's place: taken at its first intake, kept after.
            sqlx::query(place)
                .bind(order_id.to_string())
                .fetch_one(&mut *conn)
                .await?
                .try_get("order_seq")?
        };
        let rows = if fresh {
            Vec::new()
        } else {
            sqlx::query(
                "SELECT part, key, cert, id_number, mobile, email, value FROM index_entries WHERE order_id = $1 ORDER BY pos",
            )
            .bind(order_id.to_string())
            .fetch_all(&mut *conn)
            .await?
        };
        let mut old = Vec::with_capacity(rows.len());
        for r in &rows {
            let part: String = r.try_get("part")?;
            old.push(Entry {
                part: Part::parse(&part)
                    .ok_or_else(|| storage("index part", format!("{part:?}")))?,
                key: r.try_get("key")?,
                record: PersonRecord {
                    order: order_id.to_string(),
                    subject_cert: r.try_get("cert")?,
                    id_number: r.try_get("id_number")?,
                    mobile: r.try_get("mobile")?,
                    email: r.try_get("email")?,
                },
                value: r.try_get("value")?,
            });
        }
        if old == new {
            return Ok(Vec::new());
        }
        if witnesses_read.is_none() {
            let mut batch = Batch::new(self.engine);
            if !old.is_empty() {
                batch.push(
                    "DELETE FROM index_entries WHERE order_id = $1",
                    vec![order_id.into()],
                );
            }
            Self::entries_statements(&mut batch, order_id, Some(seq), new);
            batch.run(conn).await?;
        }
        let keys = sorted_keys(old.iter().chain(new));
        let mut changed = Vec::new();
        // A server's codes: changed when a code comes or goes.
        for (part, key) in keys.iter().filter(|(p, _)| *p == Part::Resource) {
            let codes = |v: &[Entry]| -> std::collections::BTreeSet<String> {
                v.iter()
                    .filter(|e| e.part == *part && e.key == *key)
                    .map(|e| e.value.clone())
                    .collect()
            };
            let (before, after) = (codes(&old), codes(new));
            for code in before.symmetric_difference(&after) {
                let shared = sqlx::query(
                    "SELECT 1 AS x FROM index_entries WHERE part = $1 AND key = $2 AND value = $3 AND order_id <> $4 LIMIT 1",
                )
                .bind(part.as_str())
                .bind(key.clone())
                .bind(code.clone())
                .bind(order_id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
                if shared.is_none() {
                    changed.push((*part, key.clone()));
                    break;
                }
            }
        }
        let witnessed: Vec<(Part, String)> = keys
            .iter()
            .filter(|(p, _)| *p != Part::Resource)
            .cloned()
            .collect();
        let mut current: std::collections::HashMap<(String, String), Vec<Stored>> =
            std::collections::HashMap::new();
        let read_witnesses =
            |rows: Vec<AnyRow>,
             current: &mut std::collections::HashMap<(String, String), Vec<Stored>>|
             -> Result<()> {
                for r in rows {
                    let records: String = r.try_get("records")?;
                    current.insert(
                        (r.try_get("part")?, r.try_get("key")?),
                        serde_json::from_str(&records)
                            .map_err(|e| storage("index witnesses", e))?,
                    );
                }
                Ok(())
            };
        let prefetched = witnesses_read.is_some();
        if let Some(rows) = witnesses_read {
            read_witnesses(rows, &mut current)?;
        }
        for chunk in witnessed.chunks(KEYS_PER_STATEMENT) {
            // The witness rows are locked (PostgreSQL), in key order so that two intakes
            // sharing keys wait for each other instead of deadlocking; a row is made
            // first so that there is one to lock.
            let mut values = Vec::with_capacity(2 * chunk.len());
            push_keys(&mut values, chunk);
            let mut batch = Batch::new(self.engine);
            if pg {
                batch.push(
                    format!(
                        "INSERT INTO index_witnesses (part, key, records) VALUES {} ON CONFLICT (part, key) DO NOTHING",
                        values_list(chunk.len(), "(?, ?, '[]')", 1)
                    ),
                    values.clone(),
                );
            }
            if !prefetched {
                batch.push(
                    format!(
                        "SELECT part, key, records FROM index_witnesses WHERE {} ORDER BY part, key{}",
                        key_filter(chunk, 1),
                        if pg { " FOR UPDATE" } else { "" }
                    ),
                    values,
                );
            }
            read_witnesses(batch.run(conn).await?, &mut current)?;
            let mut writes: Vec<(Part, String, String)> = Vec::new();
            for (part, key) in chunk {
                let before = current
                    .remove(&(part.as_str().to_string(), key.clone()))
                    .unwrap_or_default();
                let had_old = old.iter().any(|e| e.part == *part && e.key == *key);
                let mine: Vec<Stored> = new
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.part == *part && e.key == *key)
                    .map(|(pos, e)| Stored::of(seq, pos as i64, &e.record))
                    .collect();
                // Entries after every witness (a new order's, as a rule) fill the slots
                // still empty: the witnesses and the new entries decide. Otherwise the
                // key's entries are read again in order.
                let candidates: Vec<Stored> = if !had_old
                    && before.iter().all(|s| s.place() < (seq, 0))
                {
                    before.iter().cloned().chain(mine).collect()
                } else {
                    let rows = sqlx::query(
                            "SELECT seq, pos, order_id, cert, id_number, mobile, email FROM index_entries WHERE part = $1 AND key = $2 ORDER BY seq, pos",
                        )
                        .bind(part.as_str())
                        .bind(key.clone())
                        .fetch_all(&mut *conn)
                        .await?;
                    let mut v = Vec::with_capacity(rows.len());
                    for r in &rows {
                        v.push(Stored(
                            r.try_get("seq")?,
                            r.try_get("pos")?,
                            r.try_get("order_id")?,
                            r.try_get("cert")?,
                            r.try_get("id_number")?,
                            r.try_get("mobile")?,
                            r.try_get("email")?,
                        ));
                    }
                    v
                };
                let records: Vec<PersonRecord> = candidates.iter().map(Stored::record).collect();
                let after: Vec<Stored> = index::witnesses(*part, &records)
                    .into_iter()
                    .map(|i| candidates[i].clone())
                    .collect();
                if after == before {
                    continue;
                }
                changed.push((*part, key.clone()));
                if after.is_empty() {
                    sqlx::query("DELETE FROM index_witnesses WHERE part = $1 AND key = $2")
                        .bind(part.as_str())
                        .bind(key.clone())
                        .execute(&mut *conn)
                        .await?;
                } else {
                    let json =
                        serde_json::to_string(&after).map_err(|e| storage("index witnesses", e))?;
                    writes.push((*part, key.clone(), json));
                }
            }
            // The new witness rows in one statement.
            if !writes.is_empty() {
                let sql = format!(
                    "INSERT INTO index_witnesses (part, key, records) VALUES {} ON CONFLICT (part, key) DO UPDATE SET records = excluded.records",
                    values_list(writes.len(), "(?, ?, ?)", 1)
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (p, k, json) in writes.drain(..) {
                    q = q.bind(p.as_str()).bind(k).bind(json);
                }
                q.execute(&mut *conn).await?;
            }
        }
        Ok(changed)
    }

    /// Recheck the orders (other than `except`) whose findings depend on `changed`
    /// keys, and store their findings. Returns how many were rechecked.
    pub(super) async fn recheck_dependents(
        &self,
        conn: &mut AnyConnection,
        changed: &[(Part, String)],
        except: &str,
    ) -> Result<usize> {
        let mut batch = Batch::new(self.engine);
        Self::dependents_statements(&mut batch, changed, except);
        let mut ids = Vec::new();
        for r in batch.run(conn).await? {
            ids.push(r.try_get("dependent")?);
        }
        self.recheck_orders(conn, ids).await
    }

    /// The queries for the orders (other than `except`) whose findings depend on
    /// `changed` keys: rows of one column, `dependent`.
    pub(super) fn dependents_statements(
        batch: &mut Batch,
        changed: &[(Part, String)],
        except: &str,
    ) {
        push_key_chunks(batch, changed, &[except.into()], |chunk| {
            format!(
                "SELECT DISTINCT order_id AS dependent FROM index_asks WHERE order_id <> $1 AND ({})",
                key_filter(chunk, 2)
            )
        });
    }

    /// Recheck the orders `ids` against the index and store their findings. Returns how
    /// many were rechecked.
    pub(super) async fn recheck_orders(
        &self,
        conn: &mut AnyConnection,
        mut ids: Vec<String>,
    ) -> Result<usize> {
        ids.sort();
        ids.dedup();
        let lock = if self.engine == Engine::Postgres {
            "SELECT doc FROM orders WHERE id = $1 FOR UPDATE"
        } else {
            "SELECT doc FROM orders WHERE id = $1"
        };
        for id in &ids {
            let Some(row) = sqlx::query(lock)
                .bind(id.clone())
                .fetch_optional(&mut *conn)
                .await?
            else {
                continue;
            };
            let doc: String = row.try_get("doc")?;
            let order = parse_order(&doc)
                .map_err(|e| storage(&format!("stored order {}", safe_id(id)), e))?;
            let states = Self::material_states_in(conn, &order).await?;
            let (findings, _) = self.check_stored(conn, &order, &states).await?;
            let (blocks, warns) = counts(&findings);
            sqlx::query("UPDATE orders SET blocks = $1, warns = $2, findings = $3 WHERE id = $4")
                .bind(blocks)
                .bind(warns)
                .bind(serde_json::to_string(&findings).unwrap_or_default())
                .bind(id.clone())
                .execute(&mut *conn)
                .await?;
        }
        Ok(ids.len())
    }

    /// Index the orders stored before the index existed (migration 0007), oldest
    /// intake first, then recheck every order against the complete index. Once.
    pub(super) async fn ensure_index(&self) -> Result<()> {
        let built: i64 = sqlx::query("SELECT built FROM index_state WHERE id = 1")
            .fetch_one(&self.write)
            .await?
            .try_get("built")?;
        if built != 0 {
            return Ok(());
        }
        let mut tx = self.write.begin().await?;
        self.lock_index(&mut tx).await?;
        // Another process may have built it meanwhile.
        let built: i64 = sqlx::query("SELECT built FROM index_state WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("built")?;
        if built != 0 {
            return Ok(());
        }
        let ids: Vec<String> = sqlx::query(
            "SELECT o.id FROM orders o LEFT JOIN (SELECT order_id, MIN(seq) AS seq FROM audit GROUP BY order_id) a ON a.order_id = o.id ORDER BY a.seq, o.submitted_ms, o.id",
        )
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
        tracing::info!(
            orders = ids.len(),
            "indexing the stored orders for the cross-order rules (once)"
        );
        for pass in 0..2 {
            for id in &ids {
                let doc: String = sqlx::query("SELECT doc FROM orders WHERE id = $1")
                    .bind(id.clone())
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("doc")?;
                let order = parse_order(&doc)
                    .map_err(|e| storage(&format!("stored order {}", safe_id(id)), e))?;
                if pass == 0 {
                    self.index_update(&mut tx, id, &index::entries(&order), false)
                        .await?;
                    continue;
                }
                let states = Self::material_states_in(&mut tx, &order).await?;
                let (findings, asks) = self.check_stored(&mut tx, &order, &states).await?;
                Self::set_asks(&mut tx, self.engine, id, &asks, false).await?;
                let (blocks, warns) = counts(&findings);
                sqlx::query(
                    "UPDATE orders SET blocks = $1, warns = $2, findings = $3 WHERE id = $4",
                )
                .bind(blocks)
                .bind(warns)
                .bind(serde_json::to_string(&findings).unwrap_or_default())
                .bind(id.clone())
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE index_state SET built = 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn safe_id(id: &str) -> String {
    crate::domain::safe::excerpt(id)
}
