/**
 * Live chat at scale (issue 4): BENCH_CHAT_CLIENTS (1 000) customers chatting over WebSockets with
 * BENCH_CHAT_AGENTS (50) agents, across two `parceldesk start` processes on one fresh PostgreSQL
 * database. Customers and agents are spread over both processes, so about half of the messages
 * cross from one process to the other through LISTEN/NOTIFY. Each customer sends a message every
 * BENCH_CHAT_INTERVAL_MS (5 000, random phase) for BENCH_CHAT_SECONDS (30); the end-to-end time is
 * from the customer's send to the agent's socket receiving it (both ends in this process, one
 * clock). Every message must reach its agent exactly once. Target: p99 < 100 ms, none lost or
 * duplicated. `npm run bench -- chat` runs only this.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import WebSocket from 'ws';
import { hashPassword } from '../src/platform/passwords.ts';
import { cpuBetween, cpuSnapshot, loadAvg, repoRoot, startServerProcess, withAdmin, type ServerEnv, type ServerProcess } from './processes.ts';
import { percentiles, type Percentiles } from './stats.ts';

const env = process.env;
const num = (name: string, def: number): number => {
  const v = Number(env[name] ?? def);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const CLIENTS = Math.round(num('BENCH_CHAT_CLIENTS', 1000));
const AGENTS = Math.round(num('BENCH_CHAT_AGENTS', 50));
const INTERVAL_MS = num('BENCH_CHAT_INTERVAL_MS', 5000);
const SECONDS = num('BENCH_CHAT_SECONDS', 30);
const PG_URL = env.BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_P99_MS = 100;
const PASSWORD = 'bench-agent-password';

const log = (m: string): void => console.log(`[chat] ${m}`);

export interface ChatBenchResult {
  clients: number;
  agents: number;
  intervalMs: number;
  seconds: number;
  sent: number;
  acked: number;
  delivered: number;
  lost: number;
  duplicated: number;
  messagesPerSecond: number;
  latency: Percentiles | null;
  crossProcess: Percentiles | null;
  sameProcess: Percentiles | null;
  ackLatency: Percentiles | null;
  cpu: { processes: Record<string, number>; bench: number; postgres: number; machine: number | null } | null;
  loadBefore: number[];
  loadAfter: number[];
  targetMet: boolean | null;
  errors: string[];
}

class Sock {
  private handlers: ((f: any) => void)[] = [];
  constructor(readonly ws: WebSocket, readonly process: 'a' | 'b') {
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      for (const h of this.handlers) h(f);
    });
  }
  static open(url: string, proc: 'a' | 'b', opts: { bearer?: string; conversation?: string; token?: string }): Promise<Sock> {
    const u = new URL('/api/v1/chat/ws', url.replace(/^http/, 'ws'));
    if (opts.conversation) u.searchParams.set('conversation', opts.conversation);
    if (opts.token) u.searchParams.set('token', opts.token);
    const ws = new WebSocket(u, opts.bearer ? { headers: { authorization: `Bearer ${opts.bearer}` } } : {});
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Sock(ws, proc)));
      ws.once('error', reject);
    });
  }
  on(fn: (f: any) => void): void {
    this.handlers.push(fn);
  }
  once(test: (f: any) => boolean, ms = 30_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), ms);
      const h = (f: any): void => {
        if (!test(f)) return;
        clearTimeout(timer);
        this.handlers = this.handlers.filter((x) => x !== h);
        resolve(f);
      };
      this.handlers.push(h);
    });
  }
  send(f: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(f));
  }
}

async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

export async function runChatBench(): Promise<ChatBenchResult> {
  const out: ChatBenchResult = {
    clients: CLIENTS, agents: AGENTS, intervalMs: INTERVAL_MS, seconds: SECONDS, sent: 0, acked: 0, delivered: 0, lost: 0, duplicated: 0,
    messagesPerSecond: 0, latency: null, crossProcess: null, sameProcess: null, ackLatency: null, cpu: null, loadBefore: loadAvg(), loadAfter: [], targetMet: null, errors: [],
  };
  const name = `parceldesk_chat_${Date.now()}_${process.pid}`;
  await withAdmin(PG_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parceldesk-bench-chat-'));
  const s: ServerEnv = { databaseUrl: url.toString(), dataDir };
  const servers: ServerProcess[] = [];
  const sockets: Sock[] = [];
  const db = new pg.Pool({ connectionString: url.toString(), max: 4 });
  try {
    log(`starting two server processes on a fresh PostgreSQL database ${name}`);
    servers.push(await startServerProcess(s));
    servers.push(await startServerProcess(s));
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const urlOf = (p: 'a' | 'b'): string => (p === 'a' ? a.url : b.url);

    // Agents: one team, a password each, logged in on the process their console will use.
    const team = (await db.query<{ id: string }>(`INSERT INTO teams (code, name, strategy) VALUES ('bench_chat', '压测在线客服组', 'least_loaded') RETURNING id`)).rows[0]!.id;
    const hash = await hashPassword(PASSWORD);
    const agents: { id: string; token: string; proc: 'a' | 'b' }[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const id = (await db.query<{ id: string }>(`INSERT INTO users (username, display_name, role, password_hash) VALUES ($1, $2, 'agent', $3) RETURNING id`, [`bench.chat.${i}`, `客服${i}`, hash])).rows[0]!.id;
      await db.query('INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)', [team, id]);
      const proc = i % 2 === 0 ? 'a' : 'b';
      const res = await fetch(`${urlOf(proc)}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${i >> 8}.${i & 255}` }, body: JSON.stringify({ username: `bench.chat.${i}`, password: PASSWORD }) });
      if (res.status !== 200) throw new Error(`agent login failed: ${res.status} ${await res.text()}`);
      agents.push({ id, token: ((await res.json()) as { token: string }).token, proc });
    }
    const capacity = Math.min(20, Math.max(1, Math.ceil(CLIENTS / AGENTS)));
    if (capacity * AGENTS < CLIENTS) throw new Error(`${AGENTS} agents × 20 chats cannot take ${CLIENTS} customers; raise BENCH_CHAT_AGENTS`);
    const agentSocks = new Map<string, Sock>();
    for (const ag of agents) {
      const res = await fetch(`${urlOf(ag.proc)}/api/v1/chat/presence`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${ag.token}` }, body: JSON.stringify({ status: 'online', capacity }) });
      if (res.status !== 200) throw new Error(`presence failed: ${res.status}`);
      const sock = await Sock.open(urlOf(ag.proc), ag.proc, { bearer: ag.token });
      sockets.push(sock);
      agentSocks.set(ag.id, sock);
    }

    // Customers start their chats (alternating processes) and are routed to the agents.
    log(`starting ${CLIENTS} chats`);
    const chats: { id: string; token: string; proc: 'a' | 'b'; agentId: string; sock?: Sock }[] = [];
    await pool(Array.from({ length: CLIENTS }, (_, i) => i), 20, async (i) => {
      const proc = i % 2 === 0 ? 'a' : 'b';
      const res = await fetch(`${urlOf(proc)}/api/v1/chat/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `客户${i}`, team: 'bench_chat', clientId: `bench-start-${i}-${randomUUID()}` }) });
      const body = (await res.json()) as { conversation: { id: string; status: string; agent: { id: string } | null }; visitorToken: string };
      if (res.status !== 201) throw new Error(`chat start failed: ${res.status} ${JSON.stringify(body)}`);
      if (!body.conversation.agent) throw new Error(`chat ${i} was not routed (status ${body.conversation.status})`);
      chats[i] = { id: body.conversation.id, token: body.visitorToken, proc: i % 4 < 2 ? 'a' : 'b', agentId: body.conversation.agent.id };
    });
    // Agents follow their chats; customers connect (on a process chosen independently of their agent's).
    const agentProc = new Map(agents.map((a) => [a.id, a.proc]));
    await pool(chats, 20, async (c) => {
      const sock = agentSocks.get(c.agentId)!;
      const hist = sock.once((f) => f.type === 'history' && f.conversation.id === c.id);
      sock.send({ type: 'watch', conversationId: c.id });
      await hist;
    });
    await pool(chats, 20, async (c) => {
      c.sock = await Sock.open(urlOf(c.proc), c.proc, { conversation: c.id, token: c.token });
      sockets.push(c.sock);
      const hist = c.sock.once((f) => f.type === 'history');
      c.sock.send({ type: 'hello' });
      await hist;
    });

    // Measure: each message from its send to the agent's socket.
    const sentAt = new Map<string, { t: number; cross: boolean }>();
    const received = new Map<string, number>();
    const all: number[] = [];
    const cross: number[] = [];
    const same: number[] = [];
    const acks: number[] = [];
    for (const sock of agentSocks.values()) {
      sock.on((f) => {
        if (f.type !== 'message' || f.message.author !== 'customer' || !f.message.clientId) return;
        const id = f.message.clientId as string;
        const s0 = sentAt.get(id);
        if (!s0) return;
        const n = (received.get(id) ?? 0) + 1;
        received.set(id, n);
        if (n > 1) return;
        const ms = performance.now() - s0.t;
        all.push(ms);
        (s0.cross ? cross : same).push(ms);
      });
    }
    for (const c of chats) {
      c.sock!.on((f) => {
        if (f.type === 'ack') {
          const s0 = sentAt.get(f.clientId);
          if (s0) {
            out.acked += 1;
            acks.push(performance.now() - s0.t);
          }
        } else if (f.type === 'error') out.errors.length < 20 && out.errors.push(`customer socket error: ${f.code} ${f.message}`);
      });
    }
    out.loadBefore = loadAvg();
    const cpu0 = cpuSnapshot(null);
    const procCpu0 = servers.map((p) => cpuSnapshot(p.pid));
    log(`${CLIENTS} customers send a message every ${INTERVAL_MS} ms for ${SECONDS} s`);
    const end = performance.now() + SECONDS * 1000;
    const timers: NodeJS.Timeout[] = [];
    let seq = 0;
    await new Promise<void>((resolve) => {
      for (const c of chats) {
        const fire = (): void => {
          if (performance.now() >= end) return;
          const clientId = `b-${++seq}-${randomUUID().slice(0, 8)}`;
          sentAt.set(clientId, { t: performance.now(), cross: c.proc !== agentProc.get(c.agentId) });
          c.sock!.send({ type: 'message', clientId, body: `压测消息 ${seq}:请问我的快递到哪里了?` });
          out.sent += 1;
          timers.push(setTimeout(fire, INTERVAL_MS));
        };
        timers.push(setTimeout(fire, Math.random() * INTERVAL_MS));
      }
      setTimeout(resolve, SECONDS * 1000);
    });
    for (const t of timers) clearTimeout(t);
    // Stragglers: wait until everything arrived or 15 s passed.
    const waitEnd = Date.now() + 15_000;
    while (Date.now() < waitEnd && received.size < out.sent) await new Promise((r) => setTimeout(r, 100));
    const cpu1 = cpuSnapshot(null);
    const procCpu1 = servers.map((p) => cpuSnapshot(p.pid));
    out.loadAfter = loadAvg();
    const machine = cpuBetween(cpu0, cpu1);
    out.cpu = {
      processes: Object.fromEntries(servers.map((_, i) => [`server-${i === 0 ? 'a' : 'b'}`, cpuBetween(procCpu0[i]!, procCpu1[i]!).serverCores])),
      bench: machine.benchCores,
      postgres: machine.postgresCores,
      machine: machine.machineBusyCores,
    };
    out.delivered = received.size;
    out.lost = out.sent - received.size;
    out.duplicated = [...received.values()].filter((n) => n > 1).length;
    out.messagesPerSecond = Math.round(out.sent / SECONDS);
    out.latency = percentiles(all);
    out.crossProcess = cross.length ? percentiles(cross) : null;
    out.sameProcess = same.length ? percentiles(same) : null;
    out.ackLatency = percentiles(acks);
    // Every message is stored once in the tickets' timelines.
    const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_events WHERE kind = 'message' AND client_id LIKE 'b-%'`);
    if (stored.rows[0]!.n !== out.sent) out.errors.push(`stored ${stored.rows[0]!.n} messages for ${out.sent} sent`);
    out.targetMet = out.latency.p99 < TARGET_P99_MS && out.lost === 0 && out.duplicated === 0;
    for (const p of servers) {
      const err = p.stderr().trim();
      if (err) out.errors.push(`server stderr: ${err.slice(-500)}`);
    }
  } catch (err) {
    out.errors.push((err as Error).stack ?? String(err));
  } finally {
    for (const s0 of sockets) s0.ws.terminate();
    await db.end();
    for (const p of servers) await p.stop();
    await withAdmin(PG_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

export function chatSummary(r: ChatBenchResult): string {
  const p = (x: Percentiles | null): string => (x ? `p50 ${x.p50} ms, p95 ${x.p95} ms, p99 ${x.p99} ms, max ${x.max} ms (n ${x.n})` : '—');
  return [
    `Live chat, ${r.clients} customers / ${r.agents} agents over 2 processes on PostgreSQL, a message every ${r.intervalMs} ms each for ${r.seconds} s:`,
    `  sent ${r.sent} (${r.messagesPerSecond}/s), acked ${r.acked}, delivered to agents ${r.delivered}, lost ${r.lost}, duplicated ${r.duplicated}`,
    `  customer → agent: ${p(r.latency)}`,
    `    across processes: ${p(r.crossProcess)}`,
    `    same process:     ${p(r.sameProcess)}`,
    `  customer's ack:     ${p(r.ackLatency)}`,
    r.cpu ? `  CPU (cores): ${Object.entries(r.cpu.processes).map(([k, v]) => `${k} ${v}`).join(', ')}, postgres ${r.cpu.postgres}, load generator ${r.cpu.bench}, machine ${r.cpu.machine ?? '?'} of ${os.cpus().length}` : '',
    `  load average before ${r.loadBefore.join(' ')}, after ${r.loadAfter.join(' ')}`,
    `  target p99 < ${TARGET_P99_MS} ms with nothing lost or duplicated: ${r.targetMet === null ? 'not measured' : r.targetMet ? 'met' : 'MISSED'}`,
    ...r.errors.map((e) => `  error: ${e}`),
  ].filter(Boolean).join('\n');
}

export async function chatMain(): Promise<void> {
  const r = await runChatBench();
  console.log(chatSummary(r));
  const dir = path.join(repoRoot, '.bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `chat-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ cpus: os.cpus().length, node: process.version, ...r }, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), file)}`);
  if (r.errors.length) process.exitCode = 1;
}
