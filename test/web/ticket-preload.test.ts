/** The ticket page's early requests (web/agent/modules/tickets/utils/preload.ts): taken once, only while fresh. */
import { describe, expect, it } from 'vitest';
import { FRESH_MS, preloadTicket, takePreloaded, ticketPaths } from '../../web/agent/modules/tickets/utils/preload.ts';

describe('ticket preload', () => {
  it('names the two first requests of the page, the id encoded', () => {
    expect(ticketPaths('GD2026 01')).toEqual({ ticket: '/tickets/GD2026%2001', events: '/tickets/GD2026%2001/events' });
  });

  it('gives each early answer once, while fresh, and nothing for a path never preloaded', async () => {
    preloadTicket('t-1', 1_000);
    const { ticket, events } = ticketPaths('t-1');
    const first = takePreloaded(ticket, 1_000 + FRESH_MS - 1);
    expect(first).toBeInstanceOf(Promise);
    // No server here: the early request fails, and the page's hook then asks again.
    await expect(first).rejects.toBeDefined();
    expect(takePreloaded(ticket, 1_001)).toBeNull();
    expect(takePreloaded(events, 1_000 + FRESH_MS)).toBeNull(); // stale: asked again
    expect(takePreloaded('/tickets/other', 1_000)).toBeNull();
  });
});
