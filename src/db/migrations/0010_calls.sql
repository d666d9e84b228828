-- Phone calls from the company's telephony (CTI), C4/C6 and issue 4: each call creates or joins
-- a ticket; its events are kept once each; the measures reports need are kept per call.

-- Which agent a CTI extension belongs to.
ALTER TABLE users ADD COLUMN phone_extension text UNIQUE;

CREATE TABLE calls (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  call_id                text NOT NULL UNIQUE,
  direction              text NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
  caller_phone_enc       text,
  caller_phone_hash      text,
  line                   text,
  agent_extension        text,
  agent_id               uuid REFERENCES users(id),
  customer_id            uuid REFERENCES customers(id),
  ticket_id              uuid REFERENCES tickets(id),
  status                 text NOT NULL CHECK (status IN ('ringing', 'answered', 'on_hold', 'ended', 'missed')),
  started_at             timestamptz NOT NULL,
  answered_at            timestamptz,
  ended_at               timestamptz,
  answer_ms              bigint,
  answered_within_target boolean,
  talk_ms                bigint,
  hold_ms                bigint NOT NULL DEFAULT 0,
  holds                  integer NOT NULL DEFAULT 0,
  abandoned              boolean NOT NULL DEFAULT false,
  recording_url          text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_agent_open ON calls (agent_id) WHERE status IN ('ringing', 'answered', 'on_hold');
CREATE INDEX calls_started ON calls (started_at DESC);
CREATE INDEX calls_ticket ON calls (ticket_id);

-- One row per event; the CTI's event id (or, for the once-only events, their kind) makes a retry a no-op.
CREATE TABLE call_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id   text NOT NULL REFERENCES calls(call_id),
  event_id  text NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('ringing', 'answered', 'hold', 'resume', 'transfer', 'ended', 'missed')),
  at        timestamptz NOT NULL,
  data      jsonb NOT NULL DEFAULT '{}',
  UNIQUE (call_id, event_id)
);
