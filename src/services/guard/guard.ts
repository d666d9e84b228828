/**
 * Language guard (Q1) use cases: check a text's wording for QA and integrations, and guard an
 * agent's public reply before it is stored. The rules are the `guard.rules` setting, read per
 * check, so an admin's edit applies at once.
 */
import type { Queryable, Tx } from '../../db/database.ts';
import { blockingFindings, checkReply, describeFindings, type GuardChannel, type GuardConfig, type GuardFinding } from '../../domain/language-guard.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting, validateSetting } from '../settings/settings.ts';
import { appendEvent, type TicketRow } from '../tickets/ticket-row.ts';

export interface GuardOverride {
  reason: string;
}

export async function findingsFor(q: Queryable, text: string, channel: GuardChannel): Promise<GuardFinding[]> {
  return checkReply(text, channel, await getSetting(q, 'guard.rules'));
}

/**
 * POST /guard/check: the findings for a text on a channel. Stores nothing. With `config` (an
 * unsaved guard.rules value, checked like the setting) it answers what the edit would find.
 */
export async function checkGuardText(ctx: ServiceContext, actor: Actor, input: { text: string; channel: GuardChannel; config?: unknown }): Promise<{ findings: GuardFinding[] }> {
  if (!can(actor, 'guard.check')) throw forbidden('your role may not use the language guard');
  if (input.config === undefined) return { findings: await findingsFor(ctx.db.pool, input.text, input.channel) };
  if (!can(actor, 'settings.manage')) throw forbidden('only those who change settings try out unsaved guard rules');
  return { findings: checkReply(input.text, input.channel, validateSetting('guard.rules', input.config) as GuardConfig) };
}

/** How a ticket's channel is written to: phone and walk-in replies are spoken, mail is mail, the rest is online text. */
export function guardChannelOf(channel: TicketRow['channel']): GuardChannel {
  if (channel === 'phone' || channel === 'walk_in') return 'phone';
  if (channel === 'email') return 'email';
  return 'chat';
}

/**
 * Guards a staff member's public reply inside the writing transaction: blocking findings refuse it
 * (guard_blocked, 422) unless an override with a reason is given; every override is a ticket
 * event `guard_override` (internal) and an audit entry, for QA. Customers are never guarded.
 */
export async function guardReply(tx: Tx, actor: Actor, t: TicketRow, body: string, override: GuardOverride | null | undefined): Promise<void> {
  if (actor.role === 'customer') return;
  const findings = blockingFindings(await findingsFor(tx, body, guardChannelOf(t.channel)));
  if (findings.length === 0) return;
  const reason = override?.reason.trim() ?? '';
  if (reason === '') {
    throw new AppError('guard_blocked', `the reply breaks the service language rules: ${describeFindings(findings)}; reword it, or send guardOverride: { reason }`, { findings });
  }
  const data = { reason, findings: findings.map((f) => ({ ruleId: f.ruleId, category: f.category, start: f.start, end: f.end, text: f.text })) };
  await appendEvent(tx, t.id, { kind: 'guard_override', actorId: actor.userId, visibility: 'internal', body: reason, data });
  await recordAudit(tx, actor, { action: 'guard.override', entityType: 'ticket', entityId: t.id, data });
}
