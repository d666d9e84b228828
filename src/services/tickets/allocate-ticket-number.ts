/**
 * Ticket numbers: prefix + local date + daily sequence (GD20261122000123). Each day has its own
 * PostgreSQL sequence: nextval is atomic across processes, never hands out a number twice (even
 * when the creating transaction rolls back: the number is then skipped, not reused) and never
 * blocks concurrent creators the way a counter row would.
 */
import type pg from 'pg';
import { formatTicketNumber, ticketDay } from '../../domain/ticket-number.ts';
import { getSetting, type SettingValue } from '../settings/settings.ts';

const known = new Set<string>();

/** `numbering`: the tickets.numbering setting when the caller has just read it (saves a round trip). */
export async function allocateTicketNumber(pool: pg.Pool, now: Date, numbering?: SettingValue<'tickets.numbering'>): Promise<string> {
  const { prefix, timeZone } = numbering ?? (await getSetting(pool, 'tickets.numbering'));
  const day = ticketDay(now, timeZone);
  const seqName = `ticket_no_${prefix.toLowerCase()}_${day}`;
  if (!known.has(seqName)) {
    try {
      await pool.query(`CREATE SEQUENCE IF NOT EXISTS ${seqName} MAXVALUE 999999 NO CYCLE`);
    } catch (err) {
      // Two processes creating the same day's sequence at once: the loser sees a unique violation.
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw err;
    }
    known.add(seqName);
  }
  const { rows } = await pool.query<{ n: number }>('SELECT nextval($1::regclass) AS n', [seqName]);
  return formatTicketNumber(prefix, day, rows[0]!.n);
}

/** Forgets which sequences exist (after a restore, the database may differ from this process's memory). */
export function forgetTicketSequences(): void {
  known.clear();
}
