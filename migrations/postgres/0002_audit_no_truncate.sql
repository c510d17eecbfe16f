-- Row triggers do not fire on TRUNCATE: refuse it with a statement trigger.
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
