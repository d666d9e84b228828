/**
 * The scripts panel's pure rules: why a script was suggested (the server's reasons and the
 * ticket's situations, as dictionary keys), and which of a rendered script's variables could not
 * be filled (they stay in the text as 「{运单号}」, for the agent to complete).
 */
import type { AgentMessageKey } from '../../../../shared/i18n/agent-dictionaries.ts';

export type SuggestReason = 'situation' | 'category' | 'text';

/** The variables a script may use (src/domain/kb-variables.ts). */
export type ScriptVariable = '客户称呼' | '运单号' | '预计送达' | '公司';

/** Situations are the ticket's words (SITUATION_WORDS) and the parcel's tracking status and flags. */
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
  created: 'scripts.situation.created',
  picked_up: 'scripts.situation.picked_up',
  in_transit: 'scripts.situation.in_transit',
  at_sorting_centre: 'scripts.situation.at_sorting_centre',
  out_for_delivery: 'scripts.situation.out_for_delivery',
  exception: 'scripts.situation.exception',
};

/** A situation's label key; null for a code this build does not know (a newer server, a free-form flag). */
export const situationKey = (code: string): AgentMessageKey | null => SITUATION[code] ?? null;

const REASON_ORDER: readonly SuggestReason[] = ['situation', 'category', 'text'];
const REASON: Record<SuggestReason, AgentMessageKey> = { situation: 'scripts.reason.situation', category: 'scripts.reason.category', text: 'scripts.reason.text' };

export interface WhyPart {
  key: AgentMessageKey;
  /** For the situation reason: the label keys of the ticket's situations this script is for. */
  situations?: AgentMessageKey[];
}

/**
 * Why a script was suggested, strongest reason first, each once (unknown reasons left out). The
 * situation reason names the situations the script is for (its appliesTo) among the ticket's,
 * those this build has labels for; with none of those it says only "the parcel's situation".
 */
export function whyParts(reasons: readonly string[], situations: readonly string[], appliesTo: readonly string[]): WhyPart[] {
  return REASON_ORDER.filter((r) => reasons.includes(r)).map((r) => {
    if (r !== 'situation') return { key: REASON[r] };
    const named = [...new Set(situations.filter((s) => appliesTo.includes(s)))].map(situationKey).filter((k): k is AgentMessageKey => k !== null);
    return named.length ? { key: REASON.situation, situations: named } : { key: 'scripts.reason.situationPlain' };
  });
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
