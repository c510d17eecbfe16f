-- The review queue (PostgreSQL). Integers are Unix milliseconds where they are times.
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    filing_type TEXT NOT NULL,
    province TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    account TEXT NOT NULL,
    subject_cert TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_ms BIGINT NOT NULL,
    search TEXT NOT NULL,
    blocks BIGINT NOT NULL,
    warns BIGINT NOT NULL,
    findings TEXT NOT NULL,
    claimed_by TEXT,
    claim_until BIGINT,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX orders_status_age ON orders (status, submitted_ms, id);
CREATE INDEX orders_age ON orders (submitted_ms, id);
CREATE INDEX orders_province ON orders (province, submitted_ms, id);

CREATE TABLE order_keys (
    order_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL
);
CREATE INDEX order_keys_lookup ON order_keys (kind, key);
CREATE INDEX order_keys_order ON order_keys (order_id);

CREATE TABLE materials (
    order_id TEXT NOT NULL,
    material_id TEXT NOT NULL,
    bytes BYTEA,
    media_type TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (order_id, material_id)
);

CREATE TABLE calls (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    phone TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    outcome TEXT
);
CREATE INDEX calls_at ON calls (at_ms);

CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    reviewer TEXT NOT NULL,
    order_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);

-- Append-only: no code path updates or deletes audit rows, and the database refuses to.
CREATE TABLE audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    order_id TEXT NOT NULL,
    version_before BIGINT,
    version_after BIGINT,
    reasons TEXT NOT NULL,
    note TEXT
);
CREATE INDEX audit_order ON audit (order_id, seq);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
