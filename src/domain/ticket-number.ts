// Human-readable ticket numbers (SPEC C2): PREFIX + YYYYMMDD + 6-digit daily sequence, e.g. GD20261122000001.
// The sequence itself comes from the database; this module only formats, parses and picks the day.

const MAX_SEQ = 999_999;
const PREFIX_RE = /^[A-Z]{1,4}$/;
const NUMBER_RE = /^([A-Z]{1,4})(\d{8})(\d{6})$/;

// Formatters are costly to build and this runs for every new ticket.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormatters.set(timeZone, f);
  }
  return f;
}

/** The calendar day of `now` in `timeZone` as "YYYYMMDD". Throws RangeError for an unknown time zone or invalid date. */
export function ticketDay(now: Date, timeZone: string): string {
  if (Number.isNaN(now.getTime())) throw new RangeError('ticketDay: invalid date');
  let year = '';
  let month = '';
  let day = '';
  for (const part of dayFormatter(timeZone).formatToParts(now)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}${month}${day}`;
}

function isValidDay(day: string): boolean {
  if (!/^\d{8}$/.test(day)) return false;
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(4, 6));
  const d = Number(day.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC maps years 0–99 to 1900–1999; ticket days are never that early, so reject them outright.
  return y >= 1000 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** "GD" + "20261122" + 6-digit zero-padded sequence. Throws RangeError on a bad prefix, day or sequence. */
export function formatTicketNumber(prefix: string, day: string, seq: number): string {
  if (!PREFIX_RE.test(prefix)) throw new RangeError(`Ticket prefix must be 1–4 uppercase letters, got "${prefix}"`);
  if (!isValidDay(day)) throw new RangeError(`Ticket day must be a real date as YYYYMMDD, got "${day}"`);
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) {
    throw new RangeError(`Ticket sequence must be an integer from 1 to ${MAX_SEQ}, got ${seq}`);
  }
  return `${prefix}${day}${String(seq).padStart(6, '0')}`;
}

/**
 * Parses a ticket number. Surrounding whitespace and a lower-case prefix (as customers type it)
 * are accepted; the returned prefix is upper-case. Returns null for anything else.
 */
export function parseTicketNumber(s: string): { prefix: string; day: string; seq: number } | null {
  const m = NUMBER_RE.exec(s.trim().toUpperCase());
  if (m === null) return null;
  const [, prefix, day, seqText] = m;
  if (prefix === undefined || day === undefined || seqText === undefined) return null;
  const seq = Number(seqText);
  if (seq < 1 || !isValidDay(day)) return null;
  return { prefix, day, seq };
}
