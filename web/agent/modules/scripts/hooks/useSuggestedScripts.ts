/** Scripts suggested for a ticket (GET /tickets/{id}/suggested-scripts): by its parcel's situation, its category and its text. */
import type { KbSearchHit } from '../../../../shared/api/client.ts';
import { useApiData, type ApiData } from '../../../../shared/api/useApiData.ts';
import type { SuggestReason } from '../utils/scripts.ts';

/** A suggested script: a search hit with the parcel situations it is for and why it was picked. */
export type SuggestedScript = KbSearchHit & { appliesTo: string[]; reasons: SuggestReason[] };

export interface SuggestedScripts {
  ticketId: string;
  situations: string[];
  parcelStatus: string | null;
  ticketCategory: string | null;
  scripts: SuggestedScript[];
}

export const SUGGESTED_LIMIT = 5;

export function useSuggestedScripts(ticketId: string): ApiData<SuggestedScripts> {
  return useApiData<SuggestedScripts>(`/tickets/${encodeURIComponent(ticketId)}/suggested-scripts?limit=${SUGGESTED_LIMIT}`);
}
