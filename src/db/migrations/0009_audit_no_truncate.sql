-- The row triggers refuse UPDATE and DELETE on the audit log, but TRUNCATE fires no row trigger:
-- it would empty the log and leave a chain that verifies (with nothing in it). Only a restore,
-- which replaces every table from a backup in one transaction, may truncate it.
CREATE FUNCTION audit_log_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('parceldesk.restoring', true), '') <> 'on' THEN
    RAISE EXCEPTION 'audit_log is append-only: TRUNCATE is refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_truncate();
