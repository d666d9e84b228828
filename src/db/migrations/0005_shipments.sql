-- Shipments and tracking (X1, X2): parcels fed in by the operations system, their tracking
-- events, and the admin-editable mapping of the operations system's raw status codes.

CREATE TABLE shipment_status_codes (
  code            text PRIMARY KEY,
  status          text NOT NULL CHECK (status IN ('created', 'picked_up', 'in_transit', 'at_sorting_centre', 'out_for_delivery',
                    'delivery_failed', 'available_for_pickup', 'delivered', 'returned', 'exception', 'lost')),
  -- false: first seen in an event and not yet mapped by an admin (its events count as exception)
  mapped          boolean NOT NULL DEFAULT true,
  description_zh  text,
  description_en  text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      uuid
);

CREATE TABLE shipments (
  waybill              text PRIMARY KEY,
  -- Personal data: AES-256-GCM (src/platform/crypto.ts); phones also as keyed HMAC for lookup,
  -- and their last four digits so a customer's "last four" check needs no decryption.
  sender_name_enc      text NOT NULL,
  sender_phone_enc     text NOT NULL,
  sender_phone_hash    text NOT NULL,
  sender_phone_last4   text NOT NULL,
  sender_address_enc   text NOT NULL,
  receiver_name_enc    text NOT NULL,
  receiver_phone_enc   text NOT NULL,
  receiver_phone_hash  text NOT NULL,
  receiver_phone_last4 text NOT NULL,
  receiver_address_enc text NOT NULL,
  origin_region        text NOT NULL CHECK (origin_region ~ '^[1-9][0-9]{5}$'),
  destination_region   text NOT NULL CHECK (destination_region ~ '^[1-9][0-9]{5}$'),
  product              text NOT NULL DEFAULT 'standard',
  weight_kg            numeric(10,3) CHECK (weight_kg >= 0),
  length_cm            numeric(8,1) CHECK (length_cm > 0),
  width_cm             numeric(8,1) CHECK (width_cm > 0),
  height_cm            numeric(8,1) CHECK (height_cm > 0),
  declared_value       numeric(12,2) CHECK (declared_value >= 0),
  insured              boolean NOT NULL DEFAULT false,
  postage              numeric(12,2) CHECK (postage >= 0),
  flags                text[] NOT NULL DEFAULT '{}',
  item_description     text,
  shipped_at           timestamptz,
  promised_at          timestamptz,
  -- Denormalised from the latest event (by occurred_at) for fast lookup and lists.
  status               text NOT NULL DEFAULT 'created',
  last_event_at        timestamptz,
  last_location        text,
  last_facility        text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
-- Every event batch rewrites its parcels' current state; free room on each page lets those
-- updates stay on the page (HOT) instead of writing all three indexes again.
) WITH (fillfactor = 80);
-- Phone lookups list the newest parcels first; one index per side keeps each side an index scan.
CREATE INDEX shipments_sender_phone ON shipments (sender_phone_hash, created_at DESC);
CREATE INDEX shipments_receiver_phone ON shipments (receiver_phone_hash, created_at DESC);

CREATE TABLE shipment_events (
  id            bigserial PRIMARY KEY,
  source        text NOT NULL DEFAULT 'ops',
  event_id      text NOT NULL,
  waybill       text NOT NULL REFERENCES shipments (waybill),
  occurred_at   timestamptz NOT NULL,
  location      text,
  facility      text,
  facility_type text CHECK (facility_type IN ('outlet', 'sorting_centre', 'station', 'locker', 'vehicle', 'other')),
  courier       text,
  pickup_code   text,
  raw_code      text NOT NULL,
  raw_text      text,
  status        text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, event_id)
);
CREATE INDEX shipment_events_waybill ON shipment_events (waybill, occurred_at, id);
CREATE INDEX shipment_events_raw_code ON shipment_events (raw_code);
