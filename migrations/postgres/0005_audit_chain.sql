-- Tamper evidence: every audit row carries the SHA-256 of its content and of the row
-- before it (`prev_hash`), so editing, deleting or reordering rows breaks the chain
-- (`icp-review audit verify`). Rows written before this migration stay unchained.
-- `audit_head` holds the newest row's hash: a cut tail shows as a head no row matches,
-- and appending locks it so two writers never chain onto the same row.
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
SELECT 1, COALESCE(MAX(seq), 0), '0000000000000000000000000000000000000000000000000000000000000000' FROM audit;
