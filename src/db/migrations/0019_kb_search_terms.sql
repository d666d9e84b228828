-- Knowledge-base search, second form (issue 5):
-- * What is searched is the published version (the one a reviewer approved), not the working
--   copy: an article edited after publishing keeps being found by its approved text. The indexer
--   now re-indexes a row whenever search_version differs from published_version; rows never
--   published are not indexed.
-- * One stored vector (title weight A, body weight B) instead of concatenating two per row at
--   query time, and a GIN index on the title vector alone for the title tier.
-- * Document frequencies (and the pinyin) per indexed word (kb_search_terms), kept by the indexer in the same
--   statement that writes the vectors: the search draws candidates from its rarer words and only
--   scores the common ones (「到」 is in a tenth of 100 000 articles), so a query never ranks
--   thousands of rows.
DROP INDEX IF EXISTS kb_articles_search_fts;
DROP INDEX IF EXISTS kb_articles_unindexed;
ALTER TABLE kb_articles DROP COLUMN search_body;
ALTER TABLE kb_articles ADD COLUMN search_vector tsvector;
-- Everything is indexed again by the new indexer (it fills search_vector and the frequencies).
UPDATE kb_articles SET search_version = NULL, search_title = NULL, search_text = NULL;
CREATE INDEX kb_articles_search_vector ON kb_articles USING gin (search_vector);
CREATE INDEX kb_articles_search_title ON kb_articles USING gin (search_title);
CREATE INDEX kb_articles_unindexed ON kb_articles (id) WHERE search_version IS DISTINCT FROM published_version;

CREATE TABLE kb_search_terms (
  term    text PRIMARY KEY,
  -- How many indexed articles contain the word (title or body).
  df      integer NOT NULL,
  -- Toneless pinyin of a word of 2–4 Chinese characters (拒收 → jushou): a query word that occurs
  -- nowhere is matched to the indexed words that sound the same (据收, typed with a pinyin IME).
  pinyin  text
);
CREATE INDEX kb_search_terms_pinyin ON kb_search_terms (pinyin) WHERE pinyin IS NOT NULL;

-- The knowledge base is read far more often than written: GIN's pending list (fastupdate) makes
-- every search scan the not-yet-merged entries linearly (5–8 ms per index after re-indexing
-- 100 000 articles, until a vacuum merges them), so the search indexes take writes directly.
ALTER INDEX kb_articles_search_vector SET (fastupdate = off);
ALTER INDEX kb_articles_search_title SET (fastupdate = off);
ALTER INDEX kb_articles_search_trgm SET (fastupdate = off);
ALTER INDEX kb_articles_title_trgm SET (fastupdate = off);
SELECT gin_clean_pending_list('kb_articles_search_trgm'::regclass), gin_clean_pending_list('kb_articles_title_trgm'::regclass);
