/** The agent workspace's router: it lives at the site's root (/, /login, /tickets/…). */
import { createRouter } from '../../shared/router.tsx';

export const { navigate, useRoute, Link } = createRouter('');

/** A path to return to after signing in: only one inside this app, never an open redirect (//evil, /\evil). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/tickets';
}
