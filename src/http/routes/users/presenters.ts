import type { Actor } from '../../../domain/policy.ts';
import type { UserRow } from '../../../services/accounts/accounts.ts';
import type { ServiceContext } from '../../../services/context.ts';

export async function presentMe(ctx: ServiceContext, actor: Actor): Promise<{ id: string; username: string; displayName: string; role: Actor['role']; customerId: string | null; teamIds: string[] }> {
  const { rows } = await ctx.db.pool.query<{ username: string; display_name: string }>('SELECT username, display_name FROM users WHERE id = $1', [actor.userId]);
  return { id: actor.userId, username: rows[0]?.username ?? '', displayName: rows[0]?.display_name ?? '', role: actor.role, customerId: actor.customerId, teamIds: actor.teamIds };
}

export function presentUser(u: UserRow): { id: string; username: string; displayName: string; role: UserRow['role']; customerId: string | null; skills: string[]; channels: string[]; capacity: number; available: boolean; phoneExtension: string | null; createdAt: string; disabledAt: string | null } {
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role, customerId: u.customer_id, skills: u.skills, channels: u.channels, capacity: u.capacity, available: u.available, phoneExtension: u.phone_extension, createdAt: u.created_at.toISOString(), disabledAt: u.disabled_at?.toISOString() ?? null };
}
