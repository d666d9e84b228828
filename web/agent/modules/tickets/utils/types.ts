/** What the ticket page reads of the ticket API beyond the shared client's TicketDetail (subsets of the server's schemas). */
import type { TicketDetail } from '../../../../shared/api/client.ts';
import type { ClockView } from './sla-countdown.ts';

export interface CustomerView {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  masked: boolean;
  tier: string;
  specialGroups: string[];
}

export interface TicketFull extends Omit<TicketDetail, 'customer'> {
  categoryId: string | null;
  tags: string[];
  specialGroups: string[];
  goods: string[];
  waitingOn: 'customer' | 'department' | null;
  customerNotifiedAt: string | null;
  mergedIntoId: string | null;
  customer: CustomerView | null;
  clocks: ClockView[];
  allowedStatuses: TicketDetail['status'][];
}

export interface Category {
  id: string;
  parentId: string | null;
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
}

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
}

export interface HistoryItem {
  at: string;
  channel: string;
  kind: 'ticket' | 'call' | 'walk_in';
  ticketId: string | null;
  ticketNumber: string | null;
  summary: string;
}

export interface ShipmentSummaryView {
  waybill: string;
  statusLabel: { zh: string; en: string };
  lastEventAt: string | null;
  matchedAs: ('sender' | 'receiver')[];
}
