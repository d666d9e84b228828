/** The system user mail intake acts as (created by migration 0013): role integration, named in the audit log. */
import type { Queryable } from '../../db/database.ts';
import type { Actor } from '../../domain/policy.ts';

export const EMAIL_USERNAME = 'system:email';

const cache = new WeakMap<object, Actor>();

export async function emailActor(q: Queryable): Promise<Actor> {
  const hit = cache.get(q);
  if (hit) return hit;
  const { rows } = await q.query<{ id: string }>('SELECT id FROM users WHERE lower(username) = $1', [EMAIL_USERNAME]);
  if (!rows[0]) throw new Error(`the ${EMAIL_USERNAME} user is missing: has migration 0013 run?`);
  const actor: Actor = { userId: rows[0].id, role: 'integration', customerId: null, teamIds: [] };
  cache.set(q, actor);
  return actor;
}
