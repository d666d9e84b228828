/**
 * Settings are data an admin edits. Each has a zod schema and the default SPEC gives; a stored
 * value overrides the default. Read per use (cheap primary-key lookups), so a change applies
 * without a restart.
 */
import { z } from 'zod';
import type { Queryable } from '../../db/database.ts';
import { DEFAULT_SYNONYMS } from '../../domain/kb-search.ts';
import { DEFAULT_APPROVAL_LIMITS } from '../../domain/express/claim-lifecycle.ts';
import { DEFAULT_SPECIAL_GROUPS, DEFAULT_URGENT_GOODS } from '../../domain/priority.ts';
import { DEFAULT_MAX_ATTEMPTS } from '../../domain/webhooks.ts';
import { DEFAULT_GUARD_CONFIG, GUARD_CATEGORIES, GUARD_CHANNELS, markShippedAdvice, patternProblem, upgradeGuardRules, type GuardConfig } from '../../domain/language-guard.ts';
import { V1_DEFAULT_GUARD_RULES } from '../../domain/language-guard-v1.ts';
import { AppError } from '../../http/errors.ts';
import { expressSettings } from './express-settings.ts';

const specialGroup = z.object({
  code: z.string().min(1),
  nameZh: z.string(),
  nameEn: z.string(),
  raiseTo: z.enum(['low', 'normal', 'high', 'urgent']),
  serviceNotesZh: z.string(),
  serviceNotesEn: z.string(),
});
const urgentGoods = z.object({
  code: z.string().min(1),
  nameZh: z.string(),
  nameEn: z.string(),
  raiseTo: z.enum(['low', 'normal', 'high', 'urgent']),
  keywords: z.array(z.string()),
});

// Language guard (Q1). Patterns are checked against the classes of the same value (a pattern may
// name {CLASS}es), so they are validated where both are known: on the whole configuration.
const guardPattern = z.string().min(1).max(4000);
const guardRule = z.object({
  id: z.string().min(1).max(100),
  category: z.enum(GUARD_CATEGORIES),
  pattern: guardPattern.optional(),
  phrases: z.array(z.string().min(1).max(200)).max(500).optional(),
  severity: z.enum(['block', 'warn']),
  channels: z.array(z.enum(GUARD_CHANNELS)).min(1),
  suggestion: z.string().min(1).max(500).optional(),
  /** The suggestion is advice to the agent, shown but never inserted (see GuardRule.advice). */
  advice: z.boolean().optional(),
  exceptions: z.array(guardPattern).max(50).optional(),
  excuseAfter: z.array(guardPattern).max(20).optional(),
}).refine((r) => r.pattern !== undefined || (r.phrases?.length ?? 0) > 0, 'a rule needs a pattern or phrases');
type GuardRuleInput = z.infer<typeof guardRule>;
function checkGuardPatterns(rules: readonly GuardRuleInput[], classes: Readonly<Record<string, readonly string[]>>, ctx: z.RefinementCtx, at: (string | number)[]): void {
  rules.forEach((r, i) => {
    const fields: [string, string[]][] = [['pattern', r.pattern ? [r.pattern] : []], ['exceptions', r.exceptions ?? []], ['excuseAfter', r.excuseAfter ?? []]];
    for (const [field, sources] of fields) {
      sources.forEach((source, j) => {
        const problem = patternProblem(source, classes);
        // params.guardRule marks a rule whose pattern is wrong: refused as invalid_guard_rule (422), naming the rule.
        if (problem) ctx.addIssue({ code: 'custom', path: [...at, i, field, ...(field === 'pattern' ? [] : [j])], message: `rule ${r.id}: not a valid pattern (${problem})`, params: { guardRule: r.id, index: i, field } });
      });
    }
  });
}
const guardConfig = z.object({
  version: z.literal(2),
  classes: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'class names are upper-case (SELF, KNOW)'), z.array(z.string().min(1).max(50)).max(1000)),
  suggestions: z.partialRecord(z.enum(GUARD_CATEGORIES), z.string().min(1).max(500)),
  adviceCategories: z.array(z.enum(GUARD_CATEGORIES)).max(GUARD_CATEGORIES.length).optional(),
  rules: z.array(guardRule).max(500),
}).superRefine((c, ctx) => checkGuardPatterns(c.rules, c.classes, ctx, ['rules']));
/**
 * `guard.rules`: the current shape, or the old one (a bare array of rules, before lexicon classes)
 * — a stored or submitted old value is upgraded as it is read (`upgradeGuardRules`). A rule from
 * before `advice` existed that still offers its shipped advice is marked as advice (`markShippedAdvice`;
 * after the union, so its errors stay those of the branch that almost matched).
 */
const guardRulesSetting = z.union([
  guardConfig,
  z.array(guardRule).max(500)
    .superRefine((rules, ctx) => checkGuardPatterns(rules, DEFAULT_GUARD_CONFIG.classes, ctx, []))
    .transform((rules): GuardConfig => upgradeGuardRules(rules, V1_DEFAULT_GUARD_RULES, DEFAULT_GUARD_CONFIG)),
]).transform((c): GuardConfig => ({ ...c, rules: markShippedAdvice(c.rules, DEFAULT_GUARD_CONFIG) }));

export const SETTINGS = {
  'company.name': { schema: z.object({ zh: z.string().min(1), en: z.string().min(1) }), default: { zh: '顺达', en: 'Shunda Express' } },
  'tickets.numbering': {
    schema: z.object({ prefix: z.string().regex(/^[A-Z]{1,4}$/), timeZone: z.string().min(1) }),
    default: { prefix: 'GD', timeZone: 'Asia/Shanghai' },
  },
  'auth.lockout': {
    schema: z.object({ maxFailures: z.number().int().min(1), lockMinutes: z.number().min(1) }),
    default: { maxFailures: 5, lockMinutes: 15 },
  },
  'auth.session': { schema: z.object({ hours: z.number().min(1).max(24 * 30) }), default: { hours: 12 } },
  'tickets.special_groups': { schema: z.array(specialGroup), default: DEFAULT_SPECIAL_GROUPS },
  'tickets.urgent_goods': { schema: z.array(urgentGoods), default: DEFAULT_URGENT_GOODS },
  'sla.default_calendar': { schema: z.object({ code: z.string() }), default: { code: 'cn-service' } },
  /** Claims (X6): the most each role approves alone, in yuan (null: no limit; a role left out may not approve). */
  'claims.approval_limits': {
    schema: z.partialRecord(z.enum(['agent', 'team_lead', 'supervisor', 'admin']), z.number().min(0).nullable()),
    default: DEFAULT_APPROVAL_LIMITS as Record<'agent' | 'team_lead' | 'supervisor' | 'admin', number | null>,
  },
  /** C4: a phone call is answered within 3 rings, about 15 s. */
  'phone.answer_target': { schema: z.object({ seconds: z.number().min(1).max(300) }), default: { seconds: 15 } },
  /** K1 (seed 001 5.2): published knowledge-base content is due for review this many days after publishing. */
  'kb.review_days': { schema: z.object({ days: z.number().int().min(1).max(3650) }), default: { days: 180 } },
  /** C4: a walk-in visitor is greeted within 3 s. */
  'walk_in.greet_target': { schema: z.object({ seconds: z.number().min(0).max(600) }), default: { seconds: 3 } },
  /** C4–C5: live chat norms and scripts. The busy message goes out when no agent can take a chat, or a customer has waited busyAfterSeconds. */
  'chat.service': {
    schema: z.object({
      firstReplyTargetSeconds: z.number().int().min(5).max(3600),
      busyAfterSeconds: z.number().int().min(0).max(3600),
      busyMessage: z.string().min(1).max(500),
      greeting: z.string().min(1).max(500),
      closing: z.string().min(1).max(500),
      defaultCapacity: z.number().int().min(1).max(20),
      presenceTimeoutSeconds: z.number().int().min(10).max(3600),
    }),
    default: {
      firstReplyTargetSeconds: 60,
      busyAfterSeconds: 45,
      busyMessage: '您好,当前咨询量较大,我会尽快为您解答,请稍等~',
      greeting: '您好,{公司}快递客服,请问有什么可以帮您?',
      closing: '请问还有其他需要帮助的吗?感谢您的理解与支持,再见!',
      defaultCapacity: 3,
      presenceTimeoutSeconds: 90,
    },
  },
  /** Knowledge-base search (issue 5): synonym groups; a query word is expanded into its whole group, OR-ed. */
  'kb.synonyms': {
    schema: z.array(z.array(z.string().trim().min(1).max(20)).min(2).max(30)).max(500),
    default: DEFAULT_SYNONYMS.map((g) => [...g]),
  },
  /** Outgoing webhooks: attempts per delivery before it is given up (state failed), and each attempt's timeout. */
  'webhooks.delivery': {
    schema: z.object({ maxAttempts: z.number().int().min(1).max(20), timeoutSeconds: z.number().min(1).max(30) }),
    default: { maxAttempts: DEFAULT_MAX_ATTEMPTS, timeoutSeconds: 10 },
  },
  /**
   * E-mail in (C1): Parceldesk's own SMTP listener. `addresses` are our inbound addresses: when
   * given, mail to other recipients is refused, and mail from them is a loop. Mail over maxBytes
   * is refused with 552; an attachment over maxAttachmentBytes is kept as name, type and size only.
   * acknowledge: a mail that opens a ticket is answered automatically with this text ({number}:
   * the ticket number) — never a mail from a machine (auto-reply, bulk, loop). Host and port apply
   * when the server starts; the rest per mail.
   */
  'email.inbound': {
    schema: z.object({
      enabled: z.boolean(),
      host: z.string().min(1).max(255),
      port: z.number().int().min(0).max(65535),
      maxBytes: z.number().int().min(1024).max(100 * 1024 * 1024),
      maxAttachmentBytes: z.number().int().min(0).max(100 * 1024 * 1024),
      addresses: z.array(z.string().trim().toLowerCase().pipe(z.email())).max(50),
      acknowledge: z.object({ enabled: z.boolean(), text: z.string().trim().min(1).max(4000) }),
    }),
    default: {
      enabled: false, host: '0.0.0.0', port: 2525, maxBytes: 10 * 1024 * 1024, maxAttachmentBytes: 5 * 1024 * 1024, addresses: [] as string[],
      acknowledge: { enabled: false, text: '您好,我们已收到您的来信,工单号 {number}。客服会尽快回复您,回复本邮件即可补充信息。' },
    },
  },
  /**
   * E-mail out (C1): agents' public replies on mail tickets, sent over SMTP by the job runner. The
   * password is not a setting: PARCELDESK_SMTP_PASSWORD. messageIdDomain (default: the from
   * address's domain) marks our own Message-IDs, which is how our mail coming back is recognised.
   * A failed send is retried after retry.baseSeconds × 2^(n−1) (at most retry.maxSeconds) until
   * retry.maxAttempts tries have failed.
   */
  'email.outbound': {
    schema: z.object({
      enabled: z.boolean(),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535),
      secure: z.boolean(),
      requireTls: z.boolean(),
      username: z.string().max(255).nullable(),
      fromAddress: z.string().trim().toLowerCase().pipe(z.email()),
      fromName: z.string().max(100),
      messageIdDomain: z.string().regex(/^[a-z0-9.-]+$/i).max(255).nullable(),
      timeoutMs: z.number().int().min(100).max(120_000),
      retry: z.object({ baseSeconds: z.number().min(0).max(86_400), maxSeconds: z.number().min(0).max(7 * 86_400), maxAttempts: z.number().int().min(1).max(50) }),
    }),
    default: {
      enabled: false, host: '127.0.0.1', port: 25, secure: false, requireTls: false, username: null as string | null,
      fromAddress: 'service@shunda.example', fromName: '顺达快递客服', messageIdDomain: null as string | null, timeoutMs: 15_000,
      retry: { baseSeconds: 60, maxSeconds: 3600, maxAttempts: 6 },
    },
  },
  /** Language guard (Q1): lexicon classes, suggestions per category and the rules a reply is checked against (read per check, so an edit applies at once). */
  'guard.rules': { schema: guardRulesSetting, default: DEFAULT_GUARD_CONFIG as GuardConfig },
  /**
   * A1: the dashboard's KPI targets, as fractions (0.95 = 95 %): SLA compliance (the gauge's good
   * mark), resolution rate (SPEC: ≥ 95 %) and CSAT (SPEC: ≥ 90 %). Returned with GET /reports/overview.
   */
  'reports.targets': {
    schema: z.object({ slaCompliance: z.number().min(0).max(1), resolutionRate: z.number().min(0).max(1), csat: z.number().min(0).max(1) }),
    default: { slaCompliance: 0.95, resolutionRate: 0.95, csat: 0.9 },
  },
  /** Order intake (X8): waybill numbers allocated on confirmation are this prefix + 12 digits. */
  'orders.waybill_prefix': { schema: z.object({ prefix: z.string().regex(/^[A-Z]{1,4}$/) }), default: { prefix: 'SD' } },
  ...expressSettings,
  // Shipments (X1, X2): waybill format (input is upper-cased first) and the complete-delay thresholds.
  'shipments.waybill_format': {
    schema: z.object({ pattern: z.string().min(1).max(200).refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'not a valid regular expression'), example: z.string() }),
    default: { pattern: '^[A-Z0-9]{8,20}$', example: 'SD1234567890' },
  },
  'shipments.lost_after_days': {
    schema: z.object({ sameCityDays: z.number().min(0).max(60), otherDays: z.number().min(0).max(60) }),
    default: { sameCityDays: 3, otherDays: 7 },
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;

export async function getSetting<K extends SettingKey>(q: Queryable, key: K): Promise<SettingValue<K>> {
  const { rows } = await q.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1', [key]);
  return settingValue(key, rows[0] ? { value: rows[0].value } : null);
}

/** A setting's effective value from its stored row (null: none stored). */
export function settingValue<K extends SettingKey>(key: K, stored: { value: unknown } | null): SettingValue<K> {
  const def = SETTINGS[key];
  if (!stored) return def.default as SettingValue<K>;
  const parsed = def.schema.safeParse(stored.value);
  // A stored value that no longer fits its schema falls back to the default rather than breaking intake.
  return (parsed.success ? parsed.data : def.default) as SettingValue<K>;
}

export function parseSetting(key: SettingKey, value: unknown): { ok: true; value: unknown } | { ok: false; message: string; issues: z.core.$ZodIssue[] } {
  const parsed = SETTINGS[key].schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: z.prettifyError(parsed.error), issues: parsed.error.issues };
}

/** The limits a client needs to word an issue itself (as src/http/app.ts sends for request schemas). */
function issueLimits(i: z.core.$ZodIssue): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['minimum', 'maximum', 'inclusive', 'origin', 'format', 'expected'] as const) {
    const v = (i as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

/**
 * A union's failure as the issues of the branch the value was meant for (the first whose type it
 * has), with full paths: guard.rules is an object or an old bare array, and "rules.0.severity"
 * says more than "no branch matched".
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], at: PropertyKey[]): z.core.$ZodIssue[] {
  return issues.flatMap((i): z.core.$ZodIssue[] => {
    const path = [...at, ...i.path];
    if (i.code !== 'invalid_union' || !i.errors.length) return [{ ...i, path }];
    const meant = i.errors.find((branch) => !branch.some((b) => b.code === 'invalid_type' && b.path.length === 0)) ?? i.errors[0]!;
    return flattenIssues(meant, path);
  });
}

/**
 * A setting's value checked against its schema, or the refusal: a language-guard rule whose pattern
 * does not compile or names an unknown lexicon class is `invalid_guard_rule` (422) naming the rule;
 * anything else `validation_failed` (400). Both carry the issues (path, code, message) as details.
 */
export function validateSetting(key: SettingKey, value: unknown): unknown {
  const parsed = parseSetting(key, value);
  if (parsed.ok) return parsed.value;
  const flat = flattenIssues(parsed.issues, []);
  // Paths as the request names them (the body is the value), like the schema issues src/http/app.ts sends.
  const issues = flat.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), field: i.path[0] === undefined ? null : String(i.path[0]), code: i.code, message: i.message, ...issueLimits(i) }));
  const rule = flat.map((i) => (i.code === 'custom' ? (i.params as { guardRule?: string; index?: number; field?: string } | undefined) : undefined)).find((p) => p?.guardRule !== undefined);
  if (rule) {
    throw new AppError('invalid_guard_rule', `setting ${key}: ${parsed.message}`, { ruleId: rule.guardRule, index: rule.index, field: rule.field, issues });
  }
  throw new AppError('validation_failed', `setting ${key}: ${parsed.message}`, { issues });
}

export async function putSetting(q: Queryable, key: SettingKey, value: unknown, userId: string | null): Promise<void> {
  await q.query(
    `INSERT INTO settings (key, value, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [key, JSON.stringify(value), userId],
  );
}
