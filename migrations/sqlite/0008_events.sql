-- Durable change events (api.md 1.1): every change to an order writes one row here in the
-- same transaction as the change and its audit row. The row id is the SSE event id; a
-- client that reconnects asks for the rows after the last id it saw.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    order_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT,
    actor TEXT NOT NULL
);
