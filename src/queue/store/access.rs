//! What the team server needs of the store beyond the queue itself: API tokens (who is
//! calling), a lead's force-release of someone else's claim, and a readiness probe.

use super::*;
use sha2::{Digest, Sha256};

/// A token as `icp-review token list` shows it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub name: String,
    pub role: Role,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

/// What a token is stored as: the hex SHA-256 of its text.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new token: `icpr_` and 256 random bits in hex.
fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| QueueError::Storage(format!("no randomness for a token: {e}")))?;
    Ok(format!("icpr_{}", hex::encode(bytes)))
}

/// Names of callers: what a reviewer is called in claims and the audit log.
fn check_token_name(name: &str) -> Result<()> {
    let ok = !name.trim().is_empty()
        && name.chars().count() <= 64
        && name.trim() == name
        && !name.chars().any(|c| c.is_control());
    if ok {
        Ok(())
    } else {
        Err(QueueError::Invalid {
            path: Some("name".into()),
            message: "a token's name is 1 to 64 characters without control characters or surrounding spaces".into(),
        })
    }
}

/// The caller of a row with the token's `name` and `role`.
fn actor_of(row: &sqlx::any::AnyRow, follower: bool) -> Result<Actor> {
    let role: String = row.try_get("role")?;
    let role = Role::parse(&role)
        .ok_or_else(|| QueueError::Storage(format!("unknown role {role:?} in the token table")))?;
    Ok(Actor {
        name: row.try_get("name")?,
        role,
        follower,
    })
}

impl Store {
    /// Create a token for `name` with `role` and return it (shown once; only its hash is
    /// kept). A name whose token was revoked may get a new one; a name with a live token
    /// is a conflict (revoke it first).
    pub async fn token_add(&self, name: &str, role: Role) -> Result<String> {
        check_token_name(name)?;
        let token = new_token()?;
        let hash = token_hash(&token);
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let existing = sqlx::query("SELECT revoked_ms FROM tokens WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        match existing {
            Some(row) => {
                let revoked: Option<i64> = row.try_get("revoked_ms")?;
                if revoked.is_none() {
                    return Err(QueueError::Conflict(format!(
                        "{name} already has a token; revoke it first (`icp-review token revoke {name}`)"
                    )));
                }
                sqlx::query("UPDATE tokens SET role = $1, hash = $2, created_ms = $3, revoked_ms = NULL WHERE name = $4")
                    .bind(role.as_str())
                    .bind(hash)
                    .bind(now)
                    .bind(name.to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO tokens (name, role, hash, created_ms) VALUES ($1, $2, $3, $4)",
                )
                .bind(name.to_string())
                .bind(role.as_str())
                .bind(hash)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(token)
    }

    /// Every token's name, role and dates, by name.
    pub async fn token_list(&self) -> Result<Vec<TokenInfo>> {
        let rows =
            sqlx::query("SELECT name, role, created_ms, revoked_ms FROM tokens ORDER BY name")
                .fetch_all(&self.read)
                .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(TokenInfo {
                    name: r.try_get("name")?,
                    role: Role::parse(&role).ok_or_else(|| {
                        QueueError::Storage(format!("unknown role {role:?} in the token table"))
                    })?,
                    created_ms: r.try_get("created_ms")?,
                    revoked_ms: r.try_get("revoked_ms")?,
                })
            })
            .collect()
    }

    /// Revoke `name`'s token: from now on it authenticates nobody. Not found when the
    /// name has no live token.
    pub async fn token_revoke(&self, name: &str) -> Result<()> {
        let done =
            sqlx::query("UPDATE tokens SET revoked_ms = $1 WHERE name = $2 AND revoked_ms IS NULL")
                .bind(now_ms())
                .bind(name.to_string())
                .execute(&self.write)
                .await?;
        if done.rows_affected() == 0 {
            return Err(QueueError::NotFound(format!("a live token named {name}")));
        }
        Ok(())
    }

    /// The caller a token stands for (`None`: unknown or revoked).
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>> {
        // A caller whose standing presence follows someone is a follower (api.md 1.1):
        // the queue refuses its claims and decisions, whatever its client sends.
        let row = sqlx::query(
            "SELECT t.name, t.role, p.following FROM tokens t LEFT JOIN presence p ON p.name = t.name AND p.until_ms > $2 WHERE t.hash = $1 AND t.revoked_ms IS NULL",
        )
        .bind(token_hash(token))
        .bind(now_ms())
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let following = row.try_get::<Option<String>, _>("following")?.is_some();
        actor_of(&row, following).map(Some)
    }

    /// Does the store answer? One trivial query on the read pool.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1 AS one").fetch_one(&self.read).await?;
        Ok(())
    }

    /// Take back a claim whatever its holder (a lead's action, checked by the caller):
    /// the released claim, or `None` when nobody held the order. Audited as
    /// `force_release` with the former holder in the note.
    pub async fn force_release(&self, id: &str, lead: &str) -> Result<Option<Claim>> {
        let now = now_ms();
        let mut tx = self.write.begin().await?;
        let lock = if tx.backend_name() == "PostgreSQL" {
            "SELECT version, claimed_by, claim_until FROM orders WHERE id = $1 FOR UPDATE"
        } else {
            "SELECT version, claimed_by, claim_until FROM orders WHERE id = $1"
        };
        let row = sqlx::query(lock)
            .bind(id.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| QueueError::NotFound(format!("order {id}")))?;
        let Some(held) = claim_of(&row, now) else {
            return Ok(None);
        };
        let version: i64 = row.try_get("version")?;
        sqlx::query("UPDATE orders SET claimed_by = NULL, claim_until = NULL WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        let note = format!("released the claim of {}", held.reviewer);
        Self::append_audit(
            &mut tx,
            AuditRow {
                version: Some(version),
                note: Some(&note),
                ..AuditRow::new(lead, "force_release", id)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(held))
    }
}

impl Store {
    /// Let the public key `public_key` (authorized_keys form, fingerprint `fingerprint`)
    /// open SSH sessions as `name`, who must hold a live token. A key already given to
    /// someone else is a conflict.
    pub async fn ssh_key_add(&self, name: &str, public_key: &str, fingerprint: &str) -> Result<()> {
        let mut tx = self.write.begin().await?;
        let live =
            sqlx::query("SELECT 1 AS one FROM tokens WHERE name = $1 AND revoked_ms IS NULL")
                .bind(name.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if live.is_none() {
            return Err(QueueError::NotFound(format!("a live token named {name}")));
        }
        let holder = sqlx::query("SELECT name FROM ssh_keys WHERE fingerprint = $1")
            .bind(fingerprint.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = holder {
            let holder: String = row.try_get("name")?;
            if holder == name {
                return Ok(());
            }
            return Err(QueueError::Conflict(format!(
                "the key {fingerprint} already belongs to {holder}"
            )));
        }
        sqlx::query(
            "INSERT INTO ssh_keys (fingerprint, name, public_key, added_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(fingerprint.to_string())
        .bind(name.to_string())
        .bind(public_key.to_string())
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whom the SSH key with `fingerprint` stands for (`None`: unknown, or its token is
    /// revoked).
    pub async fn ssh_key_actor(&self, fingerprint: &str) -> Result<Option<Actor>> {
        let row = sqlx::query(
            "SELECT t.name, t.role FROM ssh_keys k JOIN tokens t ON t.name = k.name WHERE k.fingerprint = $1 AND t.revoked_ms IS NULL",
        )
        .bind(fingerprint.to_string())
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else { return Ok(None) };
        actor_of(&row, false).map(Some)
    }
}
