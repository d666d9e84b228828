-- Two-character searches (most Chinese words: 破损, 延误, 驿站) cannot use the trigram index, and a
-- search that matches nothing then reads every ticket. Distinct lower-cased character bigrams of the
-- subject, in a GIN expression index, answer them from the index; ILIKE still checks each hit.
CREATE FUNCTION text_bigrams(s text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(s), i, 2)), '{}')
          FROM generate_series(1, char_length(s) - 1) AS i $$;

CREATE INDEX tickets_subject_bigrams ON tickets USING gin (text_bigrams(subject));
