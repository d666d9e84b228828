/**
 * The server's validation answers turned into messages per form field. Schema errors arrive as
 * `{ code: 'validation_failed', message: 'body.username: …; body.password: …' }` (one clause per
 * field, as src/http/app.ts writes them); a service may name the field in `details.field`.
 * Anything that names no field is the form's own message.
 */
export interface FormErrors {
  /** Message per top-level body field ("username", "targetMinutes"). */
  fields: Record<string, string>;
  /** What belongs to no field (a refusal, a conflict, a network error). */
  form: string | null;
  /** Every validation issue with where it is ("body.rules.3.pattern"), for an editor of a whole value (the JSON editor). */
  issues?: { path: string | null; text: string }[];
}

export interface ErrorLike {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const CLAUSE = /^body\.([A-Za-z0-9_]+)(?:\.[^:]*)?:\s*(.+)$/;

/**
 * One validation issue as the server's error.details carries it: `issues[]` from a request schema
 * (zod's code and limits, src/http/app.ts) or a service's own (calendar_* codes), or a service's
 * `{ field, code }`. `message` is the server's English, the fallback.
 */
export interface Issue {
  field: string | null;
  code: string;
  message: string;
  path?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
  origin?: string;
  format?: string;
  expected?: string;
}

/** Words an issue in the user's language, or null to keep the server's message. */
export type DescribeIssue = (issue: Issue) => string | null;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function issuesOf(details: unknown): Issue[] {
  if (!isRecord(details) || !Array.isArray(details.issues)) return [];
  return details.issues.filter((i): i is Issue => isRecord(i) && typeof i.code === 'string' && typeof i.message === 'string' && (i.field === null || typeof i.field === 'string'));
}

export function formErrors(err: ErrorLike, opts: { conflictField?: string; describe?: DescribeIssue } = {}): FormErrors {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  const say = (issue: Issue): string => opts.describe?.(issue) ?? issue.message;
  const details = isRecord(err.details) ? err.details : null;
  const detailField = details && typeof details.field === 'string' ? details.field : null;
  if (err.code === 'conflict' && opts.conflictField) {
    fields[opts.conflictField] = say({ field: opts.conflictField, code: 'conflict', message: err.message });
    return { fields, form: null };
  }
  if (detailField) {
    fields[detailField] = say({ field: detailField, code: typeof details?.code === 'string' ? details.code : err.code, message: err.message });
    return { fields, form: null };
  }
  const issues = issuesOf(err.details);
  if (issues.length) {
    // Body fields by name; a query or path parameter, or an issue with no field, is the form's.
    for (const issue of issues) {
      const inBody = issue.path === undefined || issue.path.startsWith('body.');
      if (issue.field && inBody) fields[issue.field] ??= say(issue);
      else rest.push(say(issue));
    }
    return { fields, form: rest.length ? [...new Set(rest)].join('; ') : null, issues: issues.map((i) => ({ path: i.path ?? null, text: say(i) })) };
  }
  if (err.code === 'validation_failed') {
    for (const clause of err.message.split(/;\s+(?=body)/)) {
      const m = CLAUSE.exec(clause.trim());
      if (m) fields[m[1]!] ??= m[2]!;
      else rest.push(clause.trim());
    }
    return { fields, form: rest.length ? rest.join('; ') : null };
  }
  return { fields, form: err.message };
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

/** A target in minutes from a text field: a positive number up to a year, else null. */
export function parseMinutes(text: string): number | null {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return n > 0 && n <= 525_600 ? n : null;
}

/** Minutes as the admin reads them: "90 分钟 (1.5 小时)" is built by the page from these parts. */
export function splitMinutes(minutes: number): { days: number; hours: number; minutes: number } {
  const total = Math.round(minutes);
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/** Parses a JSON editor's text: the value, or the parser's message. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
