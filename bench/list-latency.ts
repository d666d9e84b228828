/**
 * List and search latency as an agent sees it: sequential GET /api/v1/tickets requests over one
 * keep-alive connection, each query kind warmed up and then timed; EXPLAIN ANALYZE of the exact
 * SQL listTickets builds for the slow ones.
 */
import http from 'node:http';
import type pg from 'pg';
import type { Queryable } from '../src/db/database.ts';
import type { Actor } from '../src/domain/policy.ts';
import { listTickets, type TicketFilter } from '../src/services/tickets/list-tickets.ts';
import type { SearchSamples } from './bulk-tickets.ts';
import { percentiles, type Percentiles } from './stats.ts';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Page {
  items: { id: string; number: string }[];
  nextCursor: string | null;
}

export async function getJson(baseUrl: string, path: string, apiKey: string): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}${path}`, { agent, headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - started;
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body, ms });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

type Params = Record<string, string>;

export interface QueryKind {
  name: string;
  params(i: number): Params;
  /** Whether an empty page means something is wrong (searching for a number that exists). */
  expectHits?: boolean;
}

export function queryKinds(s: SearchSamples, deepCursors: { params: Params; cursor: string }[]): QueryKind[] {
  const at = <T>(xs: T[], i: number): T => xs[i % xs.length]!;
  const kinds: QueryKind[] = [
    { name: 'first page, unfiltered', params: () => ({}) },
    { name: 'status=open', params: () => ({ status: 'open' }) },
    { name: 'ownerId=<agent>', params: (i) => ({ ownerId: at(s.agentIds, i) }) },
    { name: 'teamId=<team>&status=open', params: (i) => ({ teamId: at(s.teamIds, i), status: 'open' }) },
    { name: 'priority=urgent', params: () => ({ priority: 'urgent' }) },
    { name: 'q=<ticket number>', params: (i) => ({ q: at(s.numbers, i) }), expectHits: true },
    { name: 'waybill=<waybill>', params: (i) => ({ waybill: at(s.waybills, i) }), expectHits: true },
    { name: 'q=<waybill>', params: (i) => ({ q: at(s.waybills, i + 1) }), expectHits: true },
    { name: 'q=<Chinese substring, ~1/30>', params: (i) => ({ q: at(s.commonText, i) }), expectHits: true },
    { name: 'q=<Chinese substring, ~1/600>', params: (i) => ({ q: at(s.rareText, i) }), expectHits: true },
    { name: 'q=<Chinese text, no match>', params: (i) => ({ q: at(s.noMatchText, i) }) },
    // Chinese words are mostly two characters: too short for a trigram, the commonest search of all.
    { name: 'q=<2-character word>', params: (i) => ({ q: at(s.twoCharWords, i) }), expectHits: true },
    { name: 'q=<2-character word, no match>', params: (i) => ({ q: at(s.twoCharNoMatch, i) }) },
    { name: 'slaState=breached', params: () => ({ slaState: 'breached' }) },
  ];
  if (deepCursors.length) {
    kinds.push({ name: 'keyset page 50 (nextCursor)', params: (i) => ({ ...at(deepCursors, i).params, cursor: at(deepCursors, i).cursor }), expectHits: true });
  }
  return kinds;
}

const qs = (p: Params): string => {
  const s = new URLSearchParams(p).toString();
  return s ? `?${s}` : '';
};

export interface KindResult {
  name: string;
  latency: Percentiles;
  avgItems: number;
  emptyPages: number;
  example: string;
  /** Set when the kind was too slow for all its requests within the time cap. */
  cappedAt: number | null;
}

/**
 * Warm-up requests, then `requests` timed ones — or fewer when a kind is so slow that it would take
 * longer than `maxSeconds` (at least 20 are timed); `cappedAt` then says how many.
 */
export async function measureKind(baseUrl: string, apiKey: string, kind: QueryKind, opts: { warmup: number; requests: number; maxSeconds: number }): Promise<KindResult> {
  const lat: number[] = [];
  let items = 0;
  let empty = 0;
  let cappedAt: number | null = null;
  const get = async (i: number): Promise<{ ms: number; body: unknown }> => {
    const path = `/api/v1/tickets${qs(kind.params(i))}`;
    const r = await getJson(baseUrl, path, apiKey);
    if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r;
  };
  // Warm-up: `warmup` requests, cut short (after 3) for a kind that is slow anyway.
  let warmup = 0;
  const warmStarted = performance.now();
  while (warmup < opts.warmup && (warmup < 3 || performance.now() - warmStarted < (opts.maxSeconds * 1000) / 6)) await get(warmup++);
  const started = performance.now();
  for (let i = warmup; i < warmup + opts.requests; i++) {
    const r = await get(i);
    lat.push(r.ms);
    const n = (r.body as Page).items.length;
    items += n;
    if (n === 0) empty++;
    if (lat.length >= 20 && lat.length < opts.requests && performance.now() - started > opts.maxSeconds * 1000) {
      cappedAt = lat.length;
      break;
    }
  }
  return { name: kind.name, latency: percentiles(lat), avgItems: Math.round((items / lat.length) * 10) / 10, emptyPages: empty, example: `/api/v1/tickets${qs(kind.params(warmup))}`, cappedAt };
}

/** Follows nextCursor `pages` deep for each filter; returns each walk's cursor for its last page and every page's latency. */
export async function walkPages(baseUrl: string, apiKey: string, filters: Params[], pages: number): Promise<{ cursors: { params: Params; cursor: string }[]; pageLatency: Percentiles; walks: { params: Params; pages: number; totalMs: number }[] }> {
  const lat: number[] = [];
  const cursors: { params: Params; cursor: string }[] = [];
  const walks: { params: Params; pages: number; totalMs: number }[] = [];
  for (const params of filters) {
    let cursor: string | null = null;
    let total = 0;
    let page = 1;
    for (; page < pages; page++) {
      const r = await getJson(baseUrl, `/api/v1/tickets${qs(cursor ? { ...params, cursor } : params)}`, apiKey);
      if (r.status !== 200) throw new Error(`walk ${JSON.stringify(params)} page ${page} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      lat.push(r.ms);
      total += r.ms;
      cursor = (r.body as Page).nextCursor;
      if (!cursor) break;
    }
    walks.push({ params, pages: page, totalMs: Math.round(total) });
    // `cursor` now points at page `pages`
    if (cursor) cursors.push({ params, cursor });
  }
  return { cursors, pageLatency: percentiles(lat), walks };
}

/** The SQL and parameters listTickets sends for these HTTP query parameters. */
export async function listSql(params: Params): Promise<{ text: string; values: unknown[] }> {
  let captured: { text: string; values: unknown[] } | null = null;
  const capture = {
    query: async (text: string, values: unknown[]) => {
      captured = { text, values };
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Queryable;
  const actor: Actor = { userId: '00000000-0000-0000-0000-000000000000', role: 'agent', customerId: null, teamIds: [] };
  const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(','));
  const f: TicketFilter = {
    status: list(params.status),
    priority: list(params.priority),
    slaState: list(params.slaState),
    channel: list(params.channel),
    ownerId: params.ownerId,
    teamIds: list(params.teamId),
    waybill: params.waybill,
    tag: params.tag,
    q: params.q,
    cursor: params.cursor,
  };
  await listTickets(capture, actor, f);
  if (!captured) throw new Error('listTickets sent no query');
  return captured;
}

export async function explain(pool: pg.Pool, params: Params): Promise<string> {
  const { text, values } = await listSql(params);
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
