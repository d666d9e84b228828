/**
 * Customers and their personal data (P1). Stored encrypted; found by phone through a keyed hash;
 * shown masked by the presenter unless the viewer may see it; revealed only by an explicit,
 * audited call with a reason.
 */
import type { Queryable } from '../../db/database.ts';
import { checkSalutation } from '../../domain/kb-variables.ts';
import { maskField, normalizePhone, type PiiField } from '../../domain/masking.ts';
import { can, seesOwnPiiUnmasked, type Actor } from '../../domain/policy.ts';
import type { PiiCrypto } from '../../platform/crypto.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';

export interface CustomerInput {
  name?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  /** 客户称呼 as the customer wants to be addressed (张先生); encrypted like the name. */
  salutation?: string | null;
  tier?: 'standard' | 'vip' | 'enterprise';
  specialGroups?: string[];
}

export interface CustomerRow {
  id: string;
  name_enc: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  address_enc: string | null;
  salutation_enc: string | null;
  tier: string;
  special_groups: string[];
  created_at: Date;
}

export interface CustomerView {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  salutation: string | null;
  masked: boolean;
  tier: string;
  specialGroups: string[];
  createdAt: string;
}

const COLUMNS = 'id, name_enc, phone_enc, email_enc, address_enc, salutation_enc, tier, special_groups, created_at';

function phoneOrThrow(raw: string): string {
  const p = normalizePhone(raw);
  if (!p) throw new AppError('validation_failed', `"${raw}" is not a valid mainland mobile or landline number`);
  return p;
}

function normEmail(raw: string): string {
  const e = raw.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) throw new AppError('validation_failed', `"${raw}" is not a valid e-mail address`);
  return e;
}

function salutationOrThrow(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const checked = checkSalutation(raw);
  if (!checked.ok) throw new AppError('validation_failed', checked.message);
  return checked.value;
}

export async function createCustomer(tx: Queryable, crypto: PiiCrypto, actor: Actor | null, input: CustomerInput): Promise<CustomerRow> {
  if (!input.name && !input.phone && !input.email && !input.address) {
    throw new AppError('validation_failed', 'a customer needs at least a name, phone, e-mail or address');
  }
  const phone = input.phone ? phoneOrThrow(input.phone) : null;
  const email = input.email ? normEmail(input.email) : null;
  const salutation = salutationOrThrow(input.salutation);
  const { rows } = await tx.query<CustomerRow>(
    `INSERT INTO customers (name_enc, phone_enc, phone_hash, email_enc, email_hash, address_enc, salutation_enc, tier, special_groups)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
    [
      input.name ? crypto.encrypt(input.name) : null,
      phone ? crypto.encrypt(phone) : null,
      phone ? crypto.lookupHash(phone) : null,
      email ? crypto.encrypt(email) : null,
      email ? crypto.lookupHash(email) : null,
      input.address ? crypto.encrypt(input.address) : null,
      salutation ? crypto.encrypt(salutation) : null,
      input.tier ?? 'standard',
      input.specialGroups ?? [],
    ],
  );
  const c = rows[0]!;
  // The audit entry names which fields were set, never their values.
  await recordAudit(tx, actor, { action: 'customer.create', entityType: 'customer', entityId: c.id, data: { fields: Object.keys(input).filter((k) => input[k as keyof CustomerInput] != null) } });
  return c;
}

export async function getCustomerRow(q: Queryable, id: string): Promise<CustomerRow> {
  const { rows } = await q.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound('customer', id);
  return rows[0];
}

export async function findCustomersByPhone(q: Queryable, crypto: PiiCrypto, rawPhone: string): Promise<CustomerRow[]> {
  const phone = phoneOrThrow(rawPhone);
  const { rows } = await q.query<CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE phone_hash = $1 ORDER BY created_at`, [crypto.lookupHash(phone)]);
  return rows;
}

export async function updateCustomer(tx: Queryable, crypto: PiiCrypto, actor: Actor, id: string, input: CustomerInput): Promise<CustomerRow> {
  // Tier and special groups grade the customer (and raise their tickets' priority, T3): the service
  // team sets them. A customer corrects their own contact data (P4), not their grade.
  if ((input.tier !== undefined || input.specialGroups !== undefined) && !can(actor, 'customer.write')) {
    throw forbidden('tier and special groups are set by the service team');
  }
  await getCustomerRow(tx, id);
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (col: string, value: unknown): void => {
    params.push(value);
    sets.push(`${col} = $${params.length}`);
  };
  if (input.name !== undefined) set('name_enc', input.name ? crypto.encrypt(input.name) : null);
  if (input.phone !== undefined) {
    const p = input.phone ? phoneOrThrow(input.phone) : null;
    set('phone_enc', p ? crypto.encrypt(p) : null);
    set('phone_hash', p ? crypto.lookupHash(p) : null);
  }
  if (input.email !== undefined) {
    const e = input.email ? normEmail(input.email) : null;
    set('email_enc', e ? crypto.encrypt(e) : null);
    set('email_hash', e ? crypto.lookupHash(e) : null);
  }
  if (input.address !== undefined) set('address_enc', input.address ? crypto.encrypt(input.address) : null);
  if (input.salutation !== undefined) {
    const s = salutationOrThrow(input.salutation);
    set('salutation_enc', s ? crypto.encrypt(s) : null);
  }
  if (input.tier !== undefined) set('tier', input.tier);
  if (input.specialGroups !== undefined) set('special_groups', input.specialGroups);
  if (sets.length === 0) return getCustomerRow(tx, id);
  const { rows } = await tx.query<CustomerRow>(`UPDATE customers SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, params);
  await recordAudit(tx, actor, { action: 'customer.update', entityType: 'customer', entityId: id, data: { fields: Object.keys(input) } });
  return rows[0]!;
}

const FIELD_COLUMN: Record<PiiField, keyof CustomerRow> = { name: 'name_enc', phone: 'phone_enc', email: 'email_enc', address: 'address_enc', salutation: 'salutation_enc' };

/** The presenter: the single place customer data is shaped for a viewer, masked unless the viewer is the customer. */
export function presentCustomer(row: CustomerRow, crypto: PiiCrypto, viewer: Actor): CustomerView {
  const own = seesOwnPiiUnmasked(viewer, row.id);
  const show = (field: PiiField): string | null => {
    const enc = row[FIELD_COLUMN[field]] as string | null;
    if (!enc) return null;
    const plain = crypto.decrypt(enc);
    return own ? plain : maskField(field, plain);
  };
  return {
    id: row.id,
    name: show('name'),
    phone: show('phone'),
    email: show('email'),
    address: show('address'),
    salutation: show('salutation'),
    masked: !own,
    tier: row.tier,
    specialGroups: row.special_groups,
    createdAt: row.created_at.toISOString(),
  };
}

/** Returns one field in full and records who saw it, when, and why (P1). */
export async function revealCustomerField(tx: Queryable, crypto: PiiCrypto, actor: Actor, customerId: string, field: PiiField, reason: string): Promise<string | null> {
  if (!can(actor, 'pii.reveal')) throw forbidden('your role may not reveal personal data');
  if (reason.trim().length < 4) throw new AppError('validation_failed', 'state the reason for revealing personal data (at least 4 characters)');
  const row = await getCustomerRow(tx, customerId);
  const enc = row[FIELD_COLUMN[field]] as string | null;
  await recordAudit(tx, actor, { action: 'pii.reveal', entityType: 'customer', entityId: customerId, data: { field, reason: reason.trim() } });
  return enc ? crypto.decrypt(enc) : null;
}

export interface ContactHistoryItem {
  at: string;
  channel: string;
  kind: 'ticket' | 'call' | 'walk_in';
  ticketId: string | null;
  ticketNumber: string | null;
  summary: string;
}

/**
 * One customer's contacts from every channel, newest first (issue 4): their tickets (each on the
 * channel it came in by), their phone calls with how they ended, and their visits at outlets.
 */
export async function customerContactHistory(q: Queryable, customerId: string, limit = 100): Promise<ContactHistoryItem[]> {
  const { rows } = await q.query<{ at: Date; channel: string; kind: ContactHistoryItem['kind']; ticket_id: string | null; ticket_number: string | null; summary: string }>(
    `SELECT * FROM (
       SELECT t.created_at AS at, t.channel, 'ticket' AS kind, t.id AS ticket_id, t.number AS ticket_number, t.subject AS summary
         FROM tickets t WHERE t.customer_id = $1
       UNION ALL
       SELECT c.started_at, 'phone', 'call', c.ticket_id, (SELECT number FROM tickets WHERE id = c.ticket_id),
              CASE WHEN c.abandoned THEN '未接通的来电' WHEN c.status = 'ended' THEN '通话 ' || round(coalesce(c.talk_ms, 0) / 1000.0) || ' 秒' ELSE '通话中' END
         FROM calls c WHERE c.customer_id = $1
       UNION ALL
       SELECT w.arrived_at, 'walk_in', 'walk_in', w.ticket_id, (SELECT number FROM tickets WHERE id = w.ticket_id), w.outlet || ':' || w.purpose
         FROM walk_ins w WHERE w.customer_id = $1
     ) h ORDER BY at DESC LIMIT $2`,
    [customerId, Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((r) => ({ at: r.at.toISOString(), channel: r.channel, kind: r.kind, ticketId: r.ticket_id, ticketNumber: r.ticket_number, summary: r.summary }));
}
