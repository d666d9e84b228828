/**
 * Personal data at rest: AES-256-GCM with a random 96-bit IV per value, and a keyed HMAC of the
 * normalised phone / e-mail so records can be found without decrypting them. Both keys derive
 * from one secret: PARCELDESK_SECRET, or a key file generated beside the data on first start.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface PiiCrypto {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Keyed lookup hash; callers normalise first (normalizePhone, lower-cased e-mail). */
  lookupHash(normalised: string): string;
}

const VERSION = 'v1';

export function piiCryptoFromSecret(secret: string | Buffer): PiiCrypto {
  const ikm = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (ikm.length < 16) throw new Error('PARCELDESK_SECRET must be at least 16 characters');
  const encKey = Buffer.from(hkdfSync('sha256', ikm, 'parceldesk', 'pii-encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', ikm, 'parceldesk', 'pii-lookup', 32));
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unrecognised encrypted value');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    lookupHash(normalised) {
      return createHmac('sha256', macKey).update(normalised, 'utf8').digest('hex');
    },
  };
}

/** The secret from the environment, else the key file in the data folder (created once, mode 0600). */
export function loadSecret(envSecret: string | null, dataDir: string): Buffer {
  if (envSecret) return Buffer.from(envSecret, 'utf8');
  const file = path.join(dataDir, 'secret.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  try {
    fs.writeFileSync(file, key + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process won the race: use theirs
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}
