/**
 * Users, sessions and API keys. Every caller of the API resolves to an Actor: a person logged in
 * with a session cookie, or an integration holding an API key (which acts as its own service user).
 */
import { withTx, type Database, type Queryable } from '../../db/database.ts';
import type { Actor, Role } from '../../domain/policy.ts';
import { hashPassword, newToken, tokenHash, verifyPassword } from '../../platform/passwords.ts';
import { AppError } from '../../http/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { publishLive } from '../live/live-bus.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';

export interface NewUser {
  username: string;
  password: string | null;
  role: Role;
  displayName?: string;
  customerId?: string | null;
  skills?: string[];
  channels?: string[];
  capacity?: number;
  teamIds?: string[];
  leadOf?: string[];
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  customer_id: string | null;
  skills: string[];
  channels: string[];
  capacity: number;
  available: boolean;
  phone_extension: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

export const USER_COLUMNS = 'id, username, display_name, role, customer_id, skills, channels, capacity, available, phone_extension, created_at, disabled_at';

export async function createUser(tx: Queryable, actor: Actor | null, input: NewUser): Promise<UserRow> {
  if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username)) {
    throw new AppError('validation_failed', 'username must be 2–64 letters, digits or _ . @ -');
  }
  if (input.password !== null && input.password.length < 8) throw new AppError('validation_failed', 'password must be at least 8 characters');
  if (input.role === 'customer' && !input.customerId) throw new AppError('validation_failed', 'a customer user needs a customerId');
  const taken = await tx.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [input.username]);
  if (taken.rowCount) throw new AppError('conflict', `username ${input.username} is taken`);
  const passwordHash = input.password === null ? null : await hashPassword(input.password);
  const { rows } = await tx.query<UserRow>(
    `INSERT INTO users (username, display_name, role, password_hash, customer_id, skills, channels, capacity)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLUMNS}`,
    [input.username, input.displayName ?? input.username, input.role, passwordHash, input.customerId ?? null,
      input.skills ?? [], input.channels ?? [], input.capacity ?? 20],
  );
  const user = rows[0]!;
  for (const teamId of new Set([...(input.teamIds ?? []), ...(input.leadOf ?? [])])) {
    await tx.query('INSERT INTO team_members (team_id, user_id, is_lead) VALUES ($1, $2, $3)', [teamId, user.id, (input.leadOf ?? []).includes(teamId)]);
  }
  await recordAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: user.id, data: { username: user.username, role: user.role } });
  return user;
}

const ACTOR_SQL = (userIdSql: string): string => `SELECT u.id, u.role, u.customer_id,
    coalesce(ARRAY(SELECT tm.team_id::text FROM team_members tm WHERE tm.user_id = u.id), '{}') AS team_ids
  FROM users u WHERE u.id = ${userIdSql} AND u.disabled_at IS NULL`;

type ActorRow = { id: string; role: Role; customer_id: string | null; team_ids: string[] };
const toActor = (r: ActorRow | undefined): Actor | null => (r ? { userId: r.id, role: r.role, customerId: r.customer_id, teamIds: r.team_ids } : null);

export async function actorForUser(q: Queryable, userId: string): Promise<Actor | null> {
  return toActor((await q.query<ActorRow>(ACTOR_SQL('$1'), [userId])).rows[0]);
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
}

/**
 * Password login with lock-out: after `maxFailures` consecutive failures the account is locked
 * for `lockMinutes`; the lock is checked before the password so a locked account learns nothing.
 */
export async function login(ctx: ServiceContext, username: string, password: string, ip: string): Promise<LoginResult> {
  const lockout = await getSetting(ctx.db.pool, 'auth.lockout');
  const { rows } = await ctx.db.pool.query<{ id: string; password_hash: string | null; locked_until: Date | null; failed_logins: number; disabled_at: Date | null }>(
    'SELECT id, password_hash, locked_until, failed_logins, disabled_at FROM users WHERE lower(username) = lower($1)',
    [username],
  );
  const user = rows[0];
  const now = ctx.now();
  if (user?.locked_until && user.locked_until > now) {
    throw new AppError('account_locked', `account locked after repeated failed logins; try again after ${user.locked_until.toISOString()}`);
  }
  const ok = user && user.password_hash !== null && (await verifyPassword(user.password_hash, password));
  if (user && ok && user.disabled_at) {
    // Told only to whoever knows the password: a guesser learns nothing about the account.
    await withTx(ctx.db, (tx) => recordAudit(tx, null, { action: 'auth.login_disabled', entityType: 'user', entityId: user.id, data: { ip } }));
    throw new AppError('account_disabled', 'this account has been disabled by an administrator; ask an administrator to re-enable it');
  }
  if (!user || !ok) {
    if (user) {
      await withTx(ctx.db, async (tx) => {
        const upd = await tx.query<{ failed_logins: number }>(
          `UPDATE users SET failed_logins = failed_logins + 1,
                  locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
            WHERE id = $1 RETURNING failed_logins`,
          [user.id, lockout.maxFailures, new Date(now.getTime() + lockout.lockMinutes * 60_000)],
        );
        const failures = upd.rows[0]?.failed_logins ?? 0;
        await recordAudit(tx, null, { action: failures >= lockout.maxFailures ? 'auth.locked' : 'auth.login_failed', entityType: 'user', entityId: user.id, data: { ip, failures } });
        if (failures >= lockout.maxFailures) await tx.query('UPDATE users SET failed_logins = 0 WHERE id = $1', [user.id]);
      });
    }
    throw new AppError('invalid_credentials', 'wrong username or password');
  }
  const hours = (await getSetting(ctx.db.pool, 'auth.session')).hours;
  const { token, hash } = newToken('pds');
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  const actor = await withTx(ctx.db, async (tx) => {
    await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [user.id]);
    await tx.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hash, user.id, expiresAt]);
    const a = (await actorForUser(tx, user.id))!;
    await recordAudit(tx, a, { action: 'auth.login', entityType: 'user', entityId: user.id, data: { ip } });
    return a;
  });
  return { token, expiresAt, actor };
}

/** Ends a session; like the login, the logout is a write and is audited (an unknown token changes nothing and records nothing). */
export async function logout(db: Database, token: string): Promise<void> {
  await withTx(db, async (tx) => {
    const { rows } = await tx.query<{ user_id: string }>('DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id', [tokenHash(token)]);
    const userId = rows[0]?.user_id;
    if (!userId) return;
    await recordAudit(tx, await actorForUser(tx, userId), { action: 'auth.logout', entityType: 'user', entityId: userId });
  });
}

export async function actorForSession(q: Queryable, token: string, now: Date): Promise<Actor | null> {
  // One round trip per request: the session and the user it belongs to.
  const { rows } = await q.query<ActorRow>(ACTOR_SQL('(SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2)'), [tokenHash(token), now]);
  return toActor(rows[0]);
}

export async function actorForApiKey(q: Queryable, key: string): Promise<Actor | null> {
  // last_used_at is refreshed at most once a minute: a busy integration would otherwise write (and
  // contend on) its api_keys row on every request. A key made by someone whose account is now
  // disabled stops working with them (and works again if they are re-enabled): a departing admin
  // must not keep access through a key they made for themselves.
  const { rows } = await q.query<ActorRow>(
    `WITH k AS (
       SELECT k.id, k.last_used_at, u.id AS user_id FROM api_keys k JOIN users u ON u.username = 'apikey:' || k.id::text
         LEFT JOIN users maker ON maker.id = k.created_by
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND maker.disabled_at IS NULL),
     touched AS (
       UPDATE api_keys SET last_used_at = now()
        WHERE id IN (SELECT id FROM k WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
     ${ACTOR_SQL('(SELECT user_id FROM k)')}`,
    [tokenHash(key)],
  );
  return toActor(rows[0]);
}

/** Creates an API key; it acts as a service user `apikey:<id>` holding the key's role. The key is shown once. */
export async function createApiKey(tx: Queryable, actor: Actor | null, name: string, role: Exclude<Role, 'customer'>): Promise<{ id: string; key: string }> {
  const { token, hash } = newToken('pdk');
  const { rows } = await tx.query<{ id: string }>(
    'INSERT INTO api_keys (name, role, prefix, key_hash, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [name, role, token.slice(0, 8), hash, actor?.userId ?? null],
  );
  const id = rows[0]!.id;
  await tx.query(`INSERT INTO users (username, display_name, role, capacity, available) VALUES ($1, $2, $3, 0, false)`, [`apikey:${id}`, `API: ${name}`, role]);
  await recordAudit(tx, actor, { action: 'apikey.create', entityType: 'api_key', entityId: id, data: { name, role } });
  return { id, key: token };
}

export interface AccountStatusChange {
  userId: string;
  disabled: boolean;
}

/**
 * Disables or re-enables a person's account (admins; never one's own, never an API key's service
 * user — a key is revoked instead). Disabling ends the account's sessions in the same transaction;
 * every request resolves its actor afresh (ACTOR_SQL checks disabled_at), so the account and the
 * API keys it made stop working at once. Re-enabling brings back no old session.
 */
export async function setAccountDisabled(tx: Queryable, actor: Actor, input: AccountStatusChange, now: Date): Promise<UserRow> {
  if (input.userId === actor.userId && input.disabled) throw new AppError('validation_failed', 'you cannot disable your own account', { field: 'disabled', code: 'self_disable' });
  const { rows } = await tx.query<{ username: string; disabled_at: Date | null }>('SELECT username, disabled_at FROM users WHERE id = $1 FOR UPDATE', [input.userId]);
  const target = rows[0];
  if (!target) throw new AppError('not_found', `user ${input.userId} does not exist`);
  if (target.username.startsWith('apikey:')) throw new AppError('validation_failed', 'an API key\'s service account is not disabled here: revoke the key', { field: 'disabled', code: 'api_key_account' });
  let sessions = 0;
  if (input.disabled && !target.disabled_at) {
    await tx.query('UPDATE users SET disabled_at = $2, available = false WHERE id = $1', [input.userId, now]);
    sessions = (await tx.query('DELETE FROM sessions WHERE user_id = $1', [input.userId])).rowCount ?? 0;
    // Open sockets of the account (the staff live socket listens) close on commit, in every process.
    await publishLive(tx, { topic: `user:${input.userId}`, type: 'account_disabled', data: { id: input.userId } });
  } else if (!input.disabled && target.disabled_at) {
    await tx.query('UPDATE users SET disabled_at = NULL, failed_logins = 0, locked_until = NULL WHERE id = $1', [input.userId]);
  }
  const changed = input.disabled !== (target.disabled_at !== null);
  if (changed) {
    await recordAudit(tx, actor, { action: input.disabled ? 'user.disable' : 'user.enable', entityType: 'user', entityId: input.userId, data: { username: target.username, ...(input.disabled ? { sessionsEnded: sessions } : {}) } });
  }
  return (await tx.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [input.userId])).rows[0]!;
}
