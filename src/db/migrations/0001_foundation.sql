-- Foundation: settings, accounts, customers, tickets, SLA clocks, notifications, audit.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  uuid
);

CREATE TABLE calendars (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  definition  jsonb NOT NULL,            -- BusinessCalendar (src/domain/business-hours.ts)
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name_enc       text,                  -- AES-256-GCM, see src/platform/crypto.ts
  phone_enc      text,
  phone_hash     text,                  -- keyed HMAC of the normalised phone: lookup without decrypting
  email_enc      text,
  email_hash     text,
  address_enc    text,
  tier           text NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'vip', 'enterprise')),
  special_groups text[] NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_phone_hash ON customers (phone_hash);
CREATE INDEX customers_email_hash ON customers (email_hash);

CREATE TABLE teams (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  kind          text NOT NULL DEFAULT 'service' CHECK (kind IN ('service', 'senior', 'department', 'supervision')),
  strategy      text NOT NULL DEFAULT 'least_loaded' CHECK (strategy IN ('round_robin', 'least_loaded')),
  calendar_id   uuid REFERENCES calendars(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username         text NOT NULL,
  display_name     text NOT NULL,
  role             text NOT NULL CHECK (role IN ('customer', 'agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin')),
  password_hash    text,
  customer_id      uuid REFERENCES customers(id),
  skills           text[] NOT NULL DEFAULT '{}',
  channels         text[] NOT NULL DEFAULT '{}',
  capacity         integer NOT NULL DEFAULT 20 CHECK (capacity >= 0),
  available        boolean NOT NULL DEFAULT true,
  last_assigned_at timestamptz,
  failed_logins    integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  disabled_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'customer' OR customer_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE team_members (
  team_id   uuid NOT NULL REFERENCES teams(id),
  user_id   uuid NOT NULL REFERENCES users(id),
  is_lead   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin')),
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  created_by   uuid REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE ticket_types (
  code      text PRIMARY KEY,
  name_zh   text NOT NULL,
  name_en   text NOT NULL,
  sort      integer NOT NULL DEFAULT 0
);

CREATE TABLE categories (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id   uuid REFERENCES categories(id),
  code        text NOT NULL UNIQUE,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  ticket_type text REFERENCES ticket_types(code),
  skill       text,
  sort        integer NOT NULL DEFAULT 0,
  active      boolean NOT NULL DEFAULT true
);

CREATE TABLE sla_policies (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  clock         text NOT NULL,          -- first_response, next_response, resolution, complaint_reply, …
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  ticket_type   text REFERENCES ticket_types(code),   -- NULL: any type
  priority      text CHECK (priority IN ('low', 'normal', 'high', 'urgent')), -- NULL: any priority
  channel       text,                                 -- NULL: any channel
  target_minutes numeric NOT NULL CHECK (target_minutes > 0),
  mode          text NOT NULL DEFAULT 'business' CHECK (mode IN ('business', 'calendar')),
  calendar_id   uuid REFERENCES calendars(id),
  warn_fraction numeric NOT NULL DEFAULT 0.2 CHECK (warn_fraction >= 0 AND warn_fraction < 1),
  active        boolean NOT NULL DEFAULT true,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tickets (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number               text NOT NULL UNIQUE,
  type                 text NOT NULL REFERENCES ticket_types(code),
  category_id          uuid REFERENCES categories(id),
  channel              text NOT NULL CHECK (channel IN ('phone', 'chat', 'email', 'walk_in', 'web', 'api')),
  priority             text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status               text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
  waiting_on           text CHECK (waiting_on IN ('customer', 'department')),
  subject              text NOT NULL,
  description          text NOT NULL DEFAULT '',
  customer_id          uuid REFERENCES customers(id),
  team_id              uuid REFERENCES teams(id),
  owner_id             uuid REFERENCES users(id),
  created_by           uuid REFERENCES users(id),
  special_groups       text[] NOT NULL DEFAULT '{}',
  goods                text[] NOT NULL DEFAULT '{}',
  tags                 text[] NOT NULL DEFAULT '{}',
  waybills             text[] NOT NULL DEFAULT '{}',
  customer_notified_at timestamptz,
  first_responded_at   timestamptz,
  resolved_at          timestamptz,
  closed_at            timestamptz,
  merged_into_id       uuid REFERENCES tickets(id),
  sla_state            text NOT NULL DEFAULT 'none' CHECK (sla_state IN ('none', 'running', 'warning', 'breached', 'paused', 'met')),
  sla_due_at           timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'pending') = (waiting_on IS NOT NULL))
);
CREATE INDEX tickets_created ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_status_created ON tickets (status, created_at DESC, id DESC);
CREATE INDEX tickets_owner_created ON tickets (owner_id, created_at DESC, id DESC);
CREATE INDEX tickets_team_created ON tickets (team_id, created_at DESC, id DESC);
CREATE INDEX tickets_customer_created ON tickets (customer_id, created_at DESC, id DESC);
CREATE INDEX tickets_sla_state ON tickets (sla_state, sla_due_at) WHERE sla_state IN ('warning', 'breached');
CREATE INDEX tickets_waybills ON tickets USING gin (waybills);
CREATE INDEX tickets_tags ON tickets USING gin (tags);
CREATE INDEX tickets_subject_trgm ON tickets USING gin (subject gin_trgm_ops);

CREATE TABLE ticket_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ticket_id   uuid NOT NULL REFERENCES tickets(id),
  kind        text NOT NULL,     -- created, message, note, status, assignment, handover, escalation, priority, merge, link, sla, …
  actor_id    uuid REFERENCES users(id),
  visibility  text NOT NULL DEFAULT 'internal' CHECK (visibility IN ('public', 'internal')),
  body        text,
  data        jsonb NOT NULL DEFAULT '{}',
  client_id   text,              -- idempotency of messages sent by clients (C7)
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE UNIQUE INDEX ticket_events_client ON ticket_events (ticket_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE ticket_links (
  ticket_id   uuid NOT NULL REFERENCES tickets(id),
  other_id    uuid NOT NULL REFERENCES tickets(id),
  kind        text NOT NULL CHECK (kind IN ('related', 'duplicate', 'parent', 'child')),
  created_by  uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, other_id),
  CHECK (ticket_id <> other_id)
);

CREATE TABLE escalations (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id      uuid NOT NULL REFERENCES tickets(id),
  level          text NOT NULL CHECK (level IN ('senior', 'department', 'supervisor')),
  target_team_id uuid REFERENCES teams(id),
  owner_id       uuid NOT NULL REFERENCES users(id),
  reason         text NOT NULL,
  deadline_at    timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
  created_by     uuid REFERENCES users(id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  answered_at    timestamptz
);
CREATE INDEX escalations_ticket ON escalations (ticket_id);

CREATE TABLE sla_clocks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id     uuid NOT NULL REFERENCES tickets(id),
  policy_id     uuid REFERENCES sla_policies(id),
  clock         text NOT NULL,
  target_ms     bigint NOT NULL,
  mode          text NOT NULL CHECK (mode IN ('business', 'calendar')),
  calendar_id   uuid REFERENCES calendars(id),
  warn_fraction numeric NOT NULL,
  consumed_ms   bigint NOT NULL DEFAULT 0,
  running_since timestamptz,
  stopped_at    timestamptz,
  due_at        timestamptz,
  warn_at       timestamptz,
  warned_at     timestamptz,
  breached_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ticket_id, clock)
);
CREATE INDEX sla_clocks_warn ON sla_clocks (warn_at) WHERE warned_at IS NULL AND stopped_at IS NULL AND running_since IS NOT NULL;
CREATE INDEX sla_clocks_due ON sla_clocks (due_at) WHERE breached_at IS NULL AND stopped_at IS NULL AND running_since IS NOT NULL;

CREATE TABLE notifications (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users(id),
  kind        text NOT NULL,     -- sla_warning, sla_breach, escalation, assignment
  ticket_id   uuid REFERENCES tickets(id),
  clock_id    uuid REFERENCES sla_clocks(id),
  title       text NOT NULL,
  body        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz
);
-- At most one notification per clock, kind and person: the database enforces "exactly once".
CREATE UNIQUE INDEX notifications_once ON notifications (clock_id, kind, user_id) WHERE clock_id IS NOT NULL;
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

CREATE TABLE idempotency_keys (
  actor       text NOT NULL,
  key         text NOT NULL,
  request_hash text NOT NULL,
  status      integer NOT NULL,
  response    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (actor, key)
);

-- Append-only audit log. Writers insert rows unsealed (seq/hash NULL) in the transaction of the
-- change they record; the sealer chains committed rows in (txid, id) order, so concurrent
-- writers never wait on one another. See src/services/audit/seal-audit-log.ts.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid,
  actor_role  text,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text,
  data        jsonb NOT NULL DEFAULT '{}',
  txid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq         bigint UNIQUE,
  prev_hash   text,
  hash        text
);
CREATE INDEX audit_log_unsealed ON audit_log (txid, id) WHERE seq IS NULL;
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit_log is append-only';
  END IF;
  -- The only permitted update is sealing: filling seq/prev_hash/hash once, nothing else.
  IF OLD.seq IS NOT NULL OR NEW.seq IS NULL
     OR (NEW.at, NEW.actor_id, NEW.actor_role, NEW.action, NEW.entity_type, NEW.entity_id, NEW.data, NEW.txid)
        IS DISTINCT FROM (OLD.at, OLD.actor_id, OLD.actor_role, OLD.action, OLD.entity_type, OLD.entity_id, OLD.data, OLD.txid) THEN
    RAISE EXCEPTION 'audit_log is append-only';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard();

-- Which event starts a clock and which stops it are part of the policy (data, not code).
ALTER TABLE sla_policies ADD COLUMN category_code text;
ALTER TABLE sla_policies ADD COLUMN starts_on text NOT NULL DEFAULT 'ticket_created'
  CHECK (starts_on IN ('ticket_created', 'customer_message', 'escalated', 'resolved', 'claim_agreed'));
ALTER TABLE sla_policies ADD COLUMN stops_on text NOT NULL DEFAULT 'resolved'
  CHECK (stops_on IN ('agent_reply', 'resolved', 'escalation_answered', 'customer_notified', 'claim_paid'));
