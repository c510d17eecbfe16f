-- Durable change events (api.md 1.1): every change to an order writes one row here in the
-- same transaction as the change and its audit row. The row id is the SSE event id. Rows
-- are inserted while the transaction holds the audit head's row lock, so ids are handed
-- out in commit order: a reader that has seen id n never later finds a row below n.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    order_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT,
    actor TEXT NOT NULL
);
