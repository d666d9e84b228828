/**
 * Phone calls (issue 4, SPEC C4/C6): the telephony system (CTI) posts call events; the first
 * event of a call finds the caller by phone (keyed hash) and joins their open ticket or opens a
 * new one; every event is kept once (retries are no-ops), moves the call through its states, is
 * written to the ticket's timeline, and refreshes the call's measures (answer time against the
 * 15 s target, talk and hold time, abandoned). Agents get a screen-pop: their open call, the
 * caller (masked), recent tickets and parcels.
 */
import { withTx, type Queryable } from '../../db/database.ts';
import { applyCallEvent, callMeasures, type CallEvent, type CallEventKind, type CallStatus } from '../../domain/calls.ts';
import { maskPhone, normalizePhone } from '../../domain/masking.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { findCustomersByPhone, getCustomerRow, presentCustomer, type CustomerView } from '../customers/customers.ts';
import { getSetting } from '../settings/settings.ts';
import { findShipmentsByPhone, type ShipmentSummary } from '../shipments/lookup-shipments.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { appendEvent, presentTicketSummary, TICKET_COLUMNS, touchTicket, type TicketRow, type TicketSummary } from '../tickets/ticket-row.ts';

const ONCE: readonly CallEventKind[] = ['ringing', 'answered', 'ended', 'missed'];

export interface CallEventInput {
  callId: string;
  event: CallEventKind;
  at: string;
  eventId?: string | undefined;
  direction?: 'inbound' | 'outbound' | undefined;
  caller?: string | undefined;
  line?: string | undefined;
  extension?: string | undefined;
  recordingUrl?: string | undefined;
  /** hold and transfer: why (C6). */
  reason?: string | undefined;
  /** hold: how long the customer was told to wait (C6). */
  expectedWaitSeconds?: number | undefined;
  /** transfer: where to (C6). */
  toExtension?: string | undefined;
  toTeam?: string | undefined;
  /** transfer: the customer agreed (C6). */
  consent?: boolean | undefined;
}

interface CallRow {
  id: string;
  call_id: string;
  direction: 'inbound' | 'outbound';
  caller_phone_enc: string | null;
  line: string | null;
  agent_extension: string | null;
  agent_id: string | null;
  customer_id: string | null;
  ticket_id: string | null;
  status: CallStatus;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  answer_ms: string | null;
  answered_within_target: boolean | null;
  talk_ms: string | null;
  hold_ms: string;
  holds: number;
  abandoned: boolean;
  recording_url: string | null;
}

export interface CallView {
  callId: string;
  direction: 'inbound' | 'outbound';
  caller: string | null;
  line: string | null;
  agentExtension: string | null;
  agentId: string | null;
  customerId: string | null;
  ticketId: string | null;
  status: CallStatus;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  measures: { answerMs: number | null; answeredWithinTarget: boolean | null; talkMs: number | null; holdMs: number; holds: number; abandoned: boolean };
  recordingUrl: string | null;
}

const num = (v: string | null): number | null => (v === null ? null : Number(v));

/** Callers' numbers are shown masked (P1); the full number is on the customer record behind a reveal. */
function presentCall(c: CallRow, crypto: PiiCrypto): CallView {
  return {
    callId: c.call_id,
    direction: c.direction,
    caller: c.caller_phone_enc ? maskPhone(crypto.decrypt(c.caller_phone_enc)) : null,
    line: c.line,
    agentExtension: c.agent_extension,
    agentId: c.agent_id,
    customerId: c.customer_id,
    ticketId: c.ticket_id,
    status: c.status,
    startedAt: c.started_at.toISOString(),
    answeredAt: c.answered_at?.toISOString() ?? null,
    endedAt: c.ended_at?.toISOString() ?? null,
    measures: {
      answerMs: num(c.answer_ms),
      answeredWithinTarget: c.answered_within_target,
      talkMs: num(c.talk_ms),
      holdMs: Number(c.hold_ms),
      holds: c.holds,
      abandoned: c.abandoned,
    },
    recordingUrl: c.recording_url,
  };
}

async function loadCall(q: Queryable, callId: string, lock = false): Promise<CallRow | null> {
  const { rows } = await q.query<CallRow>(`SELECT * FROM calls WHERE call_id = $1${lock ? ' FOR UPDATE' : ''}`, [callId]);
  return rows[0] ?? null;
}

function checkInput(e: CallEventInput): { at: Date; eventId: string } {
  const at = new Date(e.at);
  if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', `at: "${e.at}" is not a date-time`);
  if (!ONCE.includes(e.event) && !e.eventId) throw new AppError('validation_failed', `eventId is required for ${e.event} events (a call may have several)`);
  if (e.event === 'hold' && (!e.reason || e.expectedWaitSeconds === undefined)) {
    throw new AppError('validation_failed', 'a hold records the reason and the expected wait told to the customer (reason, expectedWaitSeconds)');
  }
  if (e.event === 'transfer') {
    if (!e.reason || (!e.toExtension && !e.toTeam)) throw new AppError('validation_failed', 'a transfer states the reason and where it goes (reason, toExtension or toTeam)');
    if (e.consent !== true) throw new AppError('validation_failed', 'a transfer needs the customer’s consent (consent: true)');
  }
  return { at, eventId: e.eventId ?? e.event };
}

/**
 * The caller's customer record and the ticket the call belongs to: their newest ticket still in
 * progress, or a new phone ticket (idempotent by call id, so a retried first event opens one).
 */
async function ticketForCall(ctx: ServiceContext, actor: Actor, e: CallEventInput, phone: string | null): Promise<{ customerId: string | null; ticketId: string; joined: boolean }> {
  const customers = phone ? await findCustomersByPhone(ctx.db.pool, ctx.crypto, phone) : [];
  const customerId = customers[0]?.id ?? null;
  if (customerId) {
    const open = await ctx.db.pool.query<{ id: string }>(
      `SELECT id FROM tickets WHERE customer_id = $1 AND status IN ('new', 'open', 'pending') AND merged_into_id IS NULL ORDER BY updated_at DESC LIMIT 1`,
      [customerId],
    );
    if (open.rows[0]) return { customerId, ticketId: open.rows[0].id, joined: true };
  }
  const { ticket } = await createTicket(
    ctx,
    actor,
    {
      type: 'consultation',
      channel: 'phone',
      subject: `来电 ${phone ? maskPhone(phone) : '(号码未显示)'}`,
      ...(customerId ? { customerId } : phone ? { customer: { phone } } : {}),
    },
    { key: `call:${e.callId}` },
  );
  return { customerId: ticket.customer_id, ticketId: ticket.id, joined: false };
}

function timelineText(e: CallEventInput, c: CallView): string {
  const s = (ms: number | null): string => (ms === null ? '—' : `${Math.round(ms / 1000)} 秒`);
  switch (e.event) {
    case 'ringing':
      return `来电振铃${e.extension ? `(分机 ${e.extension})` : ''}`;
    case 'answered':
      return `电话已接听,等待 ${s(c.measures.answerMs)}${c.measures.answeredWithinTarget === false ? '(超过接听时限)' : ''}`;
    case 'hold':
      return `通话保持:${e.reason},告知客户预计等待 ${e.expectedWaitSeconds} 秒`;
    case 'resume':
      return '结束保持,继续通话';
    case 'transfer':
      return `转接至${e.toTeam ? `${e.toTeam}组` : ''}${e.toExtension ? `分机 ${e.toExtension}` : ''}:${e.reason}(客户已同意)`;
    case 'ended':
      return c.measures.abandoned ? '客户在接听前挂断(放弃呼叫)' : `通话结束,通话 ${s(c.measures.talkMs)},保持 ${s(c.measures.holdMs)}`;
    case 'missed':
      return '未接来电';
  }
}

export async function recordCallEvent(ctx: ServiceContext, actor: Actor, e: CallEventInput): Promise<{ call: CallView; duplicate: boolean }> {
  if (!can(actor, 'telephony.ingest')) throw forbidden('call events come from the telephony system (an integration key)');
  const { at, eventId } = checkInput(e);
  let phone: string | null = null;
  if (e.caller) {
    phone = normalizePhone(e.caller);
    if (!phone) throw new AppError('validation_failed', `caller: "${e.caller}" is not a mainland mobile or landline number`);
  }
  // The first event of a call: find or open its ticket before taking the call's lock.
  const existing = await loadCall(ctx.db.pool, e.callId);
  if (!existing) {
    const first = applyCallEvent(null, e.event);
    if (!first.ok) throw new AppError('invalid_transition', `call ${e.callId} is unknown: ${first.reason}`);
    const { customerId, ticketId, joined } = await ticketForCall(ctx, actor, e, phone);
    await withTx(ctx.db, async (tx) => {
      const ins = await tx.query(
        `INSERT INTO calls (call_id, direction, caller_phone_enc, caller_phone_hash, line, customer_id, ticket_id, status, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'ringing', $8) ON CONFLICT (call_id) DO NOTHING`,
        [e.callId, e.direction ?? 'inbound', phone ? ctx.crypto.encrypt(phone) : null, phone ? ctx.crypto.lookupHash(phone) : null, e.line ?? null, customerId, ticketId, at],
      );
      if (ins.rowCount && joined) await appendEvent(tx, ticketId, { kind: 'call', actorId: actor.userId, body: '客户来电,已关联到此工单', data: { callId: e.callId } });
    });
  }

  const targetMs = (await getSetting(ctx.db.pool, 'phone.answer_target')).seconds * 1000;
  return withTx(ctx.db, async (tx) => {
    const call = (await loadCall(tx, e.callId, true))!;
    const inserted = await tx.query(
      'INSERT INTO call_events (call_id, event_id, kind, at, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (call_id, event_id) DO NOTHING RETURNING id',
      [e.callId, eventId, e.event, at, JSON.stringify({ reason: e.reason, expectedWaitSeconds: e.expectedWaitSeconds, toExtension: e.toExtension, toTeam: e.toTeam, consent: e.consent, extension: e.extension, recordingUrl: e.recordingUrl })],
    );
    if (!inserted.rowCount) return { call: presentCall(call, ctx.crypto), duplicate: true };

    const events = (await tx.query<{ kind: CallEventKind; at: Date }>('SELECT kind, at FROM call_events WHERE call_id = $1 ORDER BY at, id', [e.callId])).rows;
    // Replay the call's events in time order: the state follows the events, not their arrival.
    let status: CallStatus | null = null;
    for (const ev of events) {
      const step = applyCallEvent(status, ev.kind);
      if (!step.ok) throw new AppError('invalid_transition', `call ${e.callId}: ${step.reason}`);
      status = step.status;
    }
    const m = callMeasures(events as CallEvent[], targetMs);
    const first = (k: CallEventKind): Date | null => events.find((x) => x.kind === k)?.at ?? null;
    let agentId = call.agent_id;
    let extension = call.agent_extension;
    if (e.extension && (e.event === 'ringing' || e.event === 'answered' || e.event === 'transfer')) {
      extension = e.event === 'transfer' ? (e.toExtension ?? extension) : e.extension;
      const agent = await tx.query<{ id: string }>('SELECT id FROM users WHERE phone_extension = $1', [extension]);
      agentId = agent.rows[0]?.id ?? agentId;
    } else if (e.event === 'transfer' && e.toExtension) {
      extension = e.toExtension;
      const agent = await tx.query<{ id: string }>('SELECT id FROM users WHERE phone_extension = $1', [extension]);
      agentId = agent.rows[0]?.id ?? null;
    }
    await tx.query(
      `UPDATE calls SET status = $2, started_at = $3, answered_at = $4, ended_at = $5, answer_ms = $6, answered_within_target = $7, talk_ms = $8,
              hold_ms = $9, holds = $10, abandoned = $11, agent_extension = $12, agent_id = $13, recording_url = coalesce($14, recording_url), updated_at = now()
        WHERE call_id = $1`,
      [e.callId, status, events[0]!.at, first('answered'), first('ended') ?? first('missed'), m.answerMs, m.answeredWithinTarget, m.talkMs, m.holdMs, m.holds, m.abandoned, extension, agentId, e.recordingUrl ?? null],
    );
    const view = presentCall((await loadCall(tx, e.callId))!, ctx.crypto);
    if (call.ticket_id) {
      await appendEvent(tx, call.ticket_id, { kind: 'call', actorId: agentId, body: timelineText(e, view), data: { callId: e.callId, event: e.event, eventId, ...(e.recordingUrl ? { recordingUrl: e.recordingUrl } : {}) } });
      await touchTicket(tx, call.ticket_id);
    }
    await recordAudit(tx, actor, { action: `call.${e.event}`, entityType: 'call', entityId: e.callId, data: { eventId, ticketId: call.ticket_id } });
    return { call: view, duplicate: false };
  });
}

export async function getCall(ctx: ServiceContext, actor: Actor, callId: string): Promise<CallView> {
  if (!can(actor, 'ticket.list') || actor.role === 'customer') throw forbidden('your role may not see calls');
  const c = await loadCall(ctx.db.pool, callId);
  if (!c) throw notFound('call', callId);
  return presentCall(c, ctx.crypto);
}

/** C6: a message left for a call-back records name, contact and matter, on the call's ticket. */
export async function leaveCallbackMessage(ctx: ServiceContext, actor: Actor, callId: string, input: { name: string; contact: string; matter: string }): Promise<CallView> {
  if (!can(actor, 'ticket.note') || actor.role === 'customer' || actor.role === 'integration') throw forbidden('your role may not take call-back messages');
  return withTx(ctx.db, async (tx) => {
    const c = await loadCall(tx, callId, true);
    if (!c) throw notFound('call', callId);
    if (!c.ticket_id) throw new AppError('invalid_transition', `call ${callId} has no ticket`);
    const contact = normalizePhone(input.contact) ?? input.contact.trim();
    await appendEvent(tx, c.ticket_id, {
      kind: 'callback_request',
      actorId: actor.userId,
      body: `请回电:${input.name},${maskPhone(contact)},事由:${input.matter}`,
      data: { callId, name: input.name, contactEnc: ctx.crypto.encrypt(contact), matter: input.matter },
    });
    await touchTicket(tx, c.ticket_id);
    await recordAudit(tx, actor, { action: 'call.callback_message', entityType: 'call', entityId: callId, data: { ticketId: c.ticket_id, matter: input.matter } });
    return presentCall(c, ctx.crypto);
  });
}

export interface PhonePanel {
  call: CallView | null;
  customer: CustomerView | null;
  recentTickets: TicketSummary[];
  parcels: ShipmentSummary[];
}

/** The screen-pop: the agent's open call, the caller (masked), their recent tickets and parcels. */
export async function phonePanel(ctx: ServiceContext, actor: Actor): Promise<PhonePanel> {
  if (!can(actor, 'ticket.list') || actor.role === 'customer' || actor.role === 'integration') throw forbidden('the phone panel is for agents');
  const { rows } = await ctx.db.pool.query<CallRow>(
    `SELECT * FROM calls WHERE agent_id = $1 AND status IN ('ringing', 'answered', 'on_hold') ORDER BY started_at DESC LIMIT 1`,
    [actor.userId],
  );
  const c = rows[0];
  if (!c) return { call: null, customer: null, recentTickets: [], parcels: [] };
  const customer = c.customer_id ? presentCustomer(await getCustomerRow(ctx.db.pool, c.customer_id), ctx.crypto, actor) : null;
  const tickets = c.customer_id
    ? (await ctx.db.pool.query<TicketRow>(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.customer_id = $1 ORDER BY t.updated_at DESC LIMIT 5`, [c.customer_id])).rows.map(presentTicketSummary)
    : [];
  const parcels = c.caller_phone_enc && can(actor, 'shipment.read') ? await findShipmentsByPhone(ctx.db.pool, ctx.crypto, actor, ctx.crypto.decrypt(c.caller_phone_enc), 5, ctx.now()) : [];
  return { call: presentCall(c, ctx.crypto), customer, recentTickets: tickets, parcels };
}
