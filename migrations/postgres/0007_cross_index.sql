-- The cross-order index, kept in tables instead of rebuilt from related orders'
-- documents at every intake (see src/queue/store/cross.rs).
--
-- `index_orders`: the order in which orders entered the index (an order keeps its place).
-- `index_entries`: every entry of every order (rules::index::entries), by part and key.
-- `index_witnesses`: per part and key, the few entries that answer every question under
-- the key (rules::index::witnesses), as JSON; questions are answered from these alone.
-- `index_asks`: the parts and keys each order's findings depend on, so that a change
-- under a key rechecks exactly the orders that asked about it.
CREATE TABLE index_orders (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE
);
CREATE TABLE index_entries (
    part TEXT NOT NULL,
    key TEXT NOT NULL,
    seq BIGINT NOT NULL,
    pos BIGINT NOT NULL,
    order_id TEXT NOT NULL,
    cert TEXT NOT NULL,
    id_number TEXT NOT NULL,
    mobile TEXT NOT NULL,
    email TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (part, key, seq, pos)
);
CREATE INDEX index_entries_order ON index_entries (order_id);
CREATE TABLE index_witnesses (
    part TEXT NOT NULL,
    key TEXT NOT NULL,
    records TEXT NOT NULL,
    PRIMARY KEY (part, key)
);
CREATE TABLE index_asks (
    part TEXT NOT NULL,
    key TEXT NOT NULL,
    order_id TEXT NOT NULL,
    PRIMARY KEY (part, key, order_id)
);
CREATE INDEX index_asks_order ON index_asks (order_id);
-- Whether the tables cover every stored order: a store with orders from before this
-- migration is indexed (and its findings rechecked) once when it is next opened.
CREATE TABLE index_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    built BIGINT NOT NULL
);
INSERT INTO index_state (id, built) SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM orders) THEN 0 ELSE 1 END;
-- Replaced by index_entries.
DROP TABLE order_keys;
