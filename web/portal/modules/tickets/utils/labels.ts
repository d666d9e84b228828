import type { MessageKey } from '../../../../shared/i18n/translate.ts';

const STATUS_KEYS: Record<string, MessageKey> = {
  new: 'ticketStatus.new',
  open: 'ticketStatus.open',
  pending: 'ticketStatus.pending',
  resolved: 'ticketStatus.resolved',
  closed: 'ticketStatus.closed',
};

const CHANNEL_KEYS: Record<string, MessageKey> = {
  phone: 'channel.phone',
  chat: 'channel.chat',
  email: 'channel.email',
  walk_in: 'channel.walk_in',
  web: 'channel.web',
  api: 'channel.api',
};

const EVENT_KEYS: Record<string, MessageKey> = {
  ticket: 'event.ticket',
  message: 'event.message',
  status: 'event.status',
  assignment: 'event.assignment',
  handover: 'event.handover',
  customer_notified: 'event.customer_notified',
};

/** Dictionary keys for server codes; an unknown code (a newer server) gets a generic label, never a missing key. */
export const ticketStatusKey = (s: string): MessageKey => STATUS_KEYS[s] ?? 'event.other';
export const channelKey = (c: string): MessageKey => CHANNEL_KEYS[c] ?? 'event.other';
export const eventKindKey = (k: string): MessageKey => EVENT_KEYS[k] ?? 'event.other';
