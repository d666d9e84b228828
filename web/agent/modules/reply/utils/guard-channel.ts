import type { GuardChannel } from '../../../../shared/api/client.ts';

/**
 * The guard's channel for a ticket's channel, as the server guards a reply (src/services/guard:
 * guardChannelOf): phone and walk-in replies are spoken, mail is mail, the rest is online text.
 * The box checks with the same channel so what it shows is what sending will find.
 */
export function guardChannelFor(ticketChannel: string): GuardChannel {
  if (ticketChannel === 'phone' || ticketChannel === 'walk_in') return 'phone';
  if (ticketChannel === 'email') return 'email';
  return 'chat';
}
