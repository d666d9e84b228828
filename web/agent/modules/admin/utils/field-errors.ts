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
}

export interface ErrorLike {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const CLAUSE = /^body\.([A-Za-z0-9_]+)(?:\.[^:]*)?:\s*(.+)$/;

export function formErrors(err: ErrorLike, opts: { conflictField?: string } = {}): FormErrors {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  const detailField = typeof err.details === 'object' && err.details !== null && typeof (err.details as { field?: unknown }).field === 'string' ? (err.details as { field: string }).field : null;
  if (err.code === 'conflict' && opts.conflictField) {
    fields[opts.conflictField] = err.message;
    return { fields, form: null };
  }
  if (detailField) {
    fields[detailField] = err.message;
    return { fields, form: null };
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
