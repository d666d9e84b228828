/**
 * Finds clocks past their warning point or deadline and acts on each exactly once, whichever
 * process runs the sweep: rows are claimed with FOR UPDATE SKIP LOCKED, marked (warned_at /
 * breached_at) and notified in the same transaction, and the notification's unique index
 * (clock, kind, user) makes even a replay a no-op.
 */
import { withTx, type Database, type Tx } from '../../db/database.ts';
import { formatDuration } from '../../domain/sla-clock.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { leadsFor, notify } from '../notifications/notifications.ts';
import { publishLive } from '../live/live-bus.ts';
import { queueWebhooksForTicketEvent } from '../webhooks/webhook-outbox.ts';
import { loadTicket, presentTicketSummary } from '../tickets/ticket-row.ts';
import { refreshTicketSla } from './clocks.ts';

const BATCH = 200;

interface Claimed {
  id: string;
  ticket_id: string;
  clock: string;
  target_ms: number;
  due_at: Date;
  number: string;
  owner_id: string | null;
  team_id: string | null;
}

export interface SweepResult {
  warned: number;
  breached: number;
}

export async function sweepSla(db: Database, now: Date = new Date()): Promise<SweepResult> {
  const result: SweepResult = { warned: 0, breached: 0 };
  for (;;) {
    const n = await withTx(db, (tx) => sweepBatch(tx, 'breach', now));
    result.breached += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await withTx(db, (tx) => sweepBatch(tx, 'warning', now));
    result.warned += n;
    if (n < BATCH) break;
  }
  return result;
}

async function sweepBatch(tx: Tx, kind: 'warning' | 'breach', now: Date): Promise<number> {
  const mark = kind === 'breach' ? 'breached_at' : 'warned_at';
  const when = kind === 'breach' ? 'due_at' : 'warn_at';
  const { rows } = await tx.query<Claimed>(
    `WITH due AS (
       SELECT id FROM sla_clocks
        WHERE ${mark} IS NULL AND stopped_at IS NULL AND running_since IS NOT NULL AND ${when} <= $1
        ORDER BY ${when} LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
     UPDATE sla_clocks c SET ${mark} = $1 ${kind === 'breach' ? ', warned_at = coalesce(c.warned_at, $1)' : ''}
       FROM due, tickets t
      WHERE c.id = due.id AND t.id = c.ticket_id
      RETURNING c.id, c.ticket_id, c.clock, c.target_ms, c.due_at, t.number, t.owner_id, t.team_id`,
    [now],
  );
  for (const c of rows) {
    const leads = await leadsFor(tx, c.team_id);
    // Warnings go to the person who can still act; breaches also to their lead (T5).
    const people = kind === 'breach' ? [...(c.owner_id ? [c.owner_id] : []), ...leads] : c.owner_id ? [c.owner_id] : leads;
    const title = kind === 'breach'
      ? `工单 ${c.number} 已超时(${c.clock})`
      : `工单 ${c.number} 即将超时(${c.clock},${formatDuration(c.due_at.getTime() - now.getTime(), 'zh')}后到期)`;
    await notify(tx, { userIds: people, kind: kind === 'breach' ? 'sla_breach' : 'sla_warning', ticketId: c.ticket_id, clockId: c.id, title, body: `截止 ${c.due_at.toISOString()}` });
    await tx.query(
      `INSERT INTO ticket_events (ticket_id, kind, actor_id, visibility, data) VALUES ($1, $2, NULL, 'internal', $3)`,
      [c.ticket_id, kind === 'breach' ? 'sla_breach' : 'sla_warning', JSON.stringify({ clock: c.clock, dueAt: c.due_at.toISOString(), notified: people })],
    );
    await refreshTicketSla(tx, c.ticket_id);
    // The ticket as it now stands, so an inbox not listing it can tell whether it belongs in its view (at risk, overdue).
    const ticket = presentTicketSummary(await loadTicket(tx, c.ticket_id));
    await publishLive(tx, { topic: 'tickets', type: 'ticket.sla', data: { ticketId: c.ticket_id, kind, clock: c.clock, dueAt: c.due_at.toISOString(), ownerId: c.owner_id, teamId: c.team_id, ticket } });
    if (kind === 'breach') {
      // The breach's timeline entry is written above, not through appendEvent's fan-out: webhooks hear of it here.
      await queueWebhooksForTicketEvent(tx, c.ticket_id, { id: null, kind: 'sla_breach', actorId: null, visibility: 'internal', body: null, data: { clock: c.clock, dueAt: c.due_at.toISOString() }, createdAt: now.toISOString() });
      await recordAudit(tx, null, { action: 'sla.breach', entityType: 'ticket', entityId: c.ticket_id, data: { clock: c.clock, dueAt: c.due_at.toISOString() } });
    }
  }
  return rows.length;
}
