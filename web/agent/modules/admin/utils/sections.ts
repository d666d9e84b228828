/** The admin screens: one table of sections under /admin, shown only to admins. */
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';

export interface AdminSection {
  slug: string;
  label: AgentMessageKey;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { slug: 'sla', label: 'admin.section.sla' },
  { slug: 'users', label: 'admin.section.users' },
  { slug: 'teams', label: 'admin.section.teams' },
  { slug: 'calendars', label: 'admin.section.calendars' },
  { slug: 'categories', label: 'admin.section.categories' },
  { slug: 'api-keys', label: 'admin.section.apiKeys' },
  { slug: 'webhooks', label: 'admin.section.webhooks' },
  { slug: 'settings', label: 'admin.section.settings' },
];

/** The section a path names (/admin → the first), or null for an unknown one. */
export function sectionFor(path: string): AdminSection | null {
  const m = /^\/admin(?:\/([^/]+))?\/?$/.exec(path);
  if (!m) return null;
  if (!m[1]) return ADMIN_SECTIONS[0]!;
  return ADMIN_SECTIONS.find((s) => s.slug === m[1]) ?? null;
}

export const isAdmin = (role: string): boolean => role === 'admin';
