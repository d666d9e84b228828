-- Knowledge base and scripts (issue 5, SPEC K1–K3): articles (internal or public) and scripts
-- (话术) in categories; draft → in_review → published → archived with every version kept and a
-- reviewer's approval before publishing; review dates keep content current (seed 001 5.2).
-- Search columns are filled by the search indexer (src/services/kb-search/), which segments the
-- Chinese text with jieba: it re-indexes a row whenever search_version differs from version.
CREATE TABLE kb_categories (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id  uuid REFERENCES kb_categories(id),
  code       text NOT NULL UNIQUE,
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  -- The ticket category this KB category serves (suggested scripts for a ticket start here).
  ticket_category_code text,
  sort       integer NOT NULL DEFAULT 0
);

CREATE TABLE kb_articles (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (kind IN ('article', 'script')),
  audience        text NOT NULL CHECK (audience IN ('internal', 'public')),
  category_id     uuid REFERENCES kb_categories(id),
  status          text NOT NULL CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
  title           text NOT NULL,
  body            text NOT NULL,
  tags            text[] NOT NULL DEFAULT '{}',
  -- Parcel statuses (normalised tracking statuses) and situations this content is for, e.g. {damaged}.
  applies_to      text[] NOT NULL DEFAULT '{}',
  version         integer NOT NULL DEFAULT 1,
  published_version integer,
  review_due_at   timestamptz,
  submitted_by    uuid REFERENCES users(id),
  reviewed_by     uuid REFERENCES users(id),
  published_at    timestamptz,
  archived_at     timestamptz,
  usage_count     integer NOT NULL DEFAULT 0,
  helpful_yes     integer NOT NULL DEFAULT 0,
  helpful_no      integer NOT NULL DEFAULT 0,
  created_by      uuid REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  -- Search (written by the indexer only).
  search_version  integer,
  search_title    tsvector,
  search_body     tsvector,
  search_text     text
);
CREATE INDEX kb_articles_status ON kb_articles (status, kind, audience);
CREATE INDEX kb_articles_category ON kb_articles (category_id);
CREATE INDEX kb_articles_review_due ON kb_articles (review_due_at) WHERE status = 'published';
CREATE INDEX kb_articles_unindexed ON kb_articles (id) WHERE search_version IS DISTINCT FROM version;

-- Every version as written (title, body), who wrote it and why.
CREATE TABLE kb_article_versions (
  article_id  uuid NOT NULL REFERENCES kb_articles(id),
  version     integer NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  tags        text[] NOT NULL DEFAULT '{}',
  note        text,
  created_by  uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, version)
);

-- Usage (a script inserted into a reply, an article opened) and "was this helpful" answers, for reports.
CREATE TABLE kb_usage (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id  uuid NOT NULL REFERENCES kb_articles(id),
  kind        text NOT NULL CHECK (kind IN ('view', 'insert', 'search_click')),
  user_id     uuid REFERENCES users(id),
  ticket_id   uuid REFERENCES tickets(id),
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_usage_article ON kb_usage (article_id, at DESC);

CREATE TABLE kb_feedback (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id  uuid NOT NULL REFERENCES kb_articles(id),
  helpful     boolean NOT NULL,
  comment     text,
  user_id     uuid REFERENCES users(id),
  -- Anonymous portal visitors answer once per article per browser token.
  client_id   text,
  at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (article_id, client_id)
);
