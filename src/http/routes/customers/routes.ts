import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withTx } from '../../../db/database.ts';
import { can } from '../../../domain/policy.ts';
import type { ServiceContext } from '../../../services/context.ts';
import { createCustomer, customerContactHistory, findCustomersByPhone, getCustomerRow, presentCustomer, revealCustomerField, updateCustomer } from '../../../services/customers/customers.ts';
import { requireActor } from '../../auth.ts';
import { forbidden, notFound } from '../../errors.ts';

const customerView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  salutation: z.string().nullable().describe('客户称呼 (e.g. 张先生), masked like the name'),
  masked: z.boolean(),
  tier: z.string(),
  specialGroups: z.array(z.string()),
  createdAt: z.string(),
});

const customerBody = z.object({
  name: z.string().min(1).max(100).nullable().optional(),
  phone: z.string().min(3).max(32).nullable().optional(),
  email: z.string().max(200).nullable().optional(),
  address: z.string().max(300).nullable().optional(),
  salutation: z.string().max(40).nullable().optional().describe('客户称呼: how the customer wants to be addressed in replies, e.g. 张先生, 李女士 (at most 20 characters; null or empty clears it); scripts use 您 without one'),
  tier: z.enum(['standard', 'vip', 'enterprise']).optional(),
  specialGroups: z.array(z.string().min(1).max(40)).max(10).optional(),
});

export async function customerRoutes(app: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ id: z.uuid() });

  r.get('/customers', {
    schema: { tags: ['customers'], summary: 'Find customers by phone (keyed-hash lookup; results masked)', querystring: z.object({ phone: z.string().min(3).max(32) }), response: { 200: z.object({ items: z.array(customerView) }) } },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'customer.read') || actor.role === 'customer') throw forbidden();
    const rows = await findCustomersByPhone(ctx.db.pool, ctx.crypto, req.query.phone);
    return { items: rows.map((c) => presentCustomer(c, ctx.crypto, actor)) };
  });

  r.post('/customers', { schema: { tags: ['customers'], summary: 'Create a customer; personal data is stored encrypted', body: customerBody, response: { 201: customerView } } }, async (req, reply) => {
    const actor = requireActor(req);
    if (!can(actor, 'customer.write') || actor.role === 'customer') throw forbidden();
    const c = await withTx(ctx.db, (tx) => createCustomer(tx, ctx.crypto, actor, req.body));
    return reply.code(201).send(presentCustomer(c, ctx.crypto, actor));
  });

  r.get('/customers/:id', { schema: { tags: ['customers'], summary: 'A customer, masked unless it is the caller', params, response: { 200: customerView } } }, async (req) => {
    const actor = requireActor(req);
    const resource = { customerId: req.params.id, ownerId: null, teamId: null };
    if (!can(actor, 'customer.read', resource)) throw notFound('customer', req.params.id);
    return presentCustomer(await getCustomerRow(ctx.db.pool, req.params.id), ctx.crypto, actor);
  });

  r.patch('/customers/:id', { schema: { tags: ['customers'], summary: 'Correct a customer record (customers may correct their own, P4)', params, body: customerBody, response: { 200: customerView } } }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'customer.write', { customerId: req.params.id, ownerId: null, teamId: null })) throw notFound('customer', req.params.id);
    const c = await withTx(ctx.db, (tx) => updateCustomer(tx, ctx.crypto, actor, req.params.id, req.body));
    return presentCustomer(c, ctx.crypto, actor);
  });

  r.get('/customers/:id/history', {
    schema: {
      tags: ['customers'],
      summary: 'Contacts from every channel, newest first: tickets, phone calls, walk-ins (staff; a customer sees their own)',
      params,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
      response: { 200: z.object({ items: z.array(z.object({ at: z.string(), channel: z.string(), kind: z.enum(['ticket', 'call', 'walk_in']), ticketId: z.string().nullable(), ticketNumber: z.string().nullable(), summary: z.string() })) }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    if (!can(actor, 'customer.read', { customerId: req.params.id, ownerId: null, teamId: null })) throw notFound('customer', req.params.id);
    await getCustomerRow(ctx.db.pool, req.params.id);
    return { items: await customerContactHistory(ctx.db.pool, req.params.id, req.query.limit) };
  });

  r.post('/customers/:id/reveal', {
    schema: {
      tags: ['customers'],
      summary: 'Reveal one personal-data field in full; who, when, which field and why are audited (P1)',
      params,
      body: z.object({ field: z.enum(['name', 'phone', 'email', 'address', 'salutation']), reason: z.string().min(4).max(500) }),
      response: { 200: z.object({ field: z.string(), value: z.string().nullable() }) },
    },
  }, async (req) => {
    const actor = requireActor(req);
    const value = await withTx(ctx.db, (tx) => revealCustomerField(tx, ctx.crypto, actor, req.params.id, req.body.field, req.body.reason));
    return { field: req.body.field, value };
  });
}
