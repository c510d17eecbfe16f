-- Text search over id, subject, domains and names: a trigram index so that
-- `search LIKE '%fragment%'` does not scan every order.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX orders_search_trgm ON orders USING gin (search gin_trgm_ops);
