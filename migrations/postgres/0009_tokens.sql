-- API tokens of `icp-review serve` (api.md 1.1): one per name, with its role. Only the
-- SHA-256 of the token is kept; a revoked token keeps its row but no longer authenticates.
CREATE TABLE tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);

-- Fan-out between servers: every event row announces its id on the channel
-- `icp_review_events`. PostgreSQL delivers a notification when its transaction commits,
-- so listeners hear of a row only once it can be read; the payload is only the id (the
-- table stays the truth, and a listener that missed a notification reads the rows after
-- the last id it delivered).
CREATE FUNCTION icp_review_notify_event() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('icp_review_events', NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION icp_review_notify_event();
