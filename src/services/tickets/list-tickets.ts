/**
 * Ticket search and lists: filters that map onto indexes, newest first, keyset pagination on
 * (created_at, id) so page 1000 costs what page 1 costs.
 */
import type { Queryable } from '../../db/database.ts';
import { listScope, type Actor } from '../../domain/policy.ts';
import { parseTicketNumber } from '../../domain/ticket-number.ts';
import { AppError } from '../../http/errors.ts';
import { TICKET_COLUMNS, type TicketRow } from './ticket-row.ts';

export interface TicketFilter {
  status?: string[];
  ownerId?: string | 'none';
  /** Any of these teams (chosen, or the caller's own: "my team"); an empty list matches nothing. */
  teamIds?: string[];
  waitingOn?: string;
  /** Any of these categories. */
  categoryIds?: string[];
  priority?: string[];
  channel?: string[];
  type?: string;
  slaState?: string[];
  customerId?: string;
  waybill?: string;
  tag?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export function encodeCursor(t: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([t.created_at.toISOString(), t.id])).toString('base64url');
}

function decodeCursor(c: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]))) return [v[0], v[1]];
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'cursor is not one this server handed out');
}

export async function listTickets(q: Queryable, actor: Actor, f: TicketFilter): Promise<{ items: TicketRow[]; nextCursor: string | null }> {
  const scope = listScope(actor);
  if (scope.kind === 'none') return { items: [], nextCursor: null };
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (scope.kind === 'customer') where.push(`t.customer_id = ${p(scope.customerId)}`);
  if (f.status?.length) where.push(`t.status = ANY(${p(f.status)}::text[])`);
  if (f.ownerId === 'none') where.push('t.owner_id IS NULL');
  else if (f.ownerId) where.push(`t.owner_id = ${p(f.ownerId)}`);
  if (f.teamIds) where.push(`t.team_id = ANY(${p(f.teamIds)}::uuid[])`);
  if (f.waitingOn) where.push(`t.waiting_on = ${p(f.waitingOn)}`);
  if (f.categoryIds?.length) where.push(`t.category_id = ANY(${p(f.categoryIds)}::uuid[])`);
  if (f.priority?.length) where.push(`t.priority = ANY(${p(f.priority)}::text[])`);
  if (f.channel?.length) where.push(`t.channel = ANY(${p(f.channel)}::text[])`);
  if (f.type) where.push(`t.type = ${p(f.type)}`);
  if (f.slaState?.length) where.push(`t.sla_state = ANY(${p(f.slaState)}::text[])`);
  if (f.customerId) where.push(`t.customer_id = ${p(f.customerId)}`);
  // The GIN lookup runs first as its own subquery: otherwise the planner walks the created_at index
  // hoping to meet a match soon, and reads every ticket when the waybill has none.
  const byWaybill = (w: string): string => `t.id = ANY(ARRAY(SELECT id FROM tickets WHERE waybills @> ARRAY[${p(w.toUpperCase())}]::text[]))`;
  if (f.waybill) where.push(byWaybill(f.waybill.trim()));
  if (f.tag) where.push(`t.tags @> ARRAY[${p(f.tag)}]::text[]`);
  if (f.q && f.q.trim() !== '') {
    const text = f.q.trim();
    if (parseTicketNumber(text.toUpperCase())) where.push(`t.number = ${p(text.toUpperCase())}`);
    else if (/^[A-Za-z0-9]{8,32}$/.test(text) && /\d{6}/.test(text)) where.push(byWaybill(text));
    else {
      const like = `t.subject ILIKE ${p(`%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)}`;
      // Two characters have no trigram; their bigram index (migration 0002) finds the candidates.
      where.push([...text].length === 2 ? `text_bigrams(t.subject) @> ARRAY[${p(text.toLowerCase())}]::text[] AND ${like}` : like);
    }
  }
  if (f.cursor) {
    const [at, id] = decodeCursor(f.cursor);
    where.push(`(t.created_at, t.id) < (${p(at)}::timestamptz, ${p(id)}::uuid)`);
  }
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const { rows } = await q.query<TicketRow>(
    `SELECT ${TICKET_COLUMNS} FROM tickets t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY t.created_at DESC, t.id DESC LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
