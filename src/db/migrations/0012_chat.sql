-- Live chat (issue 4, C1/C4–C6): a conversation is a ticket on the chat channel plus what the chat
-- itself needs — the visitor's token, the queue, the agent it is routed to, and the timings the
-- 60 s first-reply norm and the busy notice are measured by. Messages are ticket events.
CREATE TABLE chat_conversations (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id           uuid NOT NULL UNIQUE REFERENCES tickets(id),
  customer_id         uuid NOT NULL REFERENCES customers(id),
  -- The user the customer side acts as: a signed-in customer's account or a guest account.
  visitor_user_id     uuid NOT NULL REFERENCES users(id),
  visitor_name        text NOT NULL,
  -- A retry of "start a chat" with the same client id returns this conversation (C7).
  start_client_id     text UNIQUE,
  status              text NOT NULL CHECK (status IN ('queued', 'active', 'ended')),
  priority            text NOT NULL DEFAULT 'normal',
  team_id             uuid REFERENCES teams(id),
  agent_id            uuid REFERENCES users(id),
  not_agent_id        uuid REFERENCES users(id),
  queued_at           timestamptz NOT NULL,
  assigned_at         timestamptz,
  first_customer_message_at timestamptz,
  first_reply_at      timestamptz,
  first_reply_ms      integer,
  awaiting_since      timestamptz,
  busy_notice_for     timestamptz,
  busy_notices        integer NOT NULL DEFAULT 0,
  transfers           integer NOT NULL DEFAULT 0,
  ended_at            timestamptz,
  ended_by            text CHECK (ended_by IN ('customer', 'agent', 'system')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'active') = (agent_id IS NOT NULL) OR status = 'ended')
);
CREATE INDEX chat_conversations_queue ON chat_conversations (queued_at) WHERE status = 'queued';
CREATE INDEX chat_conversations_agent ON chat_conversations (agent_id) WHERE status = 'active';
CREATE INDEX chat_conversations_awaiting ON chat_conversations (awaiting_since) WHERE status <> 'ended' AND awaiting_since IS NOT NULL;
CREATE INDEX chat_conversations_customer ON chat_conversations (customer_id, created_at DESC);

-- Agents' presence for chat routing: what they chose and when their console was last alive.
CREATE TABLE chat_presence (
  user_id          uuid PRIMARY KEY REFERENCES users(id),
  status           text NOT NULL CHECK (status IN ('online', 'away', 'offline')),
  capacity         integer NOT NULL CHECK (capacity BETWEEN 1 AND 20),
  last_seen_at     timestamptz NOT NULL,
  last_assigned_at timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Who follows a conversation right now (the collision notice); rows of a vanished process age out.
CREATE TABLE chat_watchers (
  conversation_id uuid NOT NULL REFERENCES chat_conversations(id),
  socket_id       text NOT NULL,
  user_id         uuid NOT NULL REFERENCES users(id),
  seen_at         timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, socket_id)
);
