-- Problem shipments (问题件) worked through the five steps of seed 000, and compensation claims.

CREATE TABLE problem_cases (
  ticket_id   uuid PRIMARY KEY REFERENCES tickets(id),
  kind        text NOT NULL CHECK (kind IN ('delay', 'loss', 'damage')),
  waybill     text,
  solution    text CHECK (solution IN ('priority_delivery', 'compensation', 'reshipment')),
  created_by  uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per step; the primary key makes a retried or concurrent step a conflict, never a duplicate.
CREATE TABLE problem_case_steps (
  ticket_id   uuid NOT NULL REFERENCES problem_cases(ticket_id),
  step        text NOT NULL CHECK (step IN ('soothe', 'verify', 'cause', 'solution', 'follow_up')),
  data        jsonb NOT NULL DEFAULT '{}',
  recorded_by uuid REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, step)
);

CREATE TABLE claims (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id         uuid NOT NULL REFERENCES tickets(id),
  customer_id       uuid REFERENCES customers(id),
  waybill           text,
  kind              text NOT NULL CHECK (kind IN ('loss', 'damage', 'delay')),
  status            text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'verified', 'approved', 'paid', 'rejected')),
  claimed_amount    numeric(12,2) NOT NULL CHECK (claimed_amount > 0),
  insured           boolean NOT NULL,
  declared_value    numeric(12,2) CHECK (declared_value >= 0),
  postage           numeric(12,2) NOT NULL CHECK (postage >= 0),
  max_payable       numeric(12,2) NOT NULL,
  basis             text NOT NULL,
  description       text NOT NULL DEFAULT '',
  approved_amount   numeric(12,2) CHECK (approved_amount > 0),
  reject_reason     text,
  payment_reference text,
  payment_due_at    timestamptz,
  submitted_by      uuid REFERENCES users(id),
  verified_by       uuid REFERENCES users(id),
  verified_at       timestamptz,
  approved_by       uuid REFERENCES users(id),
  approved_at       timestamptz,
  paid_by           uuid REFERENCES users(id),
  paid_at           timestamptz,
  rejected_by       uuid REFERENCES users(id),
  rejected_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'rejected' OR reject_reason IS NOT NULL),
  CHECK (status NOT IN ('approved', 'paid') OR approved_amount IS NOT NULL)
);
-- A ticket has at most one claim in progress: a retried submission is a conflict, not a second claim.
CREATE UNIQUE INDEX claims_one_open_per_ticket ON claims (ticket_id) WHERE status IN ('submitted', 'verified', 'approved');
CREATE INDEX claims_status ON claims (status, created_at DESC);
CREATE INDEX claims_customer ON claims (customer_id, created_at DESC);
CREATE INDEX claims_waybill ON claims (waybill);

CREATE TABLE claim_evidence (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  claim_id      uuid NOT NULL REFERENCES claims(id),
  kind          text NOT NULL CHECK (kind IN ('photo', 'invoice', 'receipt', 'document', 'other')),
  file_name     text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  note          text NOT NULL DEFAULT '',
  uploaded_by   uuid REFERENCES users(id),
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  -- The same file uploaded twice (a retry) is stored once.
  UNIQUE (claim_id, sha256)
);

-- Seed 000 三(三)4: "我们会帮您备注优先派件,派件员会在1小时内联系您" — the courier's hour starts when
-- priority delivery is requested at the solution step, and stops when the courier has called.
ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_starts_on_check;
ALTER TABLE sla_policies ADD CONSTRAINT sla_policies_starts_on_check
  CHECK (starts_on IN ('ticket_created', 'customer_message', 'escalated', 'resolved', 'claim_agreed', 'priority_delivery_requested'));
ALTER TABLE sla_policies DROP CONSTRAINT sla_policies_stops_on_check;
ALTER TABLE sla_policies ADD CONSTRAINT sla_policies_stops_on_check
  CHECK (stops_on IN ('agent_reply', 'resolved', 'escalation_answered', 'customer_notified', 'claim_paid', 'courier_contacted'));
UPDATE sla_policies SET starts_on = 'priority_delivery_requested', stops_on = 'courier_contacted', category_code = NULL
 WHERE clock = 'courier_contact' AND starts_on = 'ticket_created' AND stops_on = 'customer_notified';
