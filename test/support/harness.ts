/**
 * An in-process Parceldesk server on a random port, talking to the run's database, plus small
 * factories that create the data a test needs (unique names, so files can run side by side).
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { withTx } from '../../src/db/database.ts';
import type { Role } from '../../src/domain/policy.ts';
import type { Config } from '../../src/platform/config.ts';
import { startServer, openContext, type RunningServer } from '../../src/server.ts';
import { createApiKey, createUser } from '../../src/services/accounts/accounts.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { createCustomer } from '../../src/services/customers/customers.ts';

export const PASSWORD = 'correct-horse-battery';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    dataDir: inject('dataDir'),
    databaseUrl: inject('databaseUrl'),
    port: 0,
    host: '127.0.0.1',
    secret: 'test-secret-for-parceldesk-0123456789',
    jobs: false,
    jobNames: null,
    logLevel: 'warn',
    ...overrides,
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(readonly baseUrl: string, readonly token: string | null = null) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      h['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text so a test can show it
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  get<T = any>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body);
  }
  put<T = any>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, body);
  }
}

export interface TestUser {
  id: string;
  username: string;
  role: Role;
  client: Client;
  customerId: string | null;
}

export interface Harness {
  server: RunningServer;
  ctx: ServiceContext;
  url: string;
  anon: Client;
  /** Creates a user and logs in over HTTP; returns an authenticated client. */
  user(role: Role, opts?: { teamIds?: string[]; leadOf?: string[]; skills?: string[]; channels?: string[]; capacity?: number; customerId?: string }): Promise<TestUser>;
  team(opts?: { strategy?: 'round_robin' | 'least_loaded' }): Promise<string>;
  customer(opts?: { name?: string; phone?: string; specialGroups?: string[] }): Promise<string>;
  apiKey(role: Exclude<Role, 'customer'>): Promise<Client>;
  uid(): string;
  close(): Promise<void>;
}

let addressCounter = 0;
/** A distinct client address (10.x.y.z) per call. */
export function nextTestAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const config = testConfig(overrides);
  const ctx = await openContext(config, { poolSize: 10 });
  const server = await startServer(config, { ctx, jobs: false });
  const url = server.url;
  const uid = (): string => randomUUID().slice(0, 8);
  const h: Harness = {
    server,
    ctx,
    url,
    anon: new Client(url),
    uid,
    async user(role, opts = {}) {
      const username = `${role}_${uid()}`;
      let customerId = opts.customerId ?? null;
      if (role === 'customer' && !customerId) customerId = await h.customer();
      const u = await withTx(ctx.db, (tx) => createUser(tx, null, { username, password: PASSWORD, role, customerId, channels: opts.channels ?? ['phone', 'chat', 'email', 'walk_in', 'web', 'api'], ...opts }));
      // Each login from an address of its own: the per-IP login rate limit is tested on its own, not here.
      const res = await h.anon.post<{ token: string }>('/api/v1/auth/login', { username, password: PASSWORD }, { 'x-forwarded-for': nextTestAddress() });
      if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
      return { id: u.id, username, role, client: new Client(url, res.body.token), customerId };
    },
    async team(opts = {}) {
      const { rows } = await ctx.db.pool.query<{ id: string }>('INSERT INTO teams (code, name, strategy) VALUES ($1, $2, $3) RETURNING id', [`t_${uid()}`, '测试组', opts.strategy ?? 'least_loaded']);
      return rows[0]!.id;
    },
    async customer(opts = {}) {
      const phone = opts.phone ?? `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      const c = await withTx(ctx.db, (tx) => createCustomer(tx, ctx.crypto, null, { name: opts.name ?? '测试客户', phone, ...(opts.specialGroups ? { specialGroups: opts.specialGroups } : {}) }));
      return c.id;
    },
    async apiKey(role) {
      const k = await withTx(ctx.db, (tx) => createApiKey(tx, null, `test ${uid()}`, role));
      return new Client(url, k.key);
    },
    async close() {
      await server.stop();
      await ctx.db.close();
    },
  };
  return h;
}
