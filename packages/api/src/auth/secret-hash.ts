import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: ~16 MB and a few tens of ms per check, so guessing is slow even offline. */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const PREFIX = 'scrypt';

const derive = (
  secret: string,
  salt: Buffer,
  params: ScryptOptions,
  keyBytes: number,
): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(
      secret.normalize('NFC'),
      salt,
      keyBytes,
      { ...params, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });

/** `scrypt$N$r$p$<salt base64url>$<key base64url>`: the only form a secret is ever stored in. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, PARAMS, KEY_BYTES);
  return [
    PREFIX,
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** True when `stored` has the hash form and `secret` matches it; compares in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.trim().split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (!N || !r || !p || N > 1_048_576 || salt.length < 8 || expected.length < 16) return false;
  const actual = await derive(secret, salt, { N, r, p }, expected.length);
  return timingSafeEqual(actual, expected);
}

/** True when `stored` looks like a hash this module wrote (used to refuse a corrupted token file). */
export const isSecretHash = (stored: string): boolean =>
  /^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/.test(stored.trim());

/** A new access token: 256 random bits, URL-safe. */
export const generateToken = (): string => randomBytes(32).toString('base64url');
