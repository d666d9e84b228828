-- The integration role: held only by API keys of other systems (the operations system feeding
-- shipments and tracking, telephony). Its user row is the key's service user.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('customer', 'agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin', 'integration'));
ALTER TABLE users ADD CONSTRAINT users_integration_is_api_key
  CHECK (role <> 'integration' OR (username LIKE 'apikey:%' AND password_hash IS NULL));
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
  CHECK (role IN ('agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin', 'integration'));
