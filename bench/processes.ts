/**
 * The benchmark's view of processes: the server under test runs as its own child process (so the
 * load generator does not share its event loop), API keys come from the real CLI, and CPU time is
 * read from /proc to show where the machine's two cores went.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'bin', 'parceldesk.js');

export interface ServerEnv {
  databaseUrl: string | null;
  dataDir: string;
}

function childEnv(s: ServerEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PARCELDESK_DATA: s.dataDir, PARCELDESK_SECRET: 'bench-secret-not-for-production', ...extra };
  delete env.LOG_LEVEL; // `parceldesk start` without LOG_LEVEL: no request log, as run by default
  if (s.databaseUrl) env.DATABASE_URL = s.databaseUrl;
  else delete env.DATABASE_URL;
  return env;
}

/** Runs `fn` on one connection to the PostgreSQL at `url` (creating and dropping bench databases). */
export async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Lines the server wrote to stderr (errors are printed there). */
  stderr(): string;
  stop(): Promise<void>;
}

/** `node bin/parceldesk.js start` with background jobs on, as in production; resolves once it listens. */
export async function startServerProcess(s: ServerEnv): Promise<ServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [cli, 'start'], {
    cwd: repoRoot,
    env: childEnv(s, { PORT: String(port), HOST: '127.0.0.1', PARCELDESK_JOBS: 'on' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 120 s\n${out}\n${err}`)), 120_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening\n${out}\n${err}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
        }, 30_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Runs a CLI command against the same database; returns stdout. */
export async function runCli(s: ServerEnv, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env: childEnv(s), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`parceldesk ${args.join(' ')} exited with ${code}: ${err || out}`);
  return out;
}

export async function createApiKey(s: ServerEnv, name: string, role: string): Promise<string> {
  const out = await runCli(s, ['create-api-key', '--name', name, '--role', role]);
  const key = out.trim().split('\n').pop()?.trim();
  if (!key) throw new Error(`create-api-key printed no key: ${out}`);
  return key;
}

// ---- CPU accounting from /proc (Linux); elsewhere the numbers are simply absent ----

const TICK = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  cpuTicks: number;
}

function readProcStat(pid: number): ProcStat | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // after "pid (comm) ": state ppid … utime(14th field overall → index 11) stime(index 12)
    return { pid, ppid: Number(f[1]), comm, cpuTicks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

function allProcs(): ProcStat[] {
  if (process.platform !== 'linux') return [];
  const out: ProcStat[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const st = readProcStat(Number(e));
    if (st) out.push(st);
  }
  return out;
}

function machineTicks(): { total: number; idle: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    return { total, idle: (v[3] ?? 0) + (v[4] ?? 0) };
  } catch {
    return null;
  }
}

export interface CpuSnapshot {
  at: number;
  bench: number;
  server: number;
  postgres: number;
  machine: { total: number; idle: number } | null;
}

/** CPU seconds so far of: this process, the server process tree (incl. an embedded PGlite), all `postgres` processes. */
export function cpuSnapshot(serverPid: number | null): CpuSnapshot {
  const procs = allProcs();
  const byParent = new Map<number, ProcStat[]>();
  for (const p of procs) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  let server = 0;
  if (serverPid !== null) {
    const stack = procs.filter((p) => p.pid === serverPid);
    while (stack.length) {
      const p = stack.pop()!;
      server += p.cpuTicks;
      stack.push(...(byParent.get(p.pid) ?? []));
    }
  }
  const postgres = procs.filter((p) => p.comm === 'postgres').reduce((a, p) => a + p.cpuTicks, 0);
  const u = process.cpuUsage();
  return { at: performance.now(), bench: (u.user + u.system) / 1e6, server: server / TICK, postgres: postgres / TICK, machine: machineTicks() };
}

export interface CpuUse {
  wallSeconds: number;
  /** CPU seconds per wall second (1.0 = one core busy). */
  benchCores: number;
  serverCores: number;
  postgresCores: number;
  machineBusyCores: number | null;
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const wall = (b.at - a.at) / 1000;
  const r = (x: number): number => Math.round((x / wall) * 100) / 100;
  let busy: number | null = null;
  if (a.machine && b.machine && b.machine.total > a.machine.total) {
    busy = Math.round(((1 - (b.machine.idle - a.machine.idle) / (b.machine.total - a.machine.total)) * os.cpus().length) * 100) / 100;
  }
  return { wallSeconds: Math.round(wall * 10) / 10, benchCores: r(b.bench - a.bench), serverCores: r(b.server - a.server), postgresCores: r(b.postgres - a.postgres), machineBusyCores: busy };
}

export function loadAvg(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [round2(a ?? 0), round2(b ?? 0), round2(c ?? 0)];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Other work on this machine (test suites, builds) distorts a benchmark on two cores. Waits, up to
 * `maxMs`, for a 2-second window in which the machine is mostly idle; returns how busy it was.
 */
export async function waitForQuiet(maxMs = 60_000, busyCoresBelow = 0.3): Promise<{ waitedMs: number; busyCores: number | null }> {
  const started = Date.now();
  let busy: number | null = null;
  for (;;) {
    const a = cpuSnapshot(null);
    await new Promise((r) => setTimeout(r, 2000));
    busy = cpuBetween(a, cpuSnapshot(null)).machineBusyCores;
    if (busy === null || busy < busyCoresBelow || Date.now() - started > maxMs) return { waitedMs: Date.now() - started, busyCores: busy };
  }
}
