-- API tokens of `icp-review serve` (api.md 1.1): one per name, with its role. Only the
-- SHA-256 of the token is kept; a revoked token keeps its row (when, by whom listed) but
-- no longer authenticates.
CREATE TABLE tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);
