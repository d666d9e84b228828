/** The one typed path from the browser to /api/v1: same-origin fetch with the session cookie, errors as ApiError. */
import { documentLang, errorText } from './error-text.ts';

export class ApiError extends Error {
  /** The server's own message (English, for integrators); `message` is what a person reads. */
  readonly serverMessage: string;
  /** error.details when the server sent them (e.g. guard_blocked: { findings }). */
  constructor(readonly status: number, readonly code: string, serverMessage: string, readonly details?: unknown, shown?: string) {
    super(shown ?? serverMessage);
    this.serverMessage = serverMessage;
  }
}

export async function api<T>(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, credentials: 'same-origin', ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  } catch (e) {
    const message = e instanceof Error ? e.message : 'network error';
    throw new ApiError(0, 'network', message, undefined, errorText('network', message, documentLang()));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    const code = err?.code ?? 'http_error';
    const message = err?.message ?? `HTTP ${res.status}`;
    throw new ApiError(res.status, code, message, err?.details, errorText(code, message, documentLang()));
  }
  return data as T;
}

// The shapes the web apps read (subsets of the server's zod schemas).

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: string;
  customerId: string | null;
  /** Staff: the teams they belong to (the inbox's "my team"). */
  teamIds?: string[];
}

export interface TicketSummary {
  id: string;
  number: string;
  channel: string;
  status: 'new' | 'open' | 'pending' | 'resolved' | 'closed';
  subject: string;
  waybills: string[];
  createdAt: string;
  updatedAt: string;
}

/** What the agent workspace reads of GET /tickets (staff see these fields too). */
export interface StaffTicketSummary extends TicketSummary {
  type: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  ownerId: string | null;
  teamId: string | null;
  slaState: string;
  slaDueAt: string | null;
}

export interface TicketPage {
  items: StaffTicketSummary[];
  nextCursor: string | null;
}

/** GET /tickets/{id} for staff: the summary plus what the ticket page shows. */
export interface TicketDetail extends StaffTicketSummary {
  description: string | null;
  /** A special group's service notes, shown to every agent opening the ticket. */
  serviceNotes: { code: string; zh: string; en: string }[];
  customer: { id: string; name: string | null; phone: string | null } | null;
}

export type GuardChannel = 'chat' | 'phone' | 'email';
export type GuardCategory = 'forbidden' | 'rhetorical' | 'blame' | 'refusal' | 'slang' | 'jargon';
export type GuardSeverity = 'block' | 'warn';

/** One finding of the language guard (POST /guard/check, and error.details.findings of guard_blocked). */
export interface GuardFinding {
  ruleId: string;
  category: GuardCategory;
  severity: GuardSeverity;
  /** UTF-16 offsets into the checked text: text.slice(start, end) === text. */
  start: number;
  end: number;
  text: string;
  /** The approved wording, or advice on what to write when `advice` is true. */
  suggestion: string;
  /** The suggestion is advice to the agent: shown, never inserted into the reply. */
  advice: boolean;
}

/** POST /tickets/{id}/messages. */
export interface MessageInput {
  body: string;
  visibility: 'public' | 'internal';
  clientId?: string;
  guardOverride?: { reason: string };
}

export interface TicketEvent {
  id: number;
  kind: string;
  actorId: string | null;
  /** Who acted, as GET /tickets/{id}/events names them (a staff display name, a customer by role alone); null for the system. */
  actor?: { displayName: string | null; role: string } | null;
  visibility: 'public' | 'internal';
  body: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface Label {
  zh: string;
  en: string;
}

export interface ShipmentEvent {
  occurredAt: string;
  status: string;
  statusLabel: Label;
  location: string | null;
  facility: string | null;
  courier: string | null;
  pickupCode: string | null;
  text: string | null;
}

export interface Shipment {
  waybill: string;
  status: string;
  statusLabel: Label;
  lastEventAt: string | null;
  lastLocation: string | null;
  lastFacility: string | null;
  expectedDelivery: string | null;
  delay: { state: 'no_promise' | 'on_time' | 'delayed' | 'may_be_lost'; overdueMinutes: number; lostAfter: string | null };
  sentence: Label;
  origin: string;
  destination: string;
  events: ShipmentEvent[];
}

/** One hit of GET /kb/search and /kb/public/search. */
export interface KbSearchHit {
  id: string;
  kind: 'article' | 'script';
  audience: 'internal' | 'public';
  categoryId: string | null;
  title: string;
  /** Matched terms wrapped in 【】 (plain text, not HTML); the body is an excerpt around the first match. */
  highlight: { title: string; body: string };
  tags: string[];
  score: number;
  match: 'fulltext' | 'fuzzy';
}

export interface KbSearchResult {
  hits: KbSearchHit[];
  /** The search as logged for the usage report; a click on a hit names it. Null when nothing was logged. */
  searchId: number | null;
}
