/**
 * Agents' own inbox views (issue 6): a name and the filters it stands for, visible to and changed
 * by their owner only, in the order the owner put them (else by name). A preference of the user,
 * like a read mark, so not in the audit log.
 */
import type { Queryable } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';
import { AppError } from '../../http/errors.ts';

export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  name: string;
  filters: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** A user keeps at most this many views: a menu, not a store. */
export const MAX_VIEWS = 50;

const present = (r: Row): SavedView => ({ id: r.id, name: r.name, filters: r.filters, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() });
const COLUMNS = 'id, name, filters, created_at, updated_at';

function nameTaken(err: unknown, name: string): never {
  if ((err as { code?: string }).code === '23505') throw new AppError('conflict', `you already have a view named "${name}"`);
  throw err;
}

export async function listSavedViews(q: Queryable, actor: Actor): Promise<SavedView[]> {
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM saved_views WHERE user_id = $1 ORDER BY position NULLS LAST, name, id`, [actor.userId]);
  return rows.map(present);
}

export async function createSavedView(q: Queryable, actor: Actor, input: { name: string; filters: Record<string, unknown> }): Promise<SavedView> {
  // One statement: the count and the insert together, so two racing requests cannot pass the limit by much.
  const { rows } = await q.query<Row>(
    `INSERT INTO saved_views (user_id, name, filters, position)
     SELECT $1, $2, $3, (SELECT max(position) + 1 FROM saved_views WHERE user_id = $1)
      WHERE (SELECT count(*) FROM saved_views WHERE user_id = $1) < ${MAX_VIEWS}
     RETURNING ${COLUMNS}`,
    [actor.userId, input.name, JSON.stringify(input.filters)],
  ).catch((err: unknown) => nameTaken(err, input.name));
  if (!rows[0]) throw new AppError('conflict', `you already have ${MAX_VIEWS} views; delete one first`);
  return present(rows[0]);
}

export async function updateSavedView(q: Queryable, actor: Actor, id: string, input: { name: string; filters: Record<string, unknown> }): Promise<SavedView> {
  const { rows } = await q.query<Row>(
    `UPDATE saved_views SET name = $3, filters = $4, updated_at = now() WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
    [id, actor.userId, input.name, JSON.stringify(input.filters)],
  ).catch((err: unknown) => nameTaken(err, input.name));
  if (!rows[0]) throw new AppError('not_found', `view ${id} does not exist`);
  return present(rows[0]);
}

export async function deleteSavedView(q: Queryable, actor: Actor, id: string): Promise<void> {
  const r = await q.query('DELETE FROM saved_views WHERE id = $1 AND user_id = $2', [id, actor.userId]);
  if (!r.rowCount) throw new AppError('not_found', `view ${id} does not exist`);
}

/**
 * Puts the caller's views in the order given: these ids first, in this order; any not given after
 * them, by name. Each id must be one of the caller's views, once.
 */
export async function orderSavedViews(q: Queryable, actor: Actor, ids: readonly string[]): Promise<SavedView[]> {
  const wanted = ids.map((id) => id.toLowerCase());
  const repeated = wanted.find((id, i) => wanted.indexOf(id) !== i);
  if (repeated) throw new AppError('validation_failed', `ids: view ${repeated} is given twice`);
  const { rows: own } = await q.query<{ id: string }>('SELECT id FROM saved_views WHERE user_id = $1', [actor.userId]);
  const mine = new Set(own.map((r) => r.id));
  const stranger = wanted.find((id) => !mine.has(id));
  if (stranger) throw new AppError('not_found', `view ${stranger} does not exist`);
  // One statement: every view of the caller gets its place (or none) at once.
  await q.query(
    `UPDATE saved_views v SET position = (SELECT o.ord - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, ord) WHERE o.id = v.id)
      WHERE v.user_id = $1`,
    [actor.userId, wanted],
  );
  return listSavedViews(q, actor);
}
