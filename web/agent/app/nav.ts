/**
 * The workspace's navigation by role (issue 6: agent, team lead, QA inspector, supervisor, admin).
 * One table: a new page adds a row naming the roles that see it.
 */
import type { AgentMessageKey } from '../../shared/i18n/agent-dictionaries.ts';

export const STAFF_ROLES = ['agent', 'team_lead', 'qa_inspector', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isStaff = (role: string): role is StaffRole => (STAFF_ROLES as readonly string[]).includes(role);

export interface NavItem {
  to: string;
  label: AgentMessageKey;
  roles: readonly StaffRole[];
}

export const NAV: readonly NavItem[] = [
  { to: '/tickets', label: 'nav.tickets', roles: STAFF_ROLES },
  { to: '/chat', label: 'nav.chat', roles: ['agent', 'team_lead', 'supervisor', 'admin'] },
  { to: '/dashboard', label: 'nav.dashboard', roles: ['team_lead', 'supervisor', 'admin'] },
  { to: '/admin', label: 'nav.admin', roles: ['admin'] },
];

export function navFor(role: string): NavItem[] {
  return NAV.filter((item) => (item.roles as readonly string[]).includes(role));
}

/** Whether a nav item is the current page: its path or anything under it; /tickets is also the home page. */
export function isCurrent(item: NavItem, path: string): boolean {
  return path === item.to || path.startsWith(`${item.to}/`) || (item.to === '/tickets' && path === '/');
}

const ROLE_KEYS: Record<string, AgentMessageKey> = {
  agent: 'role.agent',
  team_lead: 'role.team_lead',
  qa_inspector: 'role.qa_inspector',
  supervisor: 'role.supervisor',
  admin: 'role.admin',
  customer: 'role.customer',
  integration: 'role.integration',
};
export const roleKey = (role: string): AgentMessageKey => ROLE_KEYS[role] ?? 'role.agent';
