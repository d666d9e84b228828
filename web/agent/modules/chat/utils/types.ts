/** What the console reads of the chat HTTP calls (subsets of the server's zod schemas in src/http/routes/chat/). */
import type { Conversation } from '../../../../shared/chat/protocol.ts';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface PresenceView {
  userId: string;
  displayName: string;
  status: PresenceStatus;
  capacity: number;
  active: number;
  available: boolean;
}

export interface ChatScripts {
  greeting: string;
  closing: string;
  busy: string;
}

export interface PossibleCustomer {
  id: string;
  name: string | null;
  phone: string | null;
  tier: string;
}

export interface TransferInput {
  toAgentId?: string;
  toTeamId?: string;
  reason: string;
  customerConsent: boolean;
}

export type { Conversation };
