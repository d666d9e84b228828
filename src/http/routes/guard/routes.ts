import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GUARD_CATEGORIES, GUARD_CHANNELS } from '../../../domain/language-guard.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { checkGuardText } from '../../../services/guard/guard.ts';
import { requireActor } from '../../auth.ts';

const finding = z.object({
  ruleId: z.string(),
  category: z.enum(GUARD_CATEGORIES),
  severity: z.enum(['block', 'warn']),
  start: z.number().int().describe('offset (UTF-16 code units) where the finding starts'),
  end: z.number().int().describe('offset just past its end'),
  text: z.string(),
  suggestion: z.string().describe('the approved wording to offer, or advice to the agent when `advice` is true'),
  advice: z.boolean().describe('true: the suggestion is advice to the agent (e.g. remove the emoji), to show and never insert into the reply; false: wording the reply box may substitute for the span'),
});

export async function guardRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/guard/check', {
    schema: {
      tags: ['guard'],
      summary: '话术检查 — check a reply against the service language rules (forbidden phrases, rhetorical questions, blaming, refusals, slang and emoji online, jargon). Stores nothing.',
      body: z.object({
        text: z.string().min(1).max(20_000),
        channel: z.enum(GUARD_CHANNELS),
        config: z.unknown().optional().describe('a guard.rules value to check against instead of the stored one — an admin trying out an edit before saving it (needs settings.manage; validated like PUT /settings/guard.rules)'),
      }),
      response: { 200: z.object({ findings: z.array(finding) }) },
    },
  }, async (req) => checkGuardText(ctx, requireActor(req), req.body));
}
