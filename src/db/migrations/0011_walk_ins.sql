-- Walk-ins at an outlet (issue 4, C4): each visit is a ticket on the walk_in channel; the visit
-- keeps where, why, and how quickly the visitor was greeted (target 3 s).
CREATE TABLE walk_ins (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id     uuid NOT NULL UNIQUE REFERENCES tickets(id),
  customer_id   uuid REFERENCES customers(id),
  outlet        text NOT NULL,
  purpose       text NOT NULL,
  arrived_at    timestamptz NOT NULL,
  greeted_at    timestamptz NOT NULL,
  greet_ms      integer NOT NULL CHECK (greet_ms >= 0),
  greeted_within_target boolean NOT NULL,
  registered_by uuid REFERENCES users(id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX walk_ins_outlet ON walk_ins (outlet, arrived_at DESC);
