import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { generateToken, hashSecret, isSecretHash } from './secret-hash';

export const TOKEN_HASH_FILE = 'access-token.scrypt';

export interface AccessToken {
  /** The stored scrypt hash; the token itself is never stored. */
  hash: string;
  file: string;
  /** The new token when one was generated now (first start or reset): the only time it exists in clear. */
  created: string | null;
}

export class TokenFileError extends Error {}

/**
 * The access token's hash from `dataDir`, generating a token when there is
 * none or `reset` is set. The file is written atomically with mode 600 and
 * put back to 600 if someone widened it.
 */
export async function ensureAccessToken(dataDir: string, reset: boolean): Promise<AccessToken> {
  const file = join(dataDir, TOKEN_HASH_FILE);
  if (!reset && existsSync(file)) {
    const hash = readFileSync(file, 'utf8').trim();
    if (!isSecretHash(hash)) {
      throw new TokenFileError(
        `${file} does not hold an access token hash; start with --reset-token to generate a new token`,
      );
    }
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return { hash, file, created: null };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = generateToken();
  const hash = await hashSecret(token);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${hash}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return { hash, file, created: token };
}
