/**
 * Walk-ins (issue 4, C4): an agent registers a visit at an outlet — who, why, when the visitor
 * came in and was greeted — and it becomes a ticket on the walk_in channel like any other
 * contact. Retries with the same Idempotency-Key register one visit.
 */
import { withTx, type Queryable } from '../../db/database.ts';
import { greetMeasure } from '../../domain/walk-in.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { appendEvent, type TicketRow } from '../tickets/ticket-row.ts';

export interface WalkInInput {
  customerId?: string | undefined;
  customer?: { name?: string | undefined; phone?: string | undefined } | undefined;
  outlet: string;
  purpose: string;
  type?: string | undefined;
  waybills?: string[] | undefined;
  arrivedAt: string;
  greetedAt: string;
}

export interface WalkInView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  customerId: string | null;
  outlet: string;
  purpose: string;
  arrivedAt: string;
  greetedAt: string;
  greetMs: number;
  greetedWithinTarget: boolean;
}

export async function registerWalkIn(ctx: ServiceContext, actor: Actor, input: WalkInInput, idempotencyKey?: string): Promise<{ visit: WalkInView; replayed: boolean }> {
  if (!can(actor, 'ticket.create') || actor.role === 'customer' || actor.role === 'integration') throw forbidden('walk-ins are registered by service staff');
  const arrivedAt = new Date(input.arrivedAt);
  const greetedAt = new Date(input.greetedAt);
  const target = (await getSetting(ctx.db.pool, 'walk_in.greet_target')).seconds * 1000;
  const m = greetMeasure(arrivedAt, greetedAt, target);
  if (!m.ok) throw new AppError('validation_failed', m.reason);
  const customer = input.customer?.phone || input.customer?.name ? { name: input.customer.name ?? null, phone: input.customer.phone ?? null } : undefined;
  const { ticket, replayed } = await createTicket(
    ctx,
    actor,
    {
      type: input.type ?? 'consultation',
      channel: 'walk_in',
      subject: `到店:${input.purpose}`.slice(0, 200),
      description: `网点:${input.outlet}`,
      ...(input.customerId ? { customerId: input.customerId } : customer ? { customer } : {}),
      ...(input.waybills ? { waybills: input.waybills } : {}),
    },
    idempotencyKey ? { key: `walk-in:${idempotencyKey}` } : undefined,
  );
  const visit = await withTx(ctx.db, async (tx) => {
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO walk_ins (ticket_id, customer_id, outlet, purpose, arrived_at, greeted_at, greet_ms, greeted_within_target, registered_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ticket_id) DO NOTHING RETURNING id`,
      [ticket.id, ticket.customer_id, input.outlet, input.purpose, arrivedAt, greetedAt, m.greetMs, m.withinTarget, actor.userId],
    );
    if (ins.rowCount) {
      await appendEvent(tx, ticket.id, {
        kind: 'walk_in',
        actorId: actor.userId,
        body: `到店客户(${input.outlet}):${input.purpose};${Math.round(m.greetMs / 100) / 10} 秒内问候${m.withinTarget ? '' : '(超过问候时限)'}`,
        data: { outlet: input.outlet, greetMs: m.greetMs, withinTarget: m.withinTarget },
      });
      await recordAudit(tx, actor, { action: 'walk_in.register', entityType: 'walk_in', entityId: ins.rows[0]!.id, data: { ticketId: ticket.id, outlet: input.outlet } });
    }
    return view(tx, ticket);
  });
  return { visit, replayed };
}

async function view(q: Queryable, t: TicketRow): Promise<WalkInView> {
  const { rows } = await q.query<{ id: string; customer_id: string | null; outlet: string; purpose: string; arrived_at: Date; greeted_at: Date; greet_ms: number; greeted_within_target: boolean }>(
    'SELECT id, customer_id, outlet, purpose, arrived_at, greeted_at, greet_ms, greeted_within_target FROM walk_ins WHERE ticket_id = $1',
    [t.id],
  );
  const r = rows[0]!;
  return {
    id: r.id, ticketId: t.id, ticketNumber: t.number, customerId: r.customer_id, outlet: r.outlet, purpose: r.purpose,
    arrivedAt: r.arrived_at.toISOString(), greetedAt: r.greeted_at.toISOString(), greetMs: r.greet_ms, greetedWithinTarget: r.greeted_within_target,
  };
}
