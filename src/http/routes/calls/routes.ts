import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALL_EVENT_KINDS } from '../../../domain/calls.ts';
import { getCall, leaveCallbackMessage, phonePanel, recordCallEvent } from '../../../services/calls/calls.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';

const callView = z.object({
  callId: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  caller: z.string().nullable().describe('masked'),
  line: z.string().nullable(),
  agentExtension: z.string().nullable(),
  agentId: z.string().nullable(),
  customerId: z.string().nullable(),
  ticketId: z.string().nullable(),
  status: z.enum(['ringing', 'answered', 'on_hold', 'ended', 'missed']),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  measures: z.object({ answerMs: z.number().nullable(), answeredWithinTarget: z.boolean().nullable(), talkMs: z.number().nullable(), holdMs: z.number(), holds: z.number(), abandoned: z.boolean() }),
  recordingUrl: z.string().nullable(),
});

const callId = z.string().trim().min(1).max(100).regex(/^[\w.:-]+$/, 'letters, digits and . _ : - only');

export async function callRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['phone'];

  r.post('/telephony/events', {
    schema: {
      tags,
      summary: '电话事件 — a call event from the telephony system (ringing, answered, hold, resume, transfer, ended, missed); idempotent by call id and event id. The first event opens or joins the caller’s ticket.',
      body: z.object({
        callId,
        event: z.enum(CALL_EVENT_KINDS),
        at: z.string().min(10).max(40).describe('ISO 8601 date-time'),
        eventId: z.string().trim().min(1).max(100).optional().describe('required for hold, resume and transfer'),
        direction: z.enum(['inbound', 'outbound']).optional(),
        caller: z.string().min(3).max(32).optional(),
        line: z.string().max(40).optional(),
        extension: z.string().trim().min(1).max(20).optional(),
        recordingUrl: z.url().max(500).optional(),
        reason: z.string().trim().min(2).max(200).optional(),
        expectedWaitSeconds: z.number().int().min(0).max(3600).optional(),
        toExtension: z.string().trim().min(1).max(20).optional(),
        toTeam: z.string().trim().min(1).max(60).optional(),
        consent: z.boolean().optional(),
      }),
      response: { 200: z.object({ call: callView, duplicate: z.boolean() }) },
    },
  }, async (req) => recordCallEvent(ctx, requireActor(req), req.body));

  r.get('/calls/:callId', { schema: { tags, summary: 'A call and its measures', params: z.object({ callId }), response: { 200: callView } } }, async (req) =>
    getCall(ctx, requireActor(req), req.params.callId));

  r.post('/calls/:callId/callback-message', {
    schema: {
      tags, summary: '留言回电 — a message for call-back: name, contact and matter (C6), on the call’s ticket',
      params: z.object({ callId }),
      body: z.object({ name: z.string().trim().min(1).max(50), contact: z.string().trim().min(3).max(100), matter: z.string().trim().min(2).max(500) }),
      response: { 200: callView },
    },
  }, async (req) => leaveCallbackMessage(ctx, requireActor(req), req.params.callId, req.body));

  r.get('/telephony/panel', {
    schema: {
      tags, summary: '来电弹屏 — the agent’s open call, the caller’s customer record (masked), recent tickets and parcels',
      response: { 200: z.object({ call: callView.nullable(), customer: z.any().nullable(), recentTickets: z.array(z.any()), parcels: z.array(z.any()) }) },
    },
  }, async (req) => phonePanel(ctx, requireActor(req)));
}
