/**
 * The ticket page's first two requests (the ticket, its timeline), started by the app as it loads
 * on a ticket URL — alongside GET /me and the page's chunk, instead of after both. The page takes
 * each early answer once, while fresh; a failed one (nobody signed in yet: 401) is simply asked
 * again, so an early request can never show the agent a stale or wrong answer.
 */
import { api } from '../../../../shared/api/client.ts';

/** Older than this, an early answer is not used (the page asks again). */
export const FRESH_MS = 10_000;

const early = new Map<string, { at: number; answer: Promise<unknown> }>();

export function ticketPaths(id: string): { ticket: string; events: string } {
  const ticket = `/tickets/${encodeURIComponent(id)}`;
  return { ticket, events: `${ticket}/events` };
}

export function preloadTicket(id: string, now = Date.now()): void {
  for (const path of Object.values(ticketPaths(id))) {
    const answer = api('GET', path);
    answer.catch(() => undefined); // taken (and its failure handled) by the page, or never
    early.set(path, { at: now, answer });
  }
}

/** The early answer for `path`, at most once, if it is fresh; else null. */
export function takePreloaded<T>(path: string, now = Date.now()): Promise<T> | null {
  const hit = early.get(path);
  early.delete(path);
  return hit && now - hit.at < FRESH_MS ? (hit.answer as Promise<T>) : null;
}
