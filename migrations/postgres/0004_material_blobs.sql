-- Material bytes stored once per distinct content: twenty materials naming one file
-- keep one copy. Rows of `materials` reference a blob by digest; rows written before
-- this migration keep their bytes inline.
CREATE TABLE material_blobs (
    sha256 TEXT PRIMARY KEY,
    bytes BYTEA NOT NULL
);
ALTER TABLE materials ADD COLUMN sha256 TEXT;
CREATE INDEX materials_sha256 ON materials (sha256);
