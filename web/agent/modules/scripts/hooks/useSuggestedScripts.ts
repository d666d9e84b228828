/** Scripts suggested for a ticket (GET /tickets/{id}/suggested-scripts): by its parcel's situation, its category and its text. */
import type { KbSearchHit } from '../../../../shared/api/client.ts';
import { useApiData, type ApiData } from '../../../../shared/api/useApiData.ts';
import type { SuggestReason } from '../utils/scripts.ts';

export interface SuggestedScripts {
  ticketId: string;
  situations: string[];
  parcelStatus: string | null;
  ticketCategory: string | null;
  scripts: (KbSearchHit & { reasons: SuggestReason[] })[];
}

export const SUGGESTED_LIMIT = 5;

export function useSuggestedScripts(ticketId: string): ApiData<SuggestedScripts> {
  return useApiData<SuggestedScripts>(`/tickets/${encodeURIComponent(ticketId)}/suggested-scripts?limit=${SUGGESTED_LIMIT}`);
}
