-- Outgoing webhooks (issue 4): admins' subscriptions and an outbox of deliveries, written in the
-- same transaction as the change they report, sent by the webhook sweep, with every attempt kept.
CREATE TABLE webhook_subscriptions (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url                   text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  description           text NOT NULL DEFAULT '',
  events                text[] NOT NULL CHECK (cardinality(events) > 0),
  include_internal      boolean NOT NULL DEFAULT false,
  active                boolean NOT NULL DEFAULT true,
  secret_enc            text NOT NULL,              -- AES-GCM (ctx.crypto): the server signs with it
  previous_secret_enc   text,                       -- after a rotation, still signed with until …
  previous_secret_until timestamptz,
  secret_rotated_at     timestamptz,
  -- Lease of the sweep sending this subscription's deliveries: one sender at a time, in order.
  sending_until         timestamptz,
  sending_token         uuid,
  created_by            uuid REFERENCES users(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- creation order
  subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
  event_id         uuid NOT NULL,        -- the payload's id: the same across retries and redeliveries
  event_type       text NOT NULL,
  ticket_id        uuid,                 -- what it concerns (no foreign key: the log outlives nothing it needs)
  payload          text NOT NULL,        -- the exact body sent, signed per attempt
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,          -- pending: due time (or the end of a sender's lease); otherwise NULL
  last_attempt_at  timestamptz,
  status_code      integer,
  response_excerpt text,
  error            text,
  delivered_at     timestamptz,
  redelivery_of    uuid,                 -- the delivery this one sends again (no foreign key: restore order)
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (subscription_id, seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, seq DESC);

CREATE TABLE webhook_delivery_attempts (
  delivery_id      uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  attempt          integer NOT NULL,
  at               timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  status_code      integer,
  response_excerpt text,
  error            text,
  PRIMARY KEY (delivery_id, attempt)
);
