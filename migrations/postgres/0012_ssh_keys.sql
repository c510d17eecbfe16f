-- Public keys of the SSH front end (`serve --ssh`): a key opens a session as the holder of
-- a live token of that name, with the token's role. Revoking the token refuses its keys.
CREATE TABLE ssh_keys (
    fingerprint TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    public_key TEXT NOT NULL,
    added_ms BIGINT NOT NULL
);
CREATE INDEX ssh_keys_by_name ON ssh_keys (name);
