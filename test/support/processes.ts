/**
 * Real `parceldesk start` server processes for tests that need several servers on one database
 * (the SLA sweep's exactly-once guarantee). Each joins the run's database: PostgreSQL through
 * DATABASE_URL, or the embedded PGlite process through PARCELDESK_DATA.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { testConfig } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'parceldesk.js');

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  /** Base URL, known once the process printed it. */
  url: string;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL when it has not exited within `graceMs`. Resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name?: string;
  jobs?: boolean;
  /** Only these background jobs (PARCELDESK_JOBS=a,b): the embedded database serves every process, so tests run just the jobs they test. */
  jobNames?: string[];
  /** PARCELDESK_JOB_INTERVAL_SCALE: 0.1 queues the SLA sweep every 0.5 s instead of 5 s. */
  jobIntervalScale?: number;
  env?: Record<string, string>;
  /** Arguments after `start`, e.g. ['--demo']. */
  args?: string[];
  /** How long to wait for the "running at" line and a 200 from /healthz. */
  startTimeoutMs?: number;
}

/** The child's environment: the run's database, the tests' secret, loopback on a free port. */
function childEnv(opts: SpawnOptions): NodeJS.ProcessEnv {
  const config = testConfig();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.LOG_LEVEL; // no request logging: the test reads the "running at" line from stdout
  delete env.NODE_OPTIONS; // vitest's worker flags are not for the server
  const databaseUrl = inject('databaseUrl');
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  env.PARCELDESK_DATA = inject('dataDir');
  env.PARCELDESK_SECRET = config.secret ?? '';
  env.PORT = '0';
  env.HOST = '127.0.0.1';
  env.PARCELDESK_JOBS = opts.jobs === false ? 'off' : opts.jobNames ? opts.jobNames.join(',') : 'on';
  if (opts.jobIntervalScale !== undefined) env.PARCELDESK_JOB_INTERVAL_SCALE = String(opts.jobIntervalScale);
  return { ...env, ...opts.env };
}

export async function spawnServer(opts: SpawnOptions = {}): Promise<ServerProcess> {
  const name = opts.name ?? 'server';
  const child = spawn(process.execPath, [BIN, 'start', ...(opts.args ?? [])], { cwd: ROOT, env: childEnv(opts), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const proc: ServerProcess = {
    name,
    child,
    url: '',
    output: () => out,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 90_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
      if (Date.now() > deadline) throw new Error(`${name} did not start in time`);
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        proc.url = m[1]!;
        const ok = await fetch(`${proc.url}/healthz`).then((r) => r.status === 200, () => false);
        if (ok) return proc;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await proc.stop(1_000);
    throw new Error(`${(err as Error).message}\n--- output of ${name} ---\n${out}`);
  }
}

/** Stops them all at once (each SIGTERM, SIGKILL after the grace period). */
export async function stopServers(procs: ServerProcess[], graceMs = 5_000): Promise<void> {
  await Promise.all(procs.map((p) => p.stop(graceMs)));
}
