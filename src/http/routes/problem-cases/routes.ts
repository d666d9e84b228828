import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STEPS, PROBLEM_KINDS } from '../../../domain/express/problem-case.ts';
import { getProblemCase, openProblemCase, recordCourierContact, recordProblemCaseStep } from '../../../services/claims/problem-cases.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { requireActor } from '../../auth.ts';

const solution = z.enum(['priority_delivery', 'compensation', 'reshipment']);

const stepData = z.object({
  sentence: z.string().max(500).optional(),
  waybillConfirmed: z.boolean().optional(),
  partiesConfirmed: z.boolean().optional(),
  photos: z.array(z.string().min(1).max(200)).max(20).optional(),
  cause: z.string().max(40).optional(),
  findings: z.string().max(2000).optional(),
  solution: solution.optional(),
  customerChose: z.boolean().optional(),
  told: z.string().max(1000).optional(),
  note: z.string().max(1000).optional(),
});

const caseView = z.object({
  ticketId: z.string(),
  ticketNumber: z.string(),
  kind: z.enum(PROBLEM_KINDS),
  waybill: z.string().nullable(),
  solution: solution.nullable(),
  steps: z.array(z.object({ step: z.enum(CASE_STEPS), nameZh: z.string(), nameEn: z.string(), data: stepData, recordedBy: z.string().nullable(), recordedByName: z.string().nullable(), recordedAt: z.string() })),
  nextStep: z.enum(CASE_STEPS).nullable(),
  guidance: z.object({
    sootheSentence: z.string(),
    causes: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
    solutions: z.array(z.object({ code: solution, sentence: z.string() })),
    followUpSentence: z.string().nullable(),
  }),
  claimIds: z.array(z.string()),
  createdAt: z.string(),
});

export async function problemCaseRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['problem shipments'];
  const params = z.object({ id: z.string().min(1).max(64).describe('ticket id or number') });

  r.post('/tickets/:id/problem-case', {
    schema: {
      tags, summary: '问题件 — open a delay / loss / damage case on a ticket, worked through the five steps of seed 000', params,
      body: z.object({ kind: z.enum(PROBLEM_KINDS), waybill: z.string().trim().min(6).max(32).optional() }),
      response: { 201: caseView },
    },
  }, async (req, reply) => reply.code(201).send(await openProblemCase(ctx, requireActor(req), req.params.id, req.body)));

  r.get('/tickets/:id/problem-case', { schema: { tags, summary: 'The case: steps recorded, the next step and what to say', params, response: { 200: caseView } } }, async (req) =>
    getProblemCase(ctx, requireActor(req), req.params.id));

  r.post('/tickets/:id/problem-case/steps', {
    schema: {
      tags,
      summary: '记录步骤 — record the next step: soothe, verify (waybill, parties, photos), cause, solution, follow_up',
      params,
      body: stepData.extend({ step: z.enum(CASE_STEPS) }),
      response: { 200: caseView },
    },
  }, async (req) => {
    const { step, ...data } = req.body;
    return recordProblemCaseStep(ctx, requireActor(req), req.params.id, step, data);
  });

  r.post('/tickets/:id/problem-case/courier-contact', {
    schema: { tags, summary: '派件员已联系客户 — stops the courier call-back clock started by priority delivery', params, body: z.object({ note: z.string().max(500).optional() }), response: { 200: caseView } },
  }, async (req) => recordCourierContact(ctx, requireActor(req), req.params.id, req.body));
}
