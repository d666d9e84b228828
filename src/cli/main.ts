/** `parceldesk <command>` — the operator's entry point. */
import { parseArgs } from 'node:util';
import { withTx } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { ROLES, type Role } from '../domain/policy.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../demo/seed-demo.ts';
import { readConfig } from '../platform/config.ts';
import { openContext, startServer } from '../server.ts';
import { createApiKey, createUser } from '../services/accounts/accounts.ts';
import { verifyAuditLog } from '../services/audit/verify-audit-log.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';

const HELP = `usage: parceldesk <command>

  start [--demo]                        start the server (PORT, DATABASE_URL, PARCELDESK_DATA); --demo seeds demo data once
  migrate                               apply database migrations
  seed-demo                             load demo teams, users, customers and tickets
  create-user --username U --password P --role R [--display-name N]
  create-api-key --name N --role R      prints the key alone on the last line
  backup <file>                         write a backup (gzip JSON lines)
  restore <file>                        replace all data with a backup
  verify-audit                          check the audit hash chain; non-zero exit names the first broken entry

roles: ${ROLES.join(', ')}`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = readConfig();
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'display-name': { type: 'string' },
    },
  });

  switch (command) {
    case 'start': {
      // PARCELDESK_JOB_INTERVAL_SCALE shortens (or stretches) how often background jobs are queued, e.g. 0.1 in tests.
      const scaleEnv = process.env.PARCELDESK_JOB_INTERVAL_SCALE;
      const jobIntervalScale = scaleEnv !== undefined && scaleEnv !== '' ? Number(scaleEnv) : undefined;
      if (jobIntervalScale !== undefined && !(Number.isFinite(jobIntervalScale) && jobIntervalScale > 0)) fail(`PARCELDESK_JOB_INTERVAL_SCALE must be a positive number, got "${scaleEnv}"`);
      const server = await startServer(config, { logger: process.env.LOG_LEVEL !== undefined, ...(jobIntervalScale !== undefined ? { jobIntervalScale } : {}) });
      if (values.demo) {
        const seeded = await seedDemo(server.ctx);
        if (seeded.tickets) console.log(`demo data loaded: ${seeded.users} users, ${seeded.customers} customers, ${seeded.tickets} tickets`);
      }
      console.log(`Parceldesk is running at ${server.url}  (database: ${server.ctx.db.kind}${server.ctx.db.kind === 'pglite' ? `, data in ${config.dataDir}` : ''})`);
      console.log(`API docs: ${server.url}/api/docs`);
      if (server.smtpPort !== null) console.log(`E-mail intake (SMTP) on port ${server.smtpPort}`);
      console.log(`agent workspace: ${server.url}/   customer portal: ${server.url}/portal/   chat widget demo: ${server.url}/widget-demo.html`);
      if (values.demo) console.log(`demo logins (password "${DEMO_PASSWORD}"): ${DEMO_LOGINS.map((l) => `${l.username} (${l.role})`).join(', ')}, customer (customer)`);
      const shutdown = (): void => {
        server.stop().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return;
    }
    case 'migrate': {
      const { openDatabase } = await import('../db/database.ts');
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrate(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
      return;
    }
    default:
      break;
  }

  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return;
  }
  const known = ['seed-demo', 'create-user', 'create-api-key', 'backup', 'restore', 'verify-audit'];
  if (!known.includes(command)) fail(`unknown command "${command}"\n\n${HELP}`);

  const role = values.role as Role | undefined;
  if ((command === 'create-user' || command === 'create-api-key') && (!role || !ROLES.includes(role))) fail(`--role must be one of ${ROLES.join(', ')}`);
  if ((command === 'backup' || command === 'restore') && !positionals[0]) fail(`usage: parceldesk ${command} <file>`);

  const ctx = await openContext(config);
  try {
    switch (command) {
      case 'seed-demo': {
        const r = await seedDemo(ctx);
        console.log(r.tickets ? `demo data loaded: ${r.users} users, ${r.customers} customers, ${r.tickets} tickets` : 'demo data already present');
        break;
      }
      case 'create-user': {
        if (!values.username || !values.password) fail('create-user needs --username and --password');
        if (role === 'customer') fail('customer accounts are created from a customer record (API), not here');
        if (role === 'integration') fail('the integration role is for API keys: use create-api-key');
        const u = await withTx(ctx.db, (tx) => createUser(tx, null, { username: values.username!, password: values.password!, role: role!, ...(values['display-name'] ? { displayName: values['display-name'] } : {}) }));
        console.log(`created user ${u.username} (${u.role}) ${u.id}`);
        break;
      }
      case 'create-api-key': {
        if (!values.name) fail('create-api-key needs --name');
        if (role === 'customer') fail('API keys cannot have the customer role');
        const k = await withTx(ctx.db, (tx) => createApiKey(tx, null, values.name!, role as Exclude<Role, 'customer'>));
        console.log(`created API key "${values.name}" (${role}) ${k.id}; store it now, it is not shown again:`);
        console.log(k.key);
        break;
      }
      case 'backup': {
        const r = await backupDatabase(ctx.db, positionals[0]!);
        console.log(`backup written to ${positionals[0]}: ${r.rows} rows from ${r.tables} tables`);
        break;
      }
      case 'restore': {
        const r = await restoreDatabase(ctx.db, positionals[0]!);
        console.log(`restored ${r.rows} rows into ${r.tables} tables from ${positionals[0]}`);
        break;
      }
      case 'verify-audit': {
        const v = await verifyAuditLog(ctx.db);
        if (v.ok) {
          console.log(`audit log intact: ${v.entries} entries verified${v.unsealed ? `, ${v.unsealed} not yet sealed (transactions still open)` : ''}`);
        } else {
          console.error(`audit log BROKEN at entry ${v.seq}${v.id !== null ? ` (row id ${v.id})` : ''}: ${v.reason}`);
          process.exitCode = 1;
        }
        break;
      }
    }
  } catch (err) {
    const e = err as { code?: string; message?: string };
    console.error(`${command} failed: ${e.message ?? String(err)}`);
    process.exitCode = 1;
  } finally {
    await ctx.db.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
