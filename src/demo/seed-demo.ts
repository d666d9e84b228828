/**
 * Demo data for a first look: teams, staff of every role, customers (some in special groups) and
 * tickets in every state across channels, created through the same use cases the API calls.
 */
import { withTx } from '../db/database.ts';
import type { Actor, Role } from '../domain/policy.ts';
import { actorForUser, createUser } from '../services/accounts/accounts.ts';
import { AppError } from '../http/errors.ts';
import type { ServiceContext } from '../services/context.ts';
import { acceptConversation, chatScripts, postAgentChatMessage, startConversation } from '../services/chat/chat.ts';
import { createCustomer, type CustomerInput } from '../services/customers/customers.ts';
import { ingestEvents, MAX_EVENTS_PER_BATCH } from '../services/shipments/ingest-events.ts';
import { ingestShipments } from '../services/shipments/ingest-shipments.ts';
import { createTicket } from '../services/tickets/create-ticket.ts';
import { addTicketMessage, changeTicketStatus } from '../services/tickets/ticket-actions.ts';
import { escalateTicket, handOverTicket } from '../services/tickets/ticket-ownership.ts';
import { generateShipments, type Scenario } from './shipment-generator.ts';

export const DEMO_PASSWORD = 'parceldesk-demo';

export const DEMO_LOGINS: { username: string; role: Role; displayName: string }[] = [
  { username: 'admin', role: 'admin', displayName: '系统管理员' },
  { username: 'supervisor', role: 'supervisor', displayName: '赵主管' },
  { username: 'lead', role: 'team_lead', displayName: '钱组长' },
  { username: 'agent', role: 'agent', displayName: '孙小美' },
  { username: 'agent2', role: 'agent', displayName: '李文' },
  { username: 'senior', role: 'agent', displayName: '周高级' },
  { username: 'qa', role: 'qa_inspector', displayName: '吴质检' },
];

// 客户称呼 as the service team recorded it for some (scripts say 您 to the others).
const CUSTOMERS: (CustomerInput & { name: string; phone: string })[] = [
  { name: '张伟', phone: '13812345678', address: '北京市朝阳区建国路88号', salutation: '张先生', specialGroups: [] },
  { name: '王芳', phone: '13987654321', address: '上海市浦东新区世纪大道100号', salutation: '王女士', specialGroups: ['pregnant'] },
  { name: '李秀英', phone: '13700001111', address: '广东省广州市天河区体育西路1号', salutation: '李阿姨', specialGroups: ['elderly'] },
  { name: '刘洋', phone: '13600002222', address: '广东省深圳市南山区科技园路1号', specialGroups: [] },
  { name: '陈静', phone: '13500003333', address: '浙江省杭州市西湖区文三路20号', salutation: '陈女士', specialGroups: ['hearing_impaired'] },
  { name: '杨磊', phone: '13400004444', address: '四川省成都市武侯区人民南路4段', specialGroups: [] },
];

const TICKETS: { type: string; cat: string; channel: 'phone' | 'chat' | 'email' | 'walk_in' | 'web'; subject: string; body: string; customer: number; waybills?: string[]; goods?: string[] }[] = [
  { type: 'tracking', cat: 'tracking.query', channel: 'phone', subject: '查询快件到哪里了', body: '客户来电询问运单 SF1234567890 的物流进度。', customer: 0, waybills: ['SF1234567890'] },
  { type: 'problem_shipment', cat: 'problem.delay', channel: 'chat', subject: '快件延误三天未更新', body: '您好,我的快递三天没有物流更新了,很着急。', customer: 1, waybills: ['YT2026112200001'] },
  { type: 'problem_shipment', cat: 'problem.damage', channel: 'email', subject: '收到的包裹外箱破损', body: '今天收到包裹,外箱明显破损,里面的杯子碎了,请处理。', customer: 3, waybills: ['ZT9988776655'] },
  { type: 'complaint', cat: 'complaint.locker', channel: 'phone', subject: '未经同意放驿站', body: '快递员没有打电话就把快递放到驿站了,我没有同意。', customer: 2, waybills: ['JD0011223344'] },
  { type: 'consultation', cat: 'consult.price', channel: 'chat', subject: '寄5公斤到上海多少钱', body: '北京寄 5 公斤衣服到上海,标准快递多少钱?', customer: 0 },
  { type: 'order', cat: 'order.pickup', channel: 'web', subject: '预约明天上午上门取件', body: '请安排明天上午 9-11 点上门取件,地址见账户。', customer: 5 },
  { type: 'problem_shipment', cat: 'problem.loss', channel: 'phone', subject: '药品快件疑似丢失', body: '寄给老人的降压药一周没到,物流停在分拣中心。', customer: 2, waybills: ['SF5555666677'], goods: ['medical'] },
  { type: 'consultation', cat: 'consult.prohibited', channel: 'chat', subject: '充电宝能不能寄', body: '请问充电宝和香水可以寄吗?', customer: 4 },
  { type: 'after_sales', cat: 'after_sales.return', channel: 'email', subject: '退货需要怎么寄回', body: '网购衣服不合适,想退货,怎么寄回商家?', customer: 1 },
  { type: 'suggestion', cat: 'suggestion', channel: 'web', subject: '希望增加晚间派送', body: '上班族白天不在家,建议增加晚上 7-9 点派送。', customer: 5 },
  { type: 'tracking', cat: 'tracking.query', channel: 'walk_in', subject: '网点现场查询快件', body: '客户到网点现场查询快件,已核实身份。', customer: 4, waybills: ['YD3344556677'] },
  { type: 'problem_shipment', cat: 'problem.delay', channel: 'phone', subject: '生鲜快件延误', body: '寄的大闸蟹已经两天了还没到,怕坏掉。', customer: 3, waybills: ['SF7777888899'], goods: ['fresh'] },
];

export async function demoSeeded(ctx: ServiceContext): Promise<boolean> {
  const { rowCount } = await ctx.db.pool.query("SELECT 1 FROM users WHERE username = 'admin'");
  return (rowCount ?? 0) > 0;
}

export async function seedDemo(ctx: ServiceContext): Promise<{ users: number; customers: number; tickets: number; shipments: number }> {
  if (await demoSeeded(ctx)) return { users: 0, customers: 0, tickets: 0, shipments: 0 };
  const ids = await withTx(ctx.db, async (tx) => {
    const team = async (code: string, name: string, kind: string, strategy: string): Promise<string> =>
      (await tx.query<{ id: string }>('INSERT INTO teams (code, name, kind, strategy) VALUES ($1, $2, $3, $4) RETURNING id', [code, name, kind, strategy])).rows[0]!.id;
    const front = await team('frontline', '一线客服组', 'service', 'least_loaded');
    const senior = await team('senior', '高级客服组', 'senior', 'round_robin');
    const complaints = await team('complaints', '投诉处理组', 'department', 'least_loaded');
    const users: Record<string, string> = {};
    for (const l of DEMO_LOGINS) {
      const spec = {
        admin: {}, supervisor: {}, qa: {},
        lead: { leadOf: [front, complaints], skills: ['complaint', 'problem'], channels: ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] },
        agent: { teamIds: [front], skills: ['problem'], channels: ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] },
        agent2: { teamIds: [front, complaints], skills: ['complaint'], channels: ['phone', 'chat', 'email', 'web', 'api'] },
        senior: { teamIds: [senior], skills: ['complaint', 'problem'], channels: ['phone', 'chat', 'email', 'walk_in', 'web', 'api'] },
      }[l.username] ?? {};
      users[l.username] = (await createUser(tx, null, { username: l.username, password: DEMO_PASSWORD, role: l.role, displayName: l.displayName, ...spec })).id;
    }
    const customers: string[] = [];
    for (const c of CUSTOMERS) customers.push((await createCustomer(tx, ctx.crypto, null, c)).id);
    // One customer can log in to the portal.
    await createUser(tx, null, { username: 'customer', password: DEMO_PASSWORD, role: 'customer', displayName: CUSTOMERS[0]!.name, customerId: customers[0]! });
    const cats = new Map((await tx.query<{ code: string; id: string }>('SELECT code, id FROM categories')).rows.map((r) => [r.code, r.id]));
    return { front, senior, complaints, users, customers, cats };
  });
  const actor = async (u: string): Promise<Actor> => (await actorForUser(ctx.db.pool, ids.users[u]!))!;
  const agent = await actor('agent');
  const agent2 = await actor('agent2');
  const lead = await actor('lead');
  const supervisor = await actor('supervisor');
  let n = 0;
  for (const [i, t] of TICKETS.entries()) {
    const unowned = i % 4 === 3;
    // The unowned ones wait in the front-line team's unassigned queue: logged by the supervisor, as an
    // agent or lead who logs a contact owns it (first-contact ownership).
    const by = unowned ? supervisor : i % 3 === 0 ? agent : i % 3 === 1 ? agent2 : lead;
    const { ticket } = await createTicket(ctx, by, {
      type: t.type, categoryId: ids.cats.get(t.cat) ?? null, channel: t.channel, subject: t.subject, description: t.body,
      customerId: ids.customers[t.customer]!, waybills: t.waybills ?? [], goods: t.goods ?? [],
      ...(unowned ? { teamId: ids.front, autoAssign: false, ownerId: null } : {}),
    });
    n += 1;
    if (unowned) continue;
    await addTicketMessage(ctx, by, ticket.id, { body: '您好,这里是顺达快递客服,已收到您的问题,正在为您核实,请稍等。', visibility: 'public' });
    if (i % 5 === 1) await changeTicketStatus(ctx, by, ticket.id, { status: 'pending', waitingOn: 'customer', reason: '等待客户提供照片' });
    if (i % 5 === 2) {
      await addTicketMessage(ctx, by, ticket.id, { body: '已为您处理完毕,快件将于明天送达。请问还有其他需要帮助的吗?', visibility: 'public', notifiesResult: true });
      await changeTicketStatus(ctx, by, ticket.id, { status: 'resolved' });
    }
    if (i === 4) {
      await addTicketMessage(ctx, by, ticket.id, { body: '北京寄上海 5 公斤标准快递 18 元,预计 2 天送达。', visibility: 'public', notifiesResult: true });
      await changeTicketStatus(ctx, by, ticket.id, { status: 'resolved' });
      await changeTicketStatus(ctx, by, ticket.id, { status: 'closed' });
    }
    if (i === 3) await handOverTicket(ctx, by, ticket.id, { toTeamId: ids.complaints, reason: '投诉类转投诉处理组' });
    if (i === 6) await escalateTicket(ctx, by, ticket.id, { level: 'senior', ownerId: ids.users.senior!, reason: '药品疑似丢失,需高级客服协调分拣中心' });
    if (i % 5 === 0) await addTicketMessage(ctx, by, ticket.id, { body: '已联系分拣中心核实,等待回复。', visibility: 'internal' });
  }
  const shipments = await seedDemoShipments(ctx);
  n += await seedDemoChats(ctx, agent, (await actorForUser(ctx.db.pool, (await ctx.db.pool.query<{ id: string }>(`SELECT id FROM users WHERE username = 'customer'`)).rows[0]!.id))!);
  // The waiting chat's guest is a customer record of its own (unverified), not a login.
  return { users: DEMO_LOGINS.length + 1, customers: CUSTOMERS.length + 1, tickets: n, shipments };
}

/** Two live chats: a guest still waiting (the busy notice went out), and the portal customer talking to the agent. */
async function seedDemoChats(ctx: ServiceContext, agent: Actor, customer: Actor): Promise<number> {
  await startConversation(ctx, null, { name: '刘女士', phone: '13600001111', topic: '快件未更新', message: '请问我的快递 YT2026112200001 怎么好几天没有更新了?' });
  const { conversation } = await startConversation(ctx, customer, { name: '王芳', topic: '寄件咨询', message: '我想寄一个 5 公斤的包裹到上海,多少钱?' });
  try {
    await acceptConversation(ctx, agent, conversation.id);
  } catch (err) {
    // The chat router of a running server (or another agent) may have taken the chat first; the
    // demo then simply has it with them.
    if (err instanceof AppError && err.code === 'conflict') return 2;
    throw err;
  }
  const scripts = await chatScripts(ctx, agent);
  await postAgentChatMessage(ctx, agent, conversation.id, { clientId: 'demo-greeting-0001', body: scripts.greeting });
  await postAgentChatMessage(ctx, agent, conversation.id, { clientId: 'demo-answer-00001', body: '北京寄上海 5 公斤标准快递 18 元,预计 2 天送达。' });
  return 2;
}

/** The demo tickets' parcels, linked by phone to the demo customers, then a few hundred more. */
const DEMO_PARCELS: { waybill: string; customer: number; side: 'sender' | 'receiver'; scenario: Scenario; hoursAgo: number; item?: number }[] = [
  { waybill: 'SF1234567890', customer: 0, side: 'receiver', scenario: 'delivered', hoursAgo: 20 },
  { waybill: 'YT2026112200001', customer: 1, side: 'receiver', scenario: 'stuck', hoursAgo: 6 * 24 },
  { waybill: 'ZT9988776655', customer: 3, side: 'receiver', scenario: 'exception', hoursAgo: 4 * 24, item: 5 },
  { waybill: 'JD0011223344', customer: 2, side: 'receiver', scenario: 'station', hoursAgo: 3 * 24 },
  { waybill: 'SF5555666677', customer: 2, side: 'sender', scenario: 'lost', hoursAgo: 10 * 24, item: 7 },
  { waybill: 'YD3344556677', customer: 4, side: 'receiver', scenario: 'locker', hoursAgo: 3 * 24 },
  { waybill: 'SF7777888899', customer: 3, side: 'sender', scenario: 'stuck', hoursAgo: 4 * 24, item: 9 },
];
const DEMO_SHIPMENTS = 300;

async function seedDemoShipments(ctx: ServiceContext): Promise<number> {
  const generated = generateShipments({
    seed: 2026,
    count: DEMO_SHIPMENTS,
    now: ctx.now(),
    waybillPrefix: 'SD',
    firstSerial: 8_800_000_001,
    fixed: (i) => {
      const d = DEMO_PARCELS[i];
      const phone = (c: number): string => CUSTOMERS[c]!.phone;
      if (d) return { waybill: d.waybill, scenario: d.scenario, shippedHoursAgo: d.hoursAgo, ...(d.item !== undefined ? { item: d.item } : {}), ...(d.side === 'sender' ? { senderPhone: phone(d.customer) } : { receiverPhone: phone(d.customer) }) };
      // Every tenth parcel is the demo login's (张伟): sent or received.
      if (i % 10 === 0) return i % 20 === 0 ? { senderPhone: phone(0) } : { receiverPhone: phone(0) };
      if (i % 10 === 5) return { receiverPhone: phone(i % CUSTOMERS.length) };
      return undefined;
    },
  });
  await withTx(ctx.db, async (tx) => {
    await ingestShipments(tx, ctx.crypto, null, generated.map((g) => g.shipment));
    const events = generated.flatMap((g) => g.events);
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH) await ingestEvents(tx, null, ctx.now(), 'ops', events.slice(i, i + MAX_EVENTS_PER_BATCH));
  });
  return generated.length;
}
