import type { Queryable } from '../../db/database.ts';

export interface NotificationInput {
  userIds: string[];
  kind: string;
  ticketId: string | null;
  clockId?: string | null;
  title: string;
  body?: string;
}

/**
 * Inserts one notification per person. For SLA clocks the unique index (clock, kind, user) makes
 * a second attempt a no-op, which is what guarantees "once" when several processes sweep.
 */
export async function notify(q: Queryable, n: NotificationInput): Promise<number> {
  const users = [...new Set(n.userIds)];
  if (users.length === 0) return 0;
  const { rowCount } = await q.query(
    `INSERT INTO notifications (user_id, kind, ticket_id, clock_id, title, body)
     SELECT u, $2, $3, $4, $5, $6 FROM unnest($1::uuid[]) AS u
     ON CONFLICT (clock_id, kind, user_id) WHERE clock_id IS NOT NULL DO NOTHING`,
    [users, n.kind, n.ticketId, n.clockId ?? null, n.title, n.body ?? ''],
  );
  return rowCount ?? 0;
}

/** The leads of a team; with no team or no lead, the supervisors, so a breach never goes unheard. */
export async function leadsFor(q: Queryable, teamId: string | null): Promise<string[]> {
  if (teamId) {
    const { rows } = await q.query<{ user_id: string }>('SELECT user_id FROM team_members WHERE team_id = $1 AND is_lead', [teamId]);
    if (rows.length) return rows.map((r) => r.user_id);
  }
  const { rows } = await q.query<{ id: string }>("SELECT id FROM users WHERE role = 'supervisor' AND disabled_at IS NULL");
  return rows.map((r) => r.id);
}

export interface NotificationView {
  id: string;
  kind: string;
  ticketId: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export async function listNotifications(q: Queryable, userId: string, unreadOnly: boolean): Promise<NotificationView[]> {
  const { rows } = await q.query<{ id: string; kind: string; ticket_id: string | null; title: string; body: string; created_at: Date; read_at: Date | null }>(
    `SELECT id, kind, ticket_id, title, body, created_at, read_at FROM notifications
      WHERE user_id = $1 AND ($2 = false OR read_at IS NULL) ORDER BY created_at DESC LIMIT 200`,
    [userId, unreadOnly],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, ticketId: r.ticket_id, title: r.title, body: r.body, createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null }));
}

export async function markNotificationRead(q: Queryable, userId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2', [id, userId]);
  return (rowCount ?? 0) > 0;
}
