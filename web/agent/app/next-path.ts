/** A path to return to after signing in: only one inside this app, never an open redirect (//evil, /\evil). */
export function safeNext(next: string | null | undefined): string {
  return next && /^\/(?![/\\])/.test(next) && !next.startsWith('/login') ? next : '/tickets';
}
