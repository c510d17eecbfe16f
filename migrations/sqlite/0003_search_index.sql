-- Text search over id, subject, domains and names: a trigram index (FTS5) so that
-- `LIKE '%fragment%'` does not scan every order.
CREATE VIRTUAL TABLE orders_search USING fts5(id UNINDEXED, search, tokenize = 'trigram');
INSERT INTO orders_search (id, search) SELECT id, search FROM orders;
