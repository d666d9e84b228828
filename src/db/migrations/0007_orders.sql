-- Order intake (下单, X8): an agent takes an order for a customer, quotes it, checks the item, reads
-- it back and, once the customer confirms, requests the pick-up: a waybill number is allocated and
-- the operations system collects the request from the pick-up feed.

CREATE SEQUENCE order_waybill_seq;

CREATE TABLE orders (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id        uuid REFERENCES customers(id),
  ticket_id          uuid REFERENCES tickets(id),
  status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'picked_up', 'cancelled')),
  sender_name_enc    text NOT NULL,
  sender_phone_enc   text NOT NULL,
  sender_phone_hash  text NOT NULL,
  sender_region      text NOT NULL,
  sender_address_enc text NOT NULL,
  receiver_name_enc    text NOT NULL,
  receiver_phone_enc   text NOT NULL,
  receiver_phone_hash  text NOT NULL,
  receiver_region      text NOT NULL,
  receiver_address_enc text NOT NULL,
  item               text NOT NULL,
  item_check         jsonb NOT NULL,
  weight_kg          numeric(10,3) NOT NULL CHECK (weight_kg > 0),
  length_cm          numeric(8,1),
  width_cm           numeric(8,1),
  height_cm          numeric(8,1),
  product            text NOT NULL,
  declared_value     numeric(12,2),
  quote              jsonb NOT NULL,
  estimate           jsonb,
  total              numeric(12,2) NOT NULL,
  pickup_date        date,
  pickup_slot        text CHECK (pickup_slot IN ('morning', 'afternoon', 'evening')),
  note               text NOT NULL DEFAULT '',
  waybill            text UNIQUE,
  restricted_ack     boolean NOT NULL DEFAULT false,
  confirmed_by       uuid REFERENCES users(id),
  confirmed_at       timestamptz,
  pickup_acknowledged_at timestamptz,
  picked_up_at       timestamptz,
  cancelled_by       uuid REFERENCES users(id),
  cancelled_at       timestamptz,
  cancel_reason      text,
  idempotency_key    text,
  request_hash       text,
  created_by         uuid REFERENCES users(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'draft' OR status = 'cancelled' OR waybill IS NOT NULL),
  UNIQUE (created_by, idempotency_key)
);
CREATE INDEX orders_status ON orders (status, created_at DESC);
CREATE INDEX orders_customer ON orders (customer_id, created_at DESC);
CREATE INDEX orders_pickup_feed ON orders (confirmed_at) WHERE status = 'confirmed' AND pickup_acknowledged_at IS NULL;
