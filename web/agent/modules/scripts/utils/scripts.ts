/**
 * The scripts panel's pure rules: why a script was suggested (the server's reasons and the
 * ticket's situations, as dictionary keys), and which of a rendered script's variables could not
 * be filled (they stay in the text as 「{运单号}」, for the agent to complete).
 */
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';

export type SuggestReason = 'situation' | 'category' | 'text';

/** The variables a script may use (src/domain/kb-variables.ts). */
export type ScriptVariable = '客户称呼' | '运单号' | '预计送达' | '公司';

const SITUATION: Record<string, AgentMessageKey> = {
  damaged: 'scripts.situation.damaged',
  lost: 'scripts.situation.lost',
  delayed: 'scripts.situation.delayed',
  delivery_failed: 'scripts.situation.delivery_failed',
  delivered: 'scripts.situation.delivered',
  returned: 'scripts.situation.returned',
  available_for_pickup: 'scripts.situation.available_for_pickup',
  address_change: 'scripts.situation.address_change',
  prohibited: 'scripts.situation.prohibited',
  pricing: 'scripts.situation.pricing',
};

/** A situation's label key; a code this build does not know (a newer server) gets a generic one. */
export const situationKey = (code: string): AgentMessageKey => SITUATION[code] ?? 'scripts.situation.other';

const REASON_ORDER: readonly SuggestReason[] = ['situation', 'category', 'text'];
const REASON: Record<SuggestReason, AgentMessageKey> = { situation: 'scripts.reason.situation', category: 'scripts.reason.category', text: 'scripts.reason.text' };

/** The reasons to show, strongest first, each once; unknown ones are left out. */
export function reasonKeys(reasons: readonly string[]): { reason: SuggestReason; key: AgentMessageKey }[] {
  return REASON_ORDER.filter((r) => reasons.includes(r)).map((reason) => ({ reason, key: REASON[reason] }));
}

/** How a variable left unfilled appears in the rendered text (the server's marker). */
export const unfilledMarker = (v: string): string => `「{${v}}」`;

/**
 * The variables the agent still has to fill: those the server listed as missing that really are
 * still in the text as markers (the agent's copy is what they will send).
 */
export function unfilled(text: string, missing: readonly string[]): string[] {
  return [...new Set(missing)].filter((v) => text.includes(unfilledMarker(v)) || text.includes(`{${v}}`));
}
