-- REPLACE INTO / INSERT OR REPLACE deletes without firing delete triggers: refuse it too.
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN NEW.seq IS NOT NULL AND EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
