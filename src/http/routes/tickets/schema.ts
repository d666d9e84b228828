import { z } from 'zod';
import { PRIORITIES } from '../../../domain/priority.ts';
import { TICKET_STATUSES } from '../../../domain/ticket-lifecycle.ts';
import { CHANNELS } from '../../../services/tickets/ticket-row.ts';

export const ticketRef = z.object({ id: z.string().min(1).max(64).describe('ticket id (uuid) or number (GD20261122000123)') });

const waybill = z.string().min(6).max(32);

export const createTicketBody = z.object({
  type: z.string().min(1).max(40).describe('ticket type code, e.g. consultation, tracking, problem_shipment, complaint'),
  categoryId: z.uuid().nullable().optional(),
  channel: z.enum(CHANNELS),
  priority: z.enum(PRIORITIES).optional(),
  subject: z.string().trim().min(1).max(200),
  description: z.string().max(20_000).optional(),
  customerId: z.uuid().nullable().optional(),
  customer: z.object({ name: z.string().max(100).nullable().optional(), phone: z.string().max(32).nullable().optional(), email: z.string().max(200).nullable().optional() }).nullable().optional()
    .describe('intake by contact details: the customer is found by phone (keyed hash) or created'),
  teamId: z.uuid().nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  autoAssign: z.boolean().optional().describe('assign by the team strategy instead of to the creating agent'),
  specialGroups: z.array(z.string().min(1).max(40)).max(10).optional(),
  goods: z.array(z.string().min(1).max(40)).max(10).optional(),
  tags: z.array(z.string().min(1).max(40)).max(30).optional(),
  waybills: z.array(waybill).max(20).optional(),
});

export const updateTicketBody = z.object({
  subject: z.string().trim().min(1).max(200).optional(),
  type: z.string().min(1).max(40).optional(),
  categoryId: z.uuid().nullable().optional(),
  priority: z.enum(PRIORITIES).optional(),
  tags: z.array(z.string().min(1).max(40)).max(30).optional(),
  waybills: z.array(waybill).max(20).optional(),
  specialGroups: z.array(z.string().min(1).max(40)).max(10).optional(),
  goods: z.array(z.string().min(1).max(40)).max(10).optional(),
});

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((s, c) => {
    const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
    for (const p of parts) {
      if (!values.includes(p)) {
        c.addIssue({ code: 'custom', message: `"${p}" is not one of ${values.join(', ')}` });
        return z.NEVER;
      }
    }
    return parts;
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A comma-separated list of ids (any of them matches), at most `max`. */
const uuidCsv = (max: number) =>
  z.string().max(max * 37).transform((s, c) => {
    const parts = [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];
    const bad = parts.find((p) => !UUID.test(p));
    if (bad !== undefined || parts.length === 0 || parts.length > max) {
      c.addIssue({ code: 'custom', message: bad !== undefined ? `"${bad}" is not a uuid` : `give 1 to ${max} comma-separated ids` });
      return z.NEVER;
    }
    return parts.map((p) => p.toLowerCase());
  });

export const listQuery = z.object({
  status: csv(TICKET_STATUSES).optional(),
  priority: csv(PRIORITIES).optional(),
  channel: csv(CHANNELS).optional(),
  slaState: csv(['none', 'running', 'warning', 'breached', 'paused', 'met'] as const).optional(),
  ownerId: z.union([z.uuid(), z.literal('none'), z.literal('me')]).optional(),
  teamId: z.union([z.literal('mine'), uuidCsv(50)]).optional().describe('team ids, comma-separated (any of them), or mine: the teams the caller belongs to'),
  waitingOn: z.enum(['customer', 'department']).optional().describe('pending tickets waiting on the customer or another department'),
  categoryId: uuidCsv(50).optional().describe('category ids, comma-separated (any of them)'),
  customerId: z.uuid().optional(),
  type: z.string().max(40).optional(),
  waybill: z.string().max(32).optional(),
  tag: z.string().max(40).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
});

export const ticketSummary = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  categoryId: z.string().nullable(),
  categoryCode: z.string().nullable(),
  channel: z.enum(CHANNELS),
  priority: z.enum(PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  waitingOn: z.enum(['customer', 'department']).nullable(),
  subject: z.string(),
  customerId: z.string().nullable(),
  teamId: z.string().nullable(),
  ownerId: z.string().nullable(),
  specialGroups: z.array(z.string()),
  goods: z.array(z.string()),
  tags: z.array(z.string()),
  waybills: z.array(z.string()),
  slaState: z.string(),
  slaDueAt: z.string().nullable(),
  mergedIntoId: z.string().nullable(),
  customerNotifiedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One timeline entry of GET /tickets/{id}/events. */
export const timelineEvent = z.object({
  id: z.number().int(),
  ticketId: z.string().describe('the ticket it was written on (a ticket merged into this one keeps its own id)'),
  kind: z.string().describe('message, note, status, assignment, handover, escalation, customer_notified, guard_override, sla_breach, …'),
  actorId: z.string().nullable(),
  actor: z.object({
    displayName: z.string().nullable().describe('staff display name; null for a customer (personal data, see the masked customer record)'),
    role: z.string(),
  }).nullable().describe('who acted; null for the system'),
  visibility: z.enum(['public', 'internal']),
  body: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  clientId: z.string().nullable(),
  createdAt: z.string(),
});

export const messageBody = z.object({
  body: z.string().min(1).max(20_000),
  visibility: z.enum(['public', 'internal']).default('public'),
  clientId: z.string().min(1).max(100).optional().describe('client-generated id; a retry with the same id is stored once'),
  notifiesResult: z.boolean().optional().describe('this reply tells the customer the outcome (required before closing)'),
  guardOverride: z.object({ reason: z.string().trim().min(1).max(1000) }).optional().describe('send a public reply the language guard blocks; the reason is recorded for QA'),
});

export const statusBody = z.object({
  status: z.enum(TICKET_STATUSES),
  waitingOn: z.enum(['customer', 'department']).optional(),
  reason: z.string().max(500).optional(),
});
