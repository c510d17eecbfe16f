-- Short fragments found without a scan. The trigram index (0003) answers fragments of
-- three characters or more; for one or two characters (most Chinese given names and
-- surnames) PostgreSQL read every row. `search_grams` holds, for every word of an
-- order's search text (split at spaces), each pair of adjacent characters and the
-- word's last character alone: a two-character fragment is one pair, a one-character
-- fragment the range of grams starting with it (byte order, hence COLLATE "C").
CREATE TABLE search_grams (
    gram TEXT COLLATE "C" NOT NULL,
    order_id TEXT NOT NULL,
    PRIMARY KEY (gram, order_id)
);
CREATE INDEX search_grams_order ON search_grams (order_id);
INSERT INTO search_grams (gram, order_id)
SELECT DISTINCT
    CASE WHEN substr(o.search, i + 1, 1) IN ('', ' ') THEN substr(o.search, i, 1) ELSE substr(o.search, i, 2) END,
    o.id
FROM orders o, generate_series(1, length(o.search)) AS i
WHERE substr(o.search, i, 1) <> ' '
ON CONFLICT DO NOTHING;
