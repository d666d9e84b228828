import type { Database } from '../db/database.ts';
import type { PiiCrypto } from '../platform/crypto.ts';

/** What every use case may need besides its own arguments. `now` is injectable for tests. */
export interface ServiceContext {
  db: Database;
  crypto: PiiCrypto;
  now(): Date;
}
