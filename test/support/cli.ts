/**
 * Runs `node bin/parceldesk.js <command>` as the operator would, and private scratch databases for
 * commands that must not touch the run's shared database (restore replaces everything): a fresh
 * PGlite data folder, or a fresh database on the PostgreSQL server of DATABASE_URL.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import type { Config } from '../../src/platform/config.ts';
import { testConfig } from './harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'parceldesk.js');

export interface CliResult {
  /** Exit code; null when the process was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: nothing inherited that points at a database, plus the given settings. */
function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith('PARCELDESK_')) delete base[k];
  delete base.DATABASE_URL;
  delete base.NODE_OPTIONS; // vitest's worker flags are not for the CLI
  delete base.LOG_LEVEL;
  return { ...base, ...env };
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 90_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv(env), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      let code: number | null = 0;
      if (err) code = typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Human-readable dump of a CLI result, for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

export interface ScratchDatabase {
  kind: 'pglite' | 'postgresql';
  /** PGlite: the data folder; PostgreSQL: a folder for the CLI's PARCELDESK_DATA (unused with a secret). */
  dataDir: string;
  databaseUrl: string | null;
  /** Environment for the CLI pointing at this database, with the tests' secret. */
  env: Record<string, string>;
  /** Config for an in-process server or context on this database. */
  config(overrides?: Partial<Config>): Config;
  /** A plain connection (no migration); in PGlite mode it joins or starts the embedded process. */
  open(): Promise<Database>;
  /** Closes what open() returned and removes the database. */
  drop(): Promise<void>;
}

export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const runUrl = inject('databaseUrl');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `pdcli-${label}-`));
  let databaseUrl: string | null = null;
  let name = '';
  if (runUrl) {
    name = `parceldesk_cli_${label}_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: runUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(runUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const secret = testConfig().secret!;
  const opened: Database[] = [];
  return {
    kind: databaseUrl ? 'postgresql' : 'pglite',
    dataDir,
    databaseUrl,
    env: { PARCELDESK_DATA: dataDir, PARCELDESK_SECRET: secret, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
    config: (overrides = {}) => testConfig({ dataDir, databaseUrl, ...overrides }),
    async open() {
      const db = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
      opened.push(db);
      return db;
    },
    async drop() {
      for (const db of opened.splice(0)) await db.close().catch(() => undefined);
      if (runUrl) {
        const admin = new pg.Client({ connectionString: runUrl });
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.end();
        }
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
