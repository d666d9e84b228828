import path from 'node:path';

/** Everything the process reads from its environment, read once, in one place. */
export interface Config {
  /** Folder holding the embedded database, the key file and the backups. */
  dataDir: string;
  /** Set when a real PostgreSQL is used; absent means embedded PGlite. */
  databaseUrl: string | null;
  port: number;
  host: string;
  /** Secret for personal-data encryption and phone hashing; absent → key file beside the data. */
  secret: string | null;
  /** Run background jobs (SLA sweep, …) in this process. */
  jobs: boolean;
  /** Only these jobs (PARCELDESK_JOBS=sla-sweep,chat-sweep); null = all of them. */
  jobNames: string[] | null;
  logLevel: string;
  /** Password for the outbound SMTP server (setting email.outbound.username), never stored in settings. */
  smtpPassword?: string | null;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    dataDir: path.resolve(env.PARCELDESK_DATA ?? 'data'),
    databaseUrl: env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : null,
    port,
    host: env.HOST ?? '0.0.0.0',
    secret: env.PARCELDESK_SECRET && env.PARCELDESK_SECRET !== '' ? env.PARCELDESK_SECRET : null,
    // PARCELDESK_JOBS: on (default, every job), off (none: a web-only process), or a list of job names.
    jobs: env.PARCELDESK_JOBS !== 'off',
    jobNames: env.PARCELDESK_JOBS && !['on', 'off', ''].includes(env.PARCELDESK_JOBS) ? env.PARCELDESK_JOBS.split(',').map((s) => s.trim()).filter(Boolean) : null,
    logLevel: env.LOG_LEVEL ?? 'info',
    smtpPassword: env.PARCELDESK_SMTP_PASSWORD && env.PARCELDESK_SMTP_PASSWORD !== '' ? env.PARCELDESK_SMTP_PASSWORD : null,
  };
}
