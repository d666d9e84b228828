/**
 * Agents' own inbox views (issue 6): a name and the filters it stands for, visible to and changed
 * by their owner only. A preference of the user, like a read mark, so not in the audit log.
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
  const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM saved_views WHERE user_id = $1 ORDER BY name, id`, [actor.userId]);
  return rows.map(present);
}

export async function createSavedView(q: Queryable, actor: Actor, input: { name: string; filters: Record<string, unknown> }): Promise<SavedView> {
  // One statement: the count and the insert together, so two racing requests cannot pass the limit by much.
  const { rows } = await q.query<Row>(
    `INSERT INTO saved_views (user_id, name, filters)
     SELECT $1, $2, $3 WHERE (SELECT count(*) FROM saved_views WHERE user_id = $1) < ${MAX_VIEWS}
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
