//! Presence on the store: one row per person (migration 0011), replaced on every report,
//! with a `seq` that grows with each, so every reader (each server of one database, a
//! local subscription) takes what changed since the last `seq` it saw.

use super::super::presence::{Presence, TTL_MS, Viewing};
use super::super::time::now_ms;
use super::super::*;
use super::{Engine, Store};
use sqlx::Row;

const COLUMNS: &str = "name, seq, state, at_ms, until_ms";

fn presence_of(r: &sqlx::any::AnyRow) -> Result<Presence> {
    let state: String = r.try_get("state")?;
    let name: String = r.try_get("name")?;
    let viewing: Viewing = serde_json::from_str(&state).map_err(|e| {
        QueueError::Storage(format!(
            "the presence of {} does not read: {e}",
            crate::domain::safe::excerpt(&name)
        ))
    })?;
    Ok(Presence {
        name,
        viewing,
        at_ms: r.try_get("at_ms")?,
        until_ms: r.try_get("until_ms")?,
        seq: r.try_get("seq")?,
    })
}

impl Store {
    /// Record what `name` shows now, standing [`TTL_MS`] (0: `name` left).
    pub async fn set_presence(
        &self,
        name: &str,
        viewing: &Viewing,
        ttl_ms: i64,
    ) -> Result<Presence> {
        viewing.check()?;
        let state =
            serde_json::to_string(viewing).map_err(|e| QueueError::Storage(e.to_string()))?;
        let at = now_ms();
        let until = at + ttl_ms.clamp(0, TTL_MS);
        let seq = match self.engine {
            // One writer: the next number is the largest plus one.
            Engine::Sqlite => "(SELECT COALESCE(MAX(seq), 0) + 1 FROM presence)",
            Engine::Postgres => "nextval('presence_seq')",
        };
        let sql = format!(
            "INSERT INTO presence (name, seq, state, following, at_ms, until_ms) VALUES ($1, {seq}, $2, $3, $4, $5) \
             ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, state = excluded.state, following = excluded.following, at_ms = excluded.at_ms, until_ms = excluded.until_ms \
             RETURNING {COLUMNS}"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(name.to_string())
            .bind(state)
            .bind(viewing.following.clone())
            .bind(at)
            .bind(until)
            .fetch_one(&self.write)
            .await?;
        if self.engine == Engine::Postgres {
            // Other servers of this database hear of it at once (their readers look at
            // the table on any notification).
            sqlx::query("SELECT pg_notify('icp_review_events', 'presence') AS n")
                .fetch_one(&self.write)
                .await?;
        }
        presence_of(&row)
    }

    /// Everyone whose report stands now, by name.
    pub async fn presence(&self) -> Result<Vec<Presence>> {
        let sql = format!("SELECT {COLUMNS} FROM presence WHERE until_ms > $1 ORDER BY name");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now_ms())
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(presence_of).collect()
    }

    /// The reports made after `seq` (a person who left included: their report says so),
    /// oldest first, at most `limit`.
    pub async fn presence_after(&self, seq: i64, limit: i64) -> Result<Vec<Presence>> {
        let sql = format!("SELECT {COLUMNS} FROM presence WHERE seq > $1 ORDER BY seq LIMIT $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(seq)
            .bind(limit.max(1))
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(presence_of).collect()
    }

    /// The newest report's `seq` (0 before any).
    pub async fn last_presence(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM presence")
            .fetch_one(&self.read)
            .await?;
        Ok(row.try_get("seq")?)
    }
}
