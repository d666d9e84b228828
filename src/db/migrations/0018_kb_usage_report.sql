-- Knowledge-base usage report (issue 5 leftovers; seed 001 5.2 and 5.4: content kept current and
-- useful, measured). Search clicks carry the query and the result's rank; the searches themselves
-- are logged so "searches with no click" can be counted; every client-sent usage event carries
-- the client's event id, so a retry never adds a second row. And 客户称呼: a customer's preferred
-- form of address, personal data like the name.

-- Searches (written by recordKbSearch, src/services/kb/kb-usage.ts). The query is normalised and
-- has phone numbers, waybills and e-mail addresses replaced (src/domain/kb-report.ts), so the log
-- holds what people look for, not who they are.
CREATE TABLE kb_searches (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  query     text NOT NULL CHECK (length(query) BETWEEN 1 AND 200),
  -- staff: someone who may read the knowledge base; public: the help centre (or a customer).
  audience  text NOT NULL CHECK (audience IN ('staff', 'public')),
  user_id   uuid REFERENCES users(id),
  hits      integer NOT NULL CHECK (hits >= 0),
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_searches_at ON kb_searches (at);

ALTER TABLE kb_usage
  ADD COLUMN query     text,                               -- search_click: the normalised query
  ADD COLUMN rank      integer CHECK (rank BETWEEN 1 AND 1000), -- search_click: 1 = the first result
  ADD COLUMN search_id bigint REFERENCES kb_searches(id),  -- search_click: the search, when the client knew it
  ADD COLUMN client_id text,                               -- help centre: the browser token (as kb_feedback)
  ADD COLUMN event_id  text;                               -- the client's id for this event
ALTER TABLE kb_usage ADD CONSTRAINT kb_usage_click_has_query CHECK (kind <> 'search_click' OR (query IS NOT NULL AND rank IS NOT NULL));
-- A retry of one event is one row: per browser token in the help centre, per user for staff.
CREATE UNIQUE INDEX kb_usage_client_event ON kb_usage (client_id, event_id) WHERE client_id IS NOT NULL AND event_id IS NOT NULL;
CREATE UNIQUE INDEX kb_usage_user_event ON kb_usage (user_id, event_id) WHERE client_id IS NULL AND event_id IS NOT NULL;
CREATE INDEX kb_usage_at ON kb_usage (at);
CREATE INDEX kb_feedback_at ON kb_feedback (at);

-- 客户称呼 (e.g. 张先生, 李女士): AES-256-GCM like the name (src/platform/crypto.ts).
ALTER TABLE customers ADD COLUMN salutation_enc text;
