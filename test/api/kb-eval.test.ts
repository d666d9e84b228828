/**
 * Search quality on a fixture knowledge base (issue 5): 60 realistic Chinese queries, each with
 * the article it should find among 64 (test/fixtures/kb-corpus.ts); recall@3 must reach 0.9.
 * The corpus sits in a category of its own so content written by other tests cannot interfere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexKbPending } from '../../src/services/kb-search/index-articles.ts';
import { runKbQuery } from '../../src/services/kb-search/search-kb.ts';
import { insertKbCorpus, KB_CORPUS, KB_EVAL_QUERIES } from '../fixtures/kb-corpus.ts';
import { startHarness, type Harness } from '../support/harness.ts';

let h: Harness;
let corpus: { categoryId: string; ids: Map<string, string> };

beforeAll(async () => {
  h = await startHarness();
  corpus = await insertKbCorpus(h.ctx.db.pool, h.uid());
  await indexKbPending(h.ctx.db);
});
afterAll(async () => {
  await h?.close();
});

describe('KB search evaluation set', () => {
  it('is big enough and refers to articles that exist', () => {
    expect(KB_CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(KB_EVAL_QUERIES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(KB_CORPUS.map((a) => a.code)).size).toBe(KB_CORPUS.length);
    for (const { expect: code } of KB_EVAL_QUERIES) expect(corpus.ids.has(code), code).toBe(true);
  });

  it('finds the expected article in the top 3 for at least 90% of the queries', async () => {
    const misses: string[] = [];
    let found = 0;
    for (const { q, expect: code } of KB_EVAL_QUERIES) {
      const res = await runKbQuery(h.ctx.db.pool, q, { audiences: ['internal', 'public'], categoryId: corpus.categoryId, limit: 3 });
      const codes = res.hits.map((hit) => [...corpus.ids].find(([, id]) => id === hit.id)?.[0] ?? '?');
      if (codes.includes(code)) found += 1;
      else misses.push(`${q} → want ${code}, got ${codes.join(', ') || 'nothing'} (tokens ${res.query.tokens.join('/')})`);
    }
    const recall = found / KB_EVAL_QUERIES.length;
    console.log(`kb-eval: recall@3 = ${recall.toFixed(3)} (${found}/${KB_EVAL_QUERIES.length})${misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });
});
