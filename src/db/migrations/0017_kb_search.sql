-- Knowledge-base search (issue 5): the indexer (src/services/kb-search/) writes jieba-segmented
-- tokens, space-joined, into search_title (weight A) and search_body (weight B); full-text search
-- reads one GIN index over both. search_text (the segmented title and body) and title carry
-- trigram indexes for the fuzzy fallback (typos, partial words). Synonyms are the setting kb.synonyms.
CREATE INDEX kb_articles_search_fts ON kb_articles USING gin ((search_title || search_body));
CREATE INDEX kb_articles_search_trgm ON kb_articles USING gin (search_text gin_trgm_ops);
CREATE INDEX kb_articles_title_trgm ON kb_articles USING gin (title gin_trgm_ops);
