-- Search index upkeep at a flat cost, and short fragments found without a scan.
--
-- `orders_search` (FTS5) could only be cleaned by `DELETE … WHERE id = ?`, and an
-- UNINDEXED column is read row by row: every intake scanned the whole index. The FTS
-- rowid of each order is now kept by id, so the cleanup deletes one row by rowid.
CREATE TABLE orders_search_rowid (
    id TEXT PRIMARY KEY,
    rid INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO orders_search_rowid (id, rid) SELECT id, MAX(rowid) FROM orders_search GROUP BY id;
DELETE FROM orders_search WHERE rowid NOT IN (SELECT rid FROM orders_search_rowid);

-- The trigram index answers fragments of three characters or more. Fragments of one or
-- two (most Chinese given names and surnames) are answered from `search_grams`: for
-- every word of the search text (split at spaces), each pair of adjacent characters,
-- and the word's last character alone. A two-character fragment is one pair; a
-- one-character fragment is the range of grams starting with it.
CREATE TABLE search_grams (
    gram TEXT NOT NULL,
    order_id TEXT NOT NULL,
    PRIMARY KEY (gram, order_id)
) WITHOUT ROWID;
CREATE INDEX search_grams_order ON search_grams (order_id);
INSERT OR IGNORE INTO search_grams (gram, order_id)
WITH RECURSIVE pos(id, s, i) AS (
    SELECT id, search, 1 FROM orders WHERE length(search) > 0
    UNION ALL
    SELECT id, s, i + 1 FROM pos WHERE i < length(s)
)
SELECT CASE WHEN substr(s, i + 1, 1) IN ('', ' ') THEN substr(s, i, 1) ELSE substr(s, i, 2) END, id
FROM pos
WHERE substr(s, i, 1) <> ' ';
