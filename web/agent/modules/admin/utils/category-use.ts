/** What keeps a category from being deleted (DELETE /categories/{id}'s 409 details.inUse), as the phrases to list. */
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';

export interface InUse {
  tickets: number;
  subcategories: number;
  slaPolicies: number;
  kbCategories: number;
}

const PHRASES: [keyof InUse, AgentMessageKey][] = [
  ['tickets', 'admin.categories.useTickets'],
  ['subcategories', 'admin.categories.useSubcategories'],
  ['slaPolicies', 'admin.categories.useSlaPolicies'],
  ['kbCategories', 'admin.categories.useKb'],
];

export function inUseParts(inUse: Partial<InUse>): { key: AgentMessageKey; n: number }[] {
  return PHRASES.filter(([k]) => (inUse[k] ?? 0) > 0).map(([k, key]) => ({ key, n: inUse[k]! }));
}
