import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  API_TOKENS_FILE,
  ApiTokenFileError,
  fileVersion,
  readTokenFile,
  updateTokenFile,
  type ApiTokenRecord,
} from './api-token-file';
import { generateToken, hashSecret, verifySecret } from './secret-hash';

export { ApiTokenFileError, type ApiTokenRecord };

/** `sht_<id>_<secret>`: the id says which stored hash to check, so one scrypt runs per request. */
const TOKEN_FORM = /^sht_([0-9a-f]{12})_([\w-]{43})$/;
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Last use is written at most this often per token, so busy tools do not rewrite the file per request. */
const LAST_USED_EVERY_MS = 60_000;

export interface VerifiedToken {
  id: string;
  name: string;
  /** The user it acts as; null: the shared account. */
  user: string | null;
}

/**
 * Bearer tokens for tools, in `<data_dir>/api-tokens.json` (mode 600),
 * beside the history database and not in it: revoking must work while the
 * database is unavailable, and the file is what `scripthut token` edits on
 * the server machine. A running server re-reads the file whenever its
 * inode, size or mtime changed, so a revoke takes effect on the next request.
 */
export class ApiTokenStore {
  readonly file: string;
  private version: string | null | undefined;
  private tokens: ApiTokenRecord[] = [];
  /** SHA-256 of tokens that passed scrypt, to their id: a repeat check costs a hash, not a scrypt. */
  private readonly verified = new Map<string, string>();
  private readonly lastUsedWrittenMs = new Map<string, number>();

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = join(dataDir, API_TOKENS_FILE);
  }

  list(): ApiTokenRecord[] {
    return readTokenFile(this.file);
  }

  /** A new token (acting as `user`, null: the shared account); returns it in clear, the only time it exists so. */
  async create(name: string, user: string | null = null): Promise<{ record: ApiTokenRecord; token: string }> {
    if (!TOKEN_NAME.test(name)) {
      throw new ApiTokenFileError(
        `token name ${JSON.stringify(name.slice(0, 80))}: use 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`,
      );
    }
    const id = randomBytes(6).toString('hex');
    const token = `sht_${id}_${generateToken()}`;
    const record: ApiTokenRecord = {
      id,
      name,
      hash: await hashSecret(token),
      created_at: this.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
      ...(user === null ? {} : { user }),
    };
    updateTokenFile(this.file, (tokens) => tokens.push(record), { wait: true });
    return { record, token };
  }

  /** Marks token `id` revoked (kept, so `token list` shows when); refuses an unknown or revoked id. */
  revoke(id: string): ApiTokenRecord {
    const result = updateTokenFile(
      this.file,
      (tokens) => {
        const record = tokens.find((t) => t.id === id);
        if (!record) {
          const known = tokens.filter((t) => t.revoked_at === null).map((t) => t.id);
          throw new ApiTokenFileError(
            `no token with id ${JSON.stringify(id.slice(0, 80))}${known.length ? ` (live tokens: ${known.join(', ')}; see "scripthut token list")` : ''}`,
            true,
          );
        }
        if (record.revoked_at !== null) {
          throw new ApiTokenFileError(`token ${id} was already revoked at ${record.revoked_at}`);
        }
        record.revoked_at = this.now().toISOString();
        return { ...record };
      },
      { wait: true },
    );
    if (result === null) throw new ApiTokenFileError(`cannot lock ${this.file}`);
    return result;
  }

  /**
   * The live token `token` is, or null (wrong, revoked, malformed, or the
   * file unreadable: refusing is the safe answer). Never throws for a token.
   */
  async verify(token: string): Promise<VerifiedToken | null> {
    const m = TOKEN_FORM.exec(token);
    if (!m) return null;
    const id = m[1]!;
    try {
      this.reloadIfChanged();
    } catch {
      return null;
    }
    const record = this.tokens.find((t) => t.id === id && t.revoked_at === null);
    if (!record) return null;
    const digest = createHash('sha256').update(token).digest('base64url');
    if (this.verified.get(digest) !== id) {
      if (!(await verifySecret(token, record.hash))) return null;
      this.verified.set(digest, id);
    }
    this.noteUse(id);
    return { id, name: record.name, user: record.user ?? null };
  }

  private reloadIfChanged(): void {
    const version = fileVersion(this.file);
    if (version === this.version) return;
    this.tokens = readTokenFile(this.file);
    this.version = version;
  }

  private noteUse(id: string): void {
    const nowMs = this.now().getTime();
    if (nowMs - (this.lastUsedWrittenMs.get(id) ?? -Infinity) < LAST_USED_EVERY_MS) return;
    try {
      // Best effort and never blocking a request: skipped while a token command holds the lock.
      const written = updateTokenFile(
        this.file,
        (tokens) => {
          const record = tokens.find((t) => t.id === id);
          if (record) record.last_used_at = new Date(nowMs).toISOString();
        },
        { wait: false },
      );
      if (written !== null) this.lastUsedWrittenMs.set(id, nowMs);
    } catch {
      // A read-only data dir must not break authentication; last use is informational.
    }
  }
}
