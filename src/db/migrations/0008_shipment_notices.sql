-- Proactive notices (提前告知, X7): customers whose parcels a declared holiday, sales peak or bad
-- weather delays are told before they ask; the parcel's promise moves, urgent goods get 优先派件.

-- The promise the operations system gave, kept when a declared delay period moves promised_at.
ALTER TABLE shipments ADD COLUMN original_promised_at timestamptz;

CREATE TABLE shipment_notices (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  delay_period_id uuid REFERENCES delay_periods(id) ON DELETE SET NULL,
  period_name     text NOT NULL,
  waybill         text NOT NULL REFERENCES shipments(waybill),
  recipient       text NOT NULL DEFAULT 'receiver' CHECK (recipient IN ('receiver', 'sender')),
  text            text NOT NULL,
  priority        boolean NOT NULL DEFAULT false,
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  error           text,
  created_by      uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
-- One notice per period, parcel and recipient: declaring twice never tells anyone twice.
CREATE UNIQUE INDEX shipment_notices_once ON shipment_notices (delay_period_id, waybill, recipient);
CREATE INDEX shipment_notices_queue ON shipment_notices (created_at) WHERE status = 'queued';
CREATE INDEX shipment_notices_waybill ON shipment_notices (waybill);
