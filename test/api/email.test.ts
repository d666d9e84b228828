/**
 * E-mail in and out (issue 4, SPEC C1/C7) over real SMTP on loopback: mails are sent with
 * nodemailer to Parceldesk's SMTP listener and become ticket messages (new or threaded, the
 * sender recognised or created, attachments kept, redeliveries kept once, auto-replies marked
 * and never answered, oversize and malformed mail answered, never crashing); agents' replies
 * leave through the outbox sweep to a local SMTP sink (an smtp-server in this test) with the
 * thread's headers, and a refusing or absent sink means retries with back-off, visible on the
 * ticket, until the mail goes or is given up.
 */
import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../src/db/database.ts';
import { startServer } from '../../src/server.ts';
import { createCustomer } from '../../src/services/customers/customers.ts';
import { sendDueEmails } from '../../src/services/email/outbox.ts';
import { startEmailListener, type EmailListener } from '../../src/services/email/smtp-listener.ts';
import { putSetting, SETTINGS } from '../../src/services/settings/settings.ts';
import { startHarness, testConfig, type Harness, type TestUser } from '../support/harness.ts';
import { spawnServer, stopServers, type ServerProcess } from '../support/processes.ts';

const makeTransport = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
type Transport = ReturnType<typeof makeTransport>;
type SendOptions = Parameters<Transport['sendMail']>[0];

let h: Harness;
let agent: TestUser;
let admin: TestUser;
let listener: EmailListener;
let sink: Sink;
let send: Transport;

const OUR_DOMAIN = 'pd-mail-test.example';
const MAX_BYTES = 200_000;
const MAX_ATTACHMENT = 40_000;

interface Sink {
  port: number;
  mails: { raw: Buffer; parsed: ParsedMail; rcpt: string[] }[];
  refuse: boolean;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const state = { mails: [] as Sink['mails'], refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.refuse) return callback(Object.assign(new Error('4.7.1 try again later (test sink refusing)'), { responseCode: 451 }));
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then((parsed) => {
          state.mails.push({ raw, parsed, rcpt: session.envelope.rcptTo.map((r) => r.address) });
          callback(null, 'queued by the sink');
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return Object.assign(state, { port, close: () => new Promise<void>((r) => server.close(() => r())) }) as Sink;
}

async function outbound(over: Record<string, unknown> = {}): Promise<void> {
  await putSetting(h.ctx.db.pool, 'email.outbound', {
    ...SETTINGS['email.outbound'].default,
    enabled: true,
    host: '127.0.0.1',
    port: sink.port,
    fromAddress: 'kefu@shunda-mail-test.example',
    fromName: '顺达客服',
    messageIdDomain: OUR_DOMAIN,
    timeoutMs: 3000,
    retry: { baseSeconds: 0.3, maxSeconds: 1, maxAttempts: 4 },
    ...over,
  }, null);
}

beforeAll(async () => {
  h = await startHarness();
  agent = await h.user('agent');
  admin = await h.user('admin');
  sink = await startSink();
  await putSetting(h.ctx.db.pool, 'email.inbound', { ...SETTINGS['email.inbound'].default, maxBytes: MAX_BYTES, maxAttachmentBytes: MAX_ATTACHMENT }, null);
  await outbound();
  listener = await startEmailListener(h.ctx, { host: '127.0.0.1', port: 0, maxBytes: MAX_BYTES, log: () => undefined });
  send = makeTransport(listener.port);
});
afterAll(async () => {
  send?.close();
  await listener?.close();
  await sink?.close();
  await h?.close();
});

const address = (): string => `cust.${h.uid()}@mail-test.example`;
const idOf = (info: { messageId: string }): string => info.messageId.replace(/^<|>$/g, '');
const numberOf = (info: { response: string }): string => /as ticket ([A-Z]{1,4}\d{14})/.exec(info.response)![1]!;

async function mail(m: SendOptions): Promise<{ messageId: string; response: string; number: string }> {
  const info = await send.sendMail({ to: 'kefu@shunda-mail-test.example', ...m });
  expect(info.response, info.response).toMatch(/^250 /);
  return { messageId: idOf(info), response: info.response, number: numberOf(info) };
}

async function ticket(number: string): Promise<any> {
  const res = await agent.client.get(`/api/v1/tickets/${number}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const timeline = async (number: string): Promise<any[]> => (await agent.client.get(`/api/v1/tickets/${number}/events`)).body.items;
const emails = async (number: string): Promise<any[]> => {
  const res = await agent.client.get(`/api/v1/tickets/${number}/emails`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
};

/** Sweeps until `done` holds: other processes of the run may sweep the same outbox too. */
async function sweepUntil(done: () => Promise<boolean>, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error('the outbox did not get there in time');
    await sendDueEmails(h.ctx.db, { crypto: h.ctx.crypto });
    await new Promise((r) => setTimeout(r, 50));
  }
}
const sinkGot = (messageId: string): Sink['mails'] => sink.mails.filter((m) => idOf({ messageId: m.parsed.messageId ?? '' }) === messageId);

describe('inbound mail', () => {
  it('a new mail opens an e-mail ticket; an unknown sender becomes a customer holding the address (encrypted) and name', async () => {
    const from = address();
    const m = await mail({ from: { name: '李雷', address: from }, subject: '快件未收到', text: '我的快件 SF1234567890 三天没动了。' });
    const t = await ticket(m.number);
    expect(t).toMatchObject({ channel: 'email', subject: '快件未收到', type: 'consultation' });
    expect(t.customerId).toBeTruthy();
    const c = await h.ctx.db.pool.query<{ email_hash: string; email_enc: string; name_enc: string }>('SELECT email_hash, email_enc, name_enc FROM customers WHERE id = $1', [t.customerId]);
    expect(c.rows[0]!.email_hash).toBe(h.ctx.crypto.lookupHash(from));
    expect(c.rows[0]!.email_enc).not.toContain(from);
    expect(h.ctx.crypto.decrypt(c.rows[0]!.email_enc)).toBe(from);
    expect(h.ctx.crypto.decrypt(c.rows[0]!.name_enc)).toBe('李雷');
    const created = (await timeline(m.number)).find((e) => e.kind === 'created');
    expect(created.body).toBe('我的快件 SF1234567890 三天没动了。');
    const log = await emails(m.number);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ direction: 'inbound', messageId: m.messageId, status: 'received', automated: null, eventId: created.id, subject: '快件未收到' });
    expect(log[0].from).not.toBe(from); // masked
    const audit = await h.ctx.db.pool.query<{ action: string; actor_role: string }>(
      `SELECT action, actor_role FROM audit_log WHERE (entity_type = 'email' AND entity_id = $1) OR (entity_type = 'ticket' AND entity_id = $2) ORDER BY id`,
      [log[0].id, t.id],
    );
    expect(audit.rows).toEqual([{ action: 'ticket.create', actor_role: 'integration' }, { action: 'email.receive', actor_role: 'integration' }]);
    // Customers do not see the mail log; staff do.
    const customer = await h.user('customer', { customerId: t.customerId });
    expect((await customer.client.get(`/api/v1/tickets/${m.number}/emails`)).status).toBe(403);
  });

  it('a known customer is recognised by the keyed hash of the address, whatever its case', async () => {
    const from = address();
    const known = await withTx(h.ctx.db, (tx) => createCustomer(tx, h.ctx.crypto, null, { name: '韩梅梅', email: from }));
    const m = await mail({ from: from.toUpperCase(), subject: '改地址', text: '请改派送地址' });
    expect((await ticket(m.number)).customerId).toBe(known.id);
  });

  it('a reply with In-Reply-To threads into the ticket as the customer’s message; one with only the number in the subject too', async () => {
    const from = address();
    const first = await mail({ from, subject: '破损', text: '外箱破了' });
    const second = await mail({ from, subject: 'Re: 破损', text: '照片稍后发', inReplyTo: `<${first.messageId}>`, references: [`<${first.messageId}>`] });
    expect(second.number).toBe(first.number);
    expect(second.response).toContain('received as ticket');
    const third = await mail({ from, subject: `回复:破损 [${first.number}]`, text: '还没人联系我' });
    expect(third.number).toBe(first.number);
    const messages = (await timeline(first.number)).filter((e) => e.kind === 'message');
    expect(messages.map((e) => [e.body, e.data.author, e.data.channel, e.visibility])).toEqual([
      ['照片稍后发', 'customer', 'email', 'public'],
      ['还没人联系我', 'customer', 'email', 'public'],
    ]);
    expect((await emails(first.number)).map((e) => e.inReplyTo)).toEqual([null, first.messageId, null]);
    // Someone else quoting the number does not get into this ticket.
    const stranger = await mail({ from: address(), subject: `Re: [${first.number}]`, text: '我也是' });
    expect(stranger.number).not.toBe(first.number);
  });

  it('the same mail delivered twice is one message', async () => {
    const from = address();
    const first = await mail({ from, subject: '查件', text: '帮我查一下' });
    const raw = [
      `From: ${from}`, 'To: kefu@shunda-mail-test.example', `Subject: Re: 查件 [${first.number}]`, `Message-ID: <dup.${h.uid()}@mail-test.example>`,
      `In-Reply-To: <${first.messageId}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', '又发了一遍', '',
    ].join('\r\n');
    const a = await send.sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw });
    const b = await send.sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw });
    expect(a.response).toContain(`received as ticket ${first.number}`);
    expect(b.response).toContain(`already received as ticket ${first.number}`);
    // Concurrent redeliveries of a mail opening a ticket: one ticket, one mail.
    const fresh = raw.replace(/^Subject: .*$/m, 'Subject: 新问题').replace(/^In-Reply-To: .*\r\n/m, '').replace(/Message-ID: <dup\./, 'Message-ID: <dup2.');
    const [c, d] = await Promise.all([0, 1].map(() => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, ignoreTLS: true }).sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw: fresh })));
    expect(numberOf(c!)).toBe(numberOf(d!));
    const messages = (await timeline(first.number)).filter((e) => e.kind === 'message');
    expect(messages.map((e) => e.body)).toEqual(['又发了一遍']);
    const rows = await h.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM email_messages WHERE message_id LIKE $1`, [`dup%.${raw.match(/dup\.([^@]+)@/)![1]}@mail-test.example`]);
    expect(rows.rows[0]!.n).toBe(2);
    // A mail without a Message-ID is recognised by its bytes.
    const bare = raw.replace(/^Message-ID: .*\r\n/m, '').replace('又发了一遍', '没有 Message-ID');
    const e = await send.sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw: bare });
    const f = await send.sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw: bare });
    expect(e.response).toContain(`received as ticket ${first.number}`);
    expect(f.response).toContain('already received');
  });

  it('attachments are kept and downloadable with the same bytes; one over the limit keeps its name and size only', async () => {
    const from = address();
    const pdf = randomBytes(12_345);
    const big = randomBytes(MAX_ATTACHMENT + 1);
    const m = await mail({
      from, subject: '理赔材料', text: '附件是发票和照片',
      attachments: [{ filename: '发票.pdf', content: pdf, contentType: 'application/pdf' }, { filename: 'photo.jpg', content: big, contentType: 'image/jpeg' }],
    });
    const [log] = await emails(m.number);
    expect(log.attachments).toEqual([
      { id: expect.any(String), filename: '发票.pdf', contentType: 'application/pdf', size: pdf.length, stored: true },
      { id: expect.any(String), filename: 'photo.jpg', contentType: 'image/jpeg', size: big.length, stored: false },
    ]);
    const res = await fetch(`${h.url}/api/v1/email/attachments/${log.attachments[0].id}`, { headers: { authorization: `Bearer ${agent.client.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('发票.pdf'));
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await agent.client.get(`/api/v1/email/attachments/${log.attachments[1].id}`)).status).toBe(404);
    // The sender (as a portal customer) may fetch it; another customer is told it does not exist.
    const t = await ticket(m.number);
    const own = await h.user('customer', { customerId: t.customerId });
    expect((await own.client.get(`/api/v1/email/attachments/${log.attachments[0].id}`)).status).toBe(200);
    const other = await h.user('customer');
    expect((await other.client.get(`/api/v1/email/attachments/${log.attachments[0].id}`)).status).toBe(404);
  });

  it('a mail over the size limit is refused with 552, and nothing is kept', async () => {
    const subject = `太大了 ${h.uid()}`;
    const err = await send.sendMail({ from: address(), to: 'kefu@shunda-mail-test.example', subject, text: 'x'.repeat(MAX_BYTES + 10) }).then(() => null, (e: { responseCode?: number; message: string }) => e);
    expect(err?.responseCode, err?.message).toBe(552);
    const kept = await h.ctx.db.pool.query('SELECT 1 FROM email_messages WHERE subject = $1', [subject]);
    expect(kept.rowCount).toBe(0);
    // The listener is still there.
    await mail({ from: address(), subject: 'still up', text: 'ok' });
  });

  it('malformed headers and garbage do not crash anything: the mail is kept with what could be read', async () => {
    const from = address();
    const raws = [
      ['From: =?utf-8?B?###?= <<<not an address>>>', 'Subject: =?gb2312?Q?=C4=E3=BA=C3?= =?bogus?X?zz?=', 'Message-ID: <<<>>>', 'In-Reply-To: <unterminated', 'References: >>> <<<', 'Date: yesterday-ish', 'Content-Type: multipart/mixed; boundary=', '', 'body without parts'].join('\r\n'),
      ['Subject: 无发件人', 'Content-Transfer-Encoding: base64', '', '!!!not base64!!!'].join('\r\n'),
      'no headers at all, just text\r\n',
      `X-Weird: ${'a'.repeat(5000)}\r\nSubject: 长头\r\n\r\nbody\r\n`,
    ];
    const numbers: string[] = [];
    for (const raw of raws) {
      const info = await send.sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw });
      expect(info.response, raw.slice(0, 60)).toMatch(/^250 .*received as ticket/);
      numbers.push(numberOf(info));
    }
    expect((await ticket(numbers[1]!)).subject).toBe('无发件人');
    expect((await ticket(numbers[2]!)).subject).toBe('(无主题)');
    expect((await ticket(numbers[3]!)).subject).toBe('长头');
    // The sender came from the envelope when the From header was unreadable.
    expect((await ticket(numbers[0]!)).customerId).toBeTruthy();
    // An invalid recipient is refused at RCPT; the conversation goes on.
    const bad = await send.sendMail({ envelope: { from, to: ['not-an-address'] }, raw: 'Subject: x\r\n\r\ny' }).then(() => null, (e: { responseCode?: number }) => e);
    expect([501, 553]).toContain(bad?.responseCode); // smtp-server's syntax check or ours
    await mail({ from, subject: 'after the garbage', text: 'still fine' });
  });

  it('recipients can be limited to our inbound addresses', async () => {
    await putSetting(h.ctx.db.pool, 'email.inbound', { ...SETTINGS['email.inbound'].default, maxBytes: MAX_BYTES, maxAttachmentBytes: MAX_ATTACHMENT, addresses: ['kefu@shunda-mail-test.example'] }, null);
    await new Promise((r) => setTimeout(r, 1100)); // the listener reads the accepted addresses at most once a second
    try {
      const err = await send.sendMail({ from: address(), to: 'someone.else@shunda-mail-test.example', subject: 'x', text: 'y' }).then(() => null, (e: { responseCode?: number }) => e);
      expect(err?.responseCode).toBe(550);
      await mail({ from: address(), subject: 'to the right address', text: 'y' });
    } finally {
      await putSetting(h.ctx.db.pool, 'email.inbound', { ...SETTINGS['email.inbound'].default, maxBytes: MAX_BYTES, maxAttachmentBytes: MAX_ATTACHMENT }, null);
      await new Promise((r) => setTimeout(r, 1100));
    }
  });
});

describe('outbound replies', () => {
  it('an agent’s public reply reaches the customer with our Message-ID, the thread’s In-Reply-To and References and the number in the subject; notes do not', async () => {
    const from = address();
    const first = await mail({ from: { name: '王芳', address: from }, subject: '快件未收到', text: '还没收到' });
    const second = await mail({ from, subject: 'Re: 快件未收到', text: '请尽快', inReplyTo: `<${first.messageId}>`, references: [`<${first.messageId}>`] });
    expect(second.number).toBe(first.number);
    const note = await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: '内部:已联系网点', visibility: 'internal' });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const reply = await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: '您好,快件已在派送中,今天送达。', visibility: 'public' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    let out = (await emails(first.number)).filter((e) => e.direction === 'outbound');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ inReplyTo: second.messageId, references: [first.messageId, second.messageId], eventId: reply.body.id });
    expect(out[0].messageId).toMatch(new RegExp(`@${OUR_DOMAIN.replace(/\./g, '\\.')}$`));
    await sweepUntil(async () => (await emails(first.number)).some((e) => e.direction === 'outbound' && e.status === 'sent'));
    out = (await emails(first.number)).filter((e) => e.direction === 'outbound');
    expect(out[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    const got = sinkGot(out[0].messageId);
    expect(got).toHaveLength(1);
    const p = got[0]!.parsed;
    expect(got[0]!.rcpt).toEqual([from]);
    expect(p.subject).toBe(`Re: 快件未收到 [${first.number}]`);
    expect(p.inReplyTo).toBe(`<${second.messageId}>`);
    expect(p.references).toEqual([`<${first.messageId}>`, `<${second.messageId}>`]);
    expect(p.text?.trim()).toBe('您好,快件已在派送中,今天送达。');
    expect(p.from?.value[0]).toMatchObject({ address: 'kefu@shunda-mail-test.example', name: '顺达客服' });
    expect(p.headers.get('x-parceldesk-loop')).toBe(OUR_DOMAIN);
    expect(sink.mails.some((m) => m.parsed.text?.includes('内部:已联系网点'))).toBe(false);

    // The customer answers our mail: it threads through our own Message-ID.
    const answer = await mail({ from, subject: p.subject!, text: '好的谢谢', inReplyTo: `<${out[0].messageId}>`, references: [`<${first.messageId}>`, `<${second.messageId}>`, `<${out[0].messageId}>`] });
    expect(answer.number).toBe(first.number);
    // Our own mail coming back (a forwarding loop) is kept once: it is already known by its id.
    const loop = await send.sendMail({ envelope: { from, to: ['kefu@shunda-mail-test.example'] }, raw: got[0]!.raw });
    expect(loop.response).toContain(`already received as ticket ${first.number}`);
  });

  it('an auto-reply is kept and marked, does not reopen the ticket, and nothing is sent back', async () => {
    const from = address();
    const first = await mail({ from, subject: '催件', text: '快点' });
    const reply = await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: '已催促网点', visibility: 'public' });
    expect(reply.status).toBe(201);
    const pending = await agent.client.post(`/api/v1/tickets/${first.number}/status`, { status: 'pending', waitingOn: 'customer' });
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    await sweepUntil(async () => (await emails(first.number)).some((e) => e.status === 'sent'));
    const ours = (await emails(first.number)).find((e) => e.direction === 'outbound')!;
    const before = sink.mails.length;
    const auto = await mail({ from, subject: '自动回复: Re: 催件', text: '我在休假,下周回来。', inReplyTo: `<${ours.messageId}>`, headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' } });
    expect(auto.number).toBe(first.number);
    const log = await emails(first.number);
    expect(log.at(-1)).toMatchObject({ direction: 'inbound', automated: 'auto_reply', automatedReason: expect.stringContaining('Auto-Submitted') });
    const msg = (await timeline(first.number)).filter((e) => e.kind === 'message').at(-1);
    expect(msg).toMatchObject({ body: '我在休假,下周回来。', data: { author: 'customer', automated: 'auto_reply' } });
    expect((await ticket(first.number)).status).toBe('pending'); // an out-of-office does not reopen it
    await sendDueEmails(h.ctx.db, { crypto: h.ctx.crypto });
    expect(log.filter((e) => e.direction === 'outbound')).toHaveLength(1);
    expect(sink.mails.slice(before).filter((m) => m.parsed.subject?.includes(first.number))).toEqual([]);

    // A new auto-reply (no thread) opens a marked ticket; a loop is recognised too.
    const ooo = await mail({ from: address(), subject: 'Out of Office: back Monday', text: 'away' });
    expect((await ticket(ooo.number)).tags).toContain('email_auto_reply');
    expect((await emails(ooo.number))[0]).toMatchObject({ automated: 'auto_reply' });
    const looped = await mail({ from: address(), subject: 'hello', text: 'x', headers: { 'X-Parceldesk-Loop': OUR_DOMAIN } });
    expect((await emails(looped.number))[0]).toMatchObject({ automated: 'loop' });
    // A real reply later does reopen it.
    await mail({ from, subject: 'Re: 催件', text: '收到了吗?', inReplyTo: `<${ours.messageId}>` });
    expect((await ticket(first.number)).status).toBe('open');
  });

  it('a refusing sink means a retry after the back-off, visible on the ticket, then delivery', async () => {
    const from = address();
    const first = await mail({ from, subject: '投诉', text: '快递员态度差' });
    sink.refuse = true;
    try {
      expect((await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: '非常抱歉,我们会处理', visibility: 'public' })).status).toBe(201);
      await sweepUntil(async () => (await emails(first.number)).some((e) => e.direction === 'outbound' && e.attempts >= 1 && e.status === 'queued'));
      const out = (await emails(first.number)).find((e) => e.direction === 'outbound')!;
      expect(out.lastError).toContain('451');
      expect(out.nextAttemptAt).not.toBeNull();
      const retry = (await timeline(first.number)).filter((e) => e.kind === 'email_retry').at(-1);
      expect(retry).toMatchObject({ visibility: 'internal', data: { emailId: out.id, attempts: expect.any(Number), nextAttemptAt: expect.any(String) } });
      expect(retry.body).toContain('451');
      // The back-off: 0.3 s × 2^(attempt − 1) after the failure (both stamped by the same transaction's clock).
      const backOff = Date.parse(retry.data.nextAttemptAt) - Date.parse(retry.createdAt);
      expect(backOff).toBeGreaterThanOrEqual(Math.min(1000, 300 * 2 ** (retry.data.attempts - 1)) - 1);
    } finally {
      sink.refuse = false;
    }
    await sweepUntil(async () => (await emails(first.number)).some((e) => e.direction === 'outbound' && e.status === 'sent'));
    const out = (await emails(first.number)).find((e) => e.direction === 'outbound')!;
    expect(out.attempts).toBeGreaterThanOrEqual(2);
    expect(out.lastError).toBeNull();
    expect(sinkGot(out.messageId)).toHaveLength(1);
  });

  it('a sink that is down: retried until given up (on the timeline), then sent again by hand', async () => {
    const from = address();
    const first = await mail({ from, subject: '理赔进度', text: '多久赔付?' });
    const down = await startSink();
    await down.close(); // a port nobody listens on any more
    await outbound({ port: down.port, retry: { baseSeconds: 0.05, maxSeconds: 0.1, maxAttempts: 2 } });
    let out: any;
    try {
      expect((await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: '三个工作日内赔付', visibility: 'public' })).status).toBe(201);
      await sweepUntil(async () => (out = (await emails(first.number)).find((e) => e.direction === 'outbound'))?.status === 'failed');
    } finally {
      await outbound();
    }
    expect(out.attempts).toBe(2);
    expect(out.lastError).toMatch(/ECONNREFUSED|connect/i);
    const events = await timeline(first.number);
    expect(events.filter((e) => e.kind === 'email_retry').length).toBeGreaterThanOrEqual(1);
    expect(events.find((e) => e.kind === 'email_failed')?.body).toContain('不再重试');

    // Only a failed mail is sent again; the customer may not; an agent may.
    const customer = await h.user('customer', { customerId: (await ticket(first.number)).customerId });
    expect((await customer.client.post(`/api/v1/email/outbox/${out.id}/retry`)).status).toBe(403);
    const again = await agent.client.post(`/api/v1/email/outbox/${out.id}/retry`);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toEqual({ id: out.id, status: 'queued' });
    expect((await agent.client.post(`/api/v1/email/outbox/${out.id}/retry`)).status).toBe(409);
    expect((await admin.client.post(`/api/v1/email/outbox/${crypto.randomUUID()}/retry`)).status).toBe(404);
    await sweepUntil(async () => (await emails(first.number)).some((e) => e.id === out.id && e.status === 'sent'));
    expect(sinkGot(out.messageId)).toHaveLength(1);
    const audit = await h.ctx.db.pool.query<{ action: string; actor_id: string | null }>(`SELECT action, actor_id FROM audit_log WHERE entity_type = 'email' AND entity_id = $1 ORDER BY id`, [out.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['email.send_retry', 'email.send_failed', 'email.retry', 'email.send']);
    expect(audit.rows[2]!.actor_id).toBe(agent.id);
  });

  it('the optional acknowledgement answers a person’s new mail as an automatic reply, never a machine’s mail or a reply', async () => {
    const base = { ...SETTINGS['email.inbound'].default, maxBytes: MAX_BYTES, maxAttachmentBytes: MAX_ATTACHMENT };
    await putSetting(h.ctx.db.pool, 'email.inbound', { ...base, acknowledge: { enabled: true, text: '已收到,工单号 {number}' } }, null);
    let person: Awaited<ReturnType<typeof mail>>;
    let machine: Awaited<ReturnType<typeof mail>>;
    let bulk: Awaited<ReturnType<typeof mail>>;
    let reply: Awaited<ReturnType<typeof mail>>;
    const from = address();
    try {
      person = await mail({ from, subject: '寄件咨询', text: '能寄锂电池吗?' });
      machine = await mail({ from: address(), subject: '自动回复:不在办公室', text: 'away', headers: { 'Auto-Submitted': 'auto-replied' } });
      bulk = await mail({ from: address(), subject: 'Newsletter', text: 'news', headers: { 'List-Id': '<news.example.com>', Precedence: 'bulk' } });
      reply = await mail({ from, subject: 'Re: 寄件咨询', text: '补充一下', inReplyTo: `<${person.messageId}>` });
    } finally {
      await putSetting(h.ctx.db.pool, 'email.inbound', base, null);
    }
    expect(reply.number).toBe(person.number);
    await sweepUntil(async () => (await emails(person.number)).some((e) => e.direction === 'outbound' && e.status === 'sent'));
    const out = (await emails(person.number)).filter((e) => e.direction === 'outbound');
    expect(out).toHaveLength(1); // one acknowledgement, for the new mail only
    expect(out[0]).toMatchObject({ inReplyTo: person.messageId, references: [person.messageId], eventId: null, subject: `Re: 寄件咨询 [${person.number}]` });
    const got = sinkGot(out[0].messageId);
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.text?.trim()).toBe(`已收到,工单号 ${person.number}`);
    expect(got[0]!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(got[0]!.rcpt).toEqual([from]);
    expect((await emails(machine.number)).filter((e) => e.direction === 'outbound')).toEqual([]);
    expect((await emails(bulk.number)).filter((e) => e.direction === 'outbound')).toEqual([]);
    expect((await emails(bulk.number))[0]).toMatchObject({ automated: 'bulk' });
  });

  it('sweeps running at once send each reply once', async () => {
    const from = address();
    const first = await mail({ from, subject: '并发', text: 'x' });
    for (let i = 0; i < 5; i++) expect((await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: `回复 ${i}`, visibility: 'public' })).status).toBe(201);
    await Promise.all([0, 1, 2].map(() => sendDueEmails(h.ctx.db, { crypto: h.ctx.crypto })));
    await sweepUntil(async () => (await emails(first.number)).filter((e) => e.status === 'sent').length === 5);
    const out = (await emails(first.number)).filter((e) => e.direction === 'outbound');
    expect(out).toHaveLength(5);
    for (const o of out) {
      expect(sinkGot(o.messageId)).toHaveLength(1);
      expect(o.attempts).toBe(1);
    }
    // Each reply answers the newest mail of the thread, so the chain grows.
    expect(out[4].references).toEqual([first.messageId, ...out.slice(0, 4).map((o) => o.messageId)]);
  });

  it('a ticket that never saw mail sends none; an e-mail ticket typed in for a customer with an address does', async () => {
    const phoneTicket = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'phone', subject: '电话咨询' });
    expect(phoneTicket.status).toBe(201);
    await agent.client.post(`/api/v1/tickets/${phoneTicket.body.id}/messages`, { body: '已答复', visibility: 'public' });
    expect(await emails(phoneTicket.body.number)).toEqual([]);
    const from = address();
    const c = await withTx(h.ctx.db, (tx) => createCustomer(tx, h.ctx.crypto, null, { name: '赵六', email: from }));
    const t = await agent.client.post('/api/v1/tickets', { type: 'consultation', channel: 'email', subject: '来信登记', customerId: c.id });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    await agent.client.post(`/api/v1/tickets/${t.body.id}/messages`, { body: '您好', visibility: 'public' });
    await sweepUntil(async () => (await emails(t.body.number)).some((e) => e.status === 'sent'));
    const [o] = await emails(t.body.number);
    expect(o).toMatchObject({ inReplyTo: null, references: [], subject: `Re: 来信登记 [${t.body.number}]` });
    expect(sinkGot(o.messageId)[0]!.rcpt).toEqual([from]);
  });
});

describe('the server', () => {
  it('starts the SMTP listener when setting email.inbound says so, and exposes its port', async () => {
    const base = { ...SETTINGS['email.inbound'].default, maxBytes: MAX_BYTES, maxAttachmentBytes: MAX_ATTACHMENT };
    await putSetting(h.ctx.db.pool, 'email.inbound', { ...base, enabled: true, host: '127.0.0.1', port: 0 }, null);
    let server: Awaited<ReturnType<typeof startServer>> | null = null;
    try {
      server = await startServer(testConfig(), { ctx: h.ctx, jobs: false });
    } finally {
      await putSetting(h.ctx.db.pool, 'email.inbound', base, null);
    }
    try {
      expect(server.smtpPort).toBeGreaterThan(0);
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort!, ignoreTLS: true });
      const info = await t.sendMail({ from: address(), to: 'kefu@shunda-mail-test.example', subject: 'via the server', text: 'hi' });
      expect(info.response).toMatch(/^250 .*received as ticket/);
    } finally {
      await server.stop();
    }
    const off = await startServer(testConfig(), { ctx: h.ctx, jobs: false });
    expect(off.smtpPort).toBeNull();
    await off.stop();
  });
});

describe('two server processes on one database', () => {
  it('their job runners drain the outbox together and send every reply exactly once', { timeout: 240_000 }, async () => {
    await outbound();
    const from = address();
    const first = await mail({ from, subject: '两个进程', text: 'x' });
    const REPLIES = 12;
    for (let i = 0; i < REPLIES; i++) expect((await agent.client.post(`/api/v1/tickets/${first.number}/messages`, { body: `进程回复 ${i}`, visibility: 'public' })).status).toBe(201);
    let procs: ServerProcess[] = [];
    try {
      const settled = await Promise.allSettled([1, 2].map((i) => spawnServer({ name: `mail-${i}`, jobs: true, jobNames: ['email-outbox'], jobIntervalScale: 0.1 })));
      procs = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const until = Date.now() + 120_000;
      for (;;) {
        const sent = (await emails(first.number)).filter((e) => e.direction === 'outbound' && e.status === 'sent').length;
        if (sent === REPLIES) break;
        if (Date.now() > until) throw new Error(`only ${sent} of ${REPLIES} replies sent by the two processes\n${procs.map((p) => p.output()).join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await stopServers(procs, 5_000);
    }
    const out = (await emails(first.number)).filter((e) => e.direction === 'outbound');
    expect(out).toHaveLength(REPLIES);
    for (const o of out) {
      expect(sinkGot(o.messageId), o.messageId).toHaveLength(1);
      expect(o.attempts).toBe(1);
    }
  });
});
