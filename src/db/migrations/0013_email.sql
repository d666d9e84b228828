-- E-mail in and out (issue 4, C1/C7). Mail arrives over Parceldesk's own SMTP listener and becomes
-- a ticket message; agents' public replies on mail tickets leave through an outbox swept by the
-- job runner. One row per mail, either way; a Message-ID is kept once, so a redelivered mail (or
-- our own mail coming back) is a no-op.

-- Tickets from mail are created by a system user of the integration role, named in the audit log.
-- It is no API key and has no password: nobody logs in as it.
ALTER TABLE users DROP CONSTRAINT users_integration_is_api_key;
ALTER TABLE users ADD CONSTRAINT users_integration_is_api_key
  CHECK (role <> 'integration' OR ((username LIKE 'apikey:%' OR username LIKE 'system:%') AND password_hash IS NULL));
INSERT INTO users (username, display_name, role, channels)
SELECT 'system:email', '邮件接入 (e-mail intake)', 'integration', ARRAY['email']
 WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(username) = 'system:email');

CREATE TABLE email_messages (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE, -- order of arrival, also within one transaction
  direction       text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  -- Normalised (no angle brackets, domain lower-cased). Inbound mail without one gets
  -- "sha256.<hash of the raw bytes>@parceldesk.invalid", so a redelivery is still recognised.
  message_id      text NOT NULL UNIQUE,
  ticket_id       uuid NOT NULL REFERENCES tickets(id),
  -- The timeline entry of this mail: the ticket's "created" entry for a mail that opened it, its
  -- "message" entry otherwise (inbound); the agent's reply (outbound).
  event_id        bigint REFERENCES ticket_events(id),
  customer_id     uuid REFERENCES customers(id),
  in_reply_to     text,
  refs            text[] NOT NULL DEFAULT '{}',
  -- Addresses are personal data: encrypted, found by keyed hash (src/platform/crypto.ts).
  from_enc        text,
  from_hash       text,
  to_enc          text,
  subject         text NOT NULL DEFAULT '',
  size_bytes      integer,
  -- Inbound: why a machine sent it (auto_reply, bulk, loop), null for a person's mail.
  automated       text CHECK (automated IN ('auto_reply', 'bulk', 'loop')),
  automated_reason text,
  -- Outbound delivery: queued → sending → sent, or back to queued with next_attempt_at (back-off),
  -- or failed after the last attempt. Inbound rows are 'received'.
  status          text NOT NULL CHECK (status IN ('received', 'queued', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  claimed_until   timestamptz,
  last_error      text,
  sent_at         timestamptz,
  smtp_response   text,
  -- Outbound mail that is no agent's reply (the optional acknowledgement of a new mail): its text,
  -- and that it is sent as an automatic reply (Auto-Submitted: auto-replied, RFC 3834).
  body_text       text,
  auto_submitted  boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_messages_ticket ON email_messages (ticket_id, seq);
CREATE INDEX email_messages_from ON email_messages (ticket_id, from_hash);
-- What the sweep claims: queued mail that is due, and sends whose process died mid-way.
CREATE INDEX email_outbox_due ON email_messages (next_attempt_at) WHERE status = 'queued';
CREATE INDEX email_outbox_sending ON email_messages (claimed_until) WHERE status = 'sending';

CREATE TABLE email_attachments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email_id      uuid NOT NULL REFERENCES email_messages(id),
  ticket_id     uuid NOT NULL REFERENCES tickets(id),
  position      integer NOT NULL,
  filename      text,
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL,
  sha256        text NOT NULL,
  -- Null when the attachment was over the size limit (email.inbound.maxAttachmentBytes): its name,
  -- type and size are kept, its bytes are not.
  content       bytea,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (email_id, position)
);
CREATE INDEX email_attachments_ticket ON email_attachments (ticket_id);
