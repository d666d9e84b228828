import { z } from 'zod';
import { PRIORITIES } from '../../../domain/priority.ts';
import { TICKET_STATUSES } from '../../../domain/ticket-lifecycle.ts';
import { CHANNELS } from '../../../services/tickets/ticket-row.ts';

/** The inbox queues a view starts from (the ticket list's filters behind each: web/agent/modules/inbox/utils/views.ts). */
export const INBOX_QUEUES = ['all', 'mine', 'team', 'unassigned', 'at_risk', 'overdue', 'pending'] as const;

export const viewFilters = z.object({
  queue: z.enum(INBOX_QUEUES).optional(),
  status: z.array(z.enum(TICKET_STATUSES)).max(TICKET_STATUSES.length).optional(),
  priority: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
  channel: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
  categoryIds: z.array(z.uuid()).max(50).optional().describe('any of these ticket categories'),
  teamIds: z.array(z.uuid()).max(50).optional().describe('any of these teams (replaces the team queue\'s "my teams")'),
  categoryId: z.uuid().optional().describe('one category: views saved before categoryIds; read as categoryIds [categoryId]'),
  q: z.string().max(200).optional(),
}).strict();

export const viewBody = z.object({ name: z.string().trim().min(1).max(60), filters: viewFilters });
export const viewRef = z.object({ id: z.uuid() });
export const viewOrder = z.object({ ids: z.array(z.uuid()).min(1).max(50).describe('view ids in the order wanted (at most 50, a user\'s limit)') });

export const savedView = z.object({ id: z.string(), name: z.string(), filters: viewFilters, createdAt: z.string(), updatedAt: z.string() });
export type ViewFilters = z.infer<typeof viewFilters>;
