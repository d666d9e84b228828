import { describe, expect, it } from 'vitest';
import { inboxFrameFor } from '../../src/domain/inbox-live.ts';
import type { Actor } from '../../src/domain/policy.ts';

const agent: Actor = { userId: 'u1', role: 'agent', customerId: null, teamIds: [] };
const qa: Actor = { userId: 'u2', role: 'qa_inspector', customerId: null, teamIds: [] };
const customer: Actor = { userId: 'u3', role: 'customer', customerId: 'c1', teamIds: [] };
const ticket = { id: 't1', number: 'GD1', customerId: 'c1', ownerId: null, teamId: null };

describe('inboxFrameFor', () => {
  it('passes a new ticket to staff with the ticket, and to nobody who may not list tickets', () => {
    expect(inboxFrameFor(agent, { type: 'ticket.created', data: { ticket } })).toEqual({ type: 'ticket.created', ticket });
    expect(inboxFrameFor(qa, { type: 'ticket.created', data: { ticket } })?.type).toBe('ticket.created');
    expect(inboxFrameFor(customer, { type: 'ticket.created', data: { ticket: { ...ticket, customerId: 'c2' } } })).toBeNull();
    expect(inboxFrameFor(agent, { type: 'ticket.created', data: {} })).toBeNull();
  });

  it('passes messages and notes, notes only to those who read internal notes, other events not at all', () => {
    const msg = { id: 7, ticketId: 't1', kind: 'message', visibility: 'public', createdAt: '2026-01-01T00:00:00.000Z' };
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: msg })).toEqual({ type: 'ticket.message', ticketId: 't1', eventId: 7, visibility: 'public', createdAt: msg.createdAt });
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, kind: 'note', visibility: 'internal' } })).toMatchObject({ visibility: 'internal' });
    expect(inboxFrameFor(customer, { type: 'ticket.event', data: msg })).toBeNull();
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, kind: 'status' } })).toBeNull();
  });

  it('passes SLA warnings and breaches to staff, and drops malformed ones', () => {
    const sla = { ticketId: 't1', kind: 'breach', clock: 'first_response', dueAt: '2026-01-01T00:00:00.000Z' };
    expect(inboxFrameFor(agent, { type: 'ticket.sla', data: sla })).toEqual({ type: 'ticket.sla', ...sla });
    expect(inboxFrameFor(customer, { type: 'ticket.sla', data: sla })).toBeNull();
    expect(inboxFrameFor(agent, { type: 'ticket.sla', data: { ...sla, kind: 'late' } })).toBeNull();
    expect(inboxFrameFor(agent, { type: 'queue', data: {} })).toBeNull();
  });

  it('passes the ticket as it stands with messages, changes and SLA frames, only when it is that ticket and readable', () => {
    const staffTicket = { id: 't1', number: 'GD1', customerId: null, ownerId: 'u9', teamId: null, status: 'open' };
    const msg = { id: 7, ticketId: 't1', kind: 'message', visibility: 'public', createdAt: '2026-01-01T00:00:00.000Z', ticket: staffTicket };
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: msg })).toEqual({ type: 'ticket.message', ticketId: 't1', eventId: 7, visibility: 'public', createdAt: msg.createdAt, ticket: staffTicket });
    // Another ticket's summary, or none that is an object, is not passed on.
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, ticket: { ...staffTicket, id: 't2' } } })).not.toHaveProperty('ticket');
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, ticket: 'x' } })).not.toHaveProperty('ticket');
    for (const kind of ['status', 'assignment', 'handover', 'update', 'merge']) {
      expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, kind } })).toEqual({ type: 'ticket.changed', ticketId: 't1', eventId: 7, kind, createdAt: msg.createdAt, ticket: staffTicket });
      // A change without the ticket tells an inbox nothing it can use.
      expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, kind, ticket: undefined } })).toBeNull();
      expect(inboxFrameFor(customer, { type: 'ticket.event', data: { ...msg, kind } })).toBeNull();
    }
    expect(inboxFrameFor(agent, { type: 'ticket.event', data: { ...msg, kind: 'claim' } })).toBeNull();
    const sla = { ticketId: 't1', kind: 'warning', clock: 'first_response', dueAt: '2026-01-01T00:00:00.000Z', ticket: staffTicket };
    expect(inboxFrameFor(agent, { type: 'ticket.sla', data: sla })).toEqual({ type: 'ticket.sla', ...sla });
    expect(inboxFrameFor(customer, { type: 'ticket.sla', data: sla })).toBeNull();
  });
});
