-- Presence (api.md 1.1, `PUT /v1/presence`): what each person has open, for the queue's
-- "being viewed" marks, `:who` and follow mode. One row per person, replaced on every
-- report; a row whose `until_ms` has passed is gone (a client that stops reporting
-- drops out by itself). `seq` grows with every report, so readers take what changed
-- since the last `seq` they saw. Presence is never a lock: only a claim is.
CREATE TABLE presence (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    following TEXT,
    at_ms BIGINT NOT NULL,
    until_ms BIGINT NOT NULL
);
CREATE INDEX presence_by_seq ON presence (seq);
