/**
 * The embedded database process. PGlite runs queries on the thread that calls it, so it lives
 * here, in its own process, and every other part of Parceldesk talks to it through `pg` over a
 * socket exactly as it would to PostgreSQL. One PGlite process serves a data folder at a time:
 * a lock file guards it and `pglite.json` tells later processes (the CLI while the server runs)
 * where to connect.
 *
 * Usage: node --import tsx src/db/pglite-server.ts <dataDir>
 * Exit code 3: another live process already serves this data folder.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { embeddedFiles, isProcessAlive, type EmbeddedInfo } from './embedded-files.ts';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: pglite-server <dataDir>');
  process.exit(2);
}
const files = embeddedFiles(dataDir);
fs.mkdirSync(dataDir, { recursive: true });

function takeLock(): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(files.lock, String(process.pid), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(files.lock, 'utf8'));
      if (isProcessAlive(owner)) return false;
      fs.rmSync(files.lock, { force: true }); // stale: its owner died without cleaning up
    }
  }
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * pglite-socket queues single protocol messages and keeps a connection's turn only while a
 * transaction is open (electric-sql/pglite#1046). An extended-query batch (Parse, Bind, Describe,
 * Execute … Sync) is no transaction, so batches of two connections interleaved in PGlite's one
 * session: "portal "" does not exist", hung connections, or another query's rows. This view of the
 * database reports "in a transaction" from a batch's first message until its Sync, so the queue
 * keeps that connection's turn until the batch is complete.
 */
function keepBatchesWhole(db: PGlite): PGlite {
  const BATCH = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]); // Parse, Bind, Describe, Execute, Close, Flush
  const END = new Set([0x53, 0x51]); // Sync, simple Query
  let inBatch = false;
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'isInTransaction') return () => inBatch || target.isInTransaction();
      if (prop === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          const type = message[0] ?? 0;
          if (BATCH.has(type)) inBatch = true;
          try {
            return await target.execProtocolRawStream(message, options);
          } finally {
            if (END.has(type)) inBatch = false;
          }
        };
      }
      // exec is only the ROLLBACK after a connection dropped mid-transaction: its batch is over too.
      if (prop === 'exec') return async (...args: Parameters<PGlite['exec']>) => target.exec(...args).finally(() => (inBatch = false));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function main(): Promise<void> {
  if (!takeLock()) process.exit(3);
  const db = await PGlite.create(path.join(dataDir!, 'pgdata'), { extensions: { pg_trgm } });
  // Unix socket paths are limited to ~107 bytes; fall back to loopback TCP for deep folders.
  const useSocket = files.socket.length < 100;
  let info: EmbeddedInfo;
  let server: PGLiteSocketServer;
  if (useSocket) {
    fs.rmSync(files.socket, { force: true });
    server = new PGLiteSocketServer({ db: keepBatchesWhole(db), path: files.socket, maxConnections: 200 });
    info = { pid: process.pid, host: path.resolve(dataDir!), port: 5432 };
  } else {
    const port = await freePort();
    server = new PGLiteSocketServer({ db: keepBatchesWhole(db), host: '127.0.0.1', port, maxConnections: 200 });
    info = { pid: process.pid, host: '127.0.0.1', port };
  }
  await server.start();
  fs.writeFileSync(files.info, JSON.stringify(info));

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await server.stop();
      await db.close();
    } finally {
      fs.rmSync(files.info, { force: true });
      fs.rmSync(files.lock, { force: true });
      if (useSocket) fs.rmSync(files.socket, { force: true });
      process.exit(code);
    }
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  // The process that started us owns our lifetime; when it goes, we stay while other processes
  // (a server or CLI that joined through pglite.json) are still connected, then flush and go.
  process.on('disconnect', () => {
    const check = (): void => {
      if (server.getStats().activeConnections === 0) void stop(0);
      else setTimeout(check, 500);
    };
    check();
  });
  process.send?.({ ready: true, info });
}

main().catch((err: unknown) => {
  console.error('pglite-server failed:', err);
  fs.rmSync(files.lock, { force: true });
  process.exit(1);
});
