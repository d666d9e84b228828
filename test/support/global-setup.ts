/**
 * One database for the whole run: a fresh PostgreSQL database when DATABASE_URL is set, otherwise
 * an embedded PGlite process in a temporary folder. Test files connect to it (PGlite: they join the
 * running embedded process through its socket) and isolate themselves by creating their own data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedDefaults } from '../../src/db/seed-defaults.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    dataDir: string;
  }
}

let db: Database | null = null;
let dropDb: (() => Promise<void>) | null = null;
let tmp: string | null = null;

export async function setup(project: TestProject): Promise<void> {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pdt-'));
  let databaseUrl: string | null = null;
  if (process.env.DATABASE_URL) {
    const name = `parceldesk_test_${Date.now()}_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  db = await openDatabase({ databaseUrl, dataDir: tmp });
  await migrate(db);
  await seedDefaults(db);
  project.provide('databaseUrl', databaseUrl);
  project.provide('dataDir', tmp);
}

export async function teardown(): Promise<void> {
  await db?.close();
  await dropDb?.();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
