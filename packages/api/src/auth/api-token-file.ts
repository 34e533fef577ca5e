import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const API_TOKENS_FILE = 'api-tokens.json';

/** One token for tools, as stored: never the token itself, only its scrypt hash. */
export const ApiTokenRecord = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{12}$/),
  name: z.string(),
  hash: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  /** The ScriptHut user the token acts as; absent or null: the shared account. */
  user: z.string().nullable().optional(),
});
export type ApiTokenRecord = z.infer<typeof ApiTokenRecord>;

const TokenFile = z.strictObject({ tokens: z.array(ApiTokenRecord) });

export class ApiTokenFileError extends Error {
  constructor(
    message: string,
    /** The id named is not in the file (exit code 5 for `scripthut token revoke`). */
    readonly notFound = false,
  ) {
    super(message);
  }
}

/** A cheap identity of the file's current version: a rename or a write changes it. */
export function fileVersion(file: string): string | null {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The records in `file`; none when it does not exist. Narrows a widened mode back to 600. */
export function readTokenFile(file: string): ApiTokenRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ApiTokenFileError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let parsed;
  try {
    parsed = TokenFile.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    throw new ApiTokenFileError(
      `${file} is not a ScriptHut token file; move it away (every token in it stops working) and create new tokens with "scripthut token create NAME"`,
    );
  }
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  } catch {
    // Not ours to fix (another owner); reading it worked, which is what matters here.
  }
  return parsed.data.tokens;
}

/** Writes atomically (temporary file, then rename) with mode 600, in a data dir of mode 700. */
export function writeTokenFile(file: string, tokens: readonly ApiTokenRecord[]): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ tokens }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

const STALE_LOCK_MS = 30_000;

/**
 * Runs `change` on the file's records under an exclusive lock file, so the
 * `scripthut token` commands and a running server (which records last use)
 * never write over each other's changes: a revoke is never lost. Returns
 * null without changing anything when the lock is busy and `wait` is false.
 */
export function updateTokenFile<T>(
  file: string,
  change: (tokens: ApiTokenRecord[]) => T,
  o: { wait: boolean; timeoutMs?: number },
): T | null {
  const lock = `${file}.lock`;
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (o.timeoutMs ?? 5_000);
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockAgeMs(lock) > STALE_LOCK_MS) {
        rmSync(lock, { force: true });
        continue;
      }
      if (!o.wait) return null;
      if (Date.now() > deadline) {
        throw new ApiTokenFileError(
          `${lock} has been held for a while; if no scripthut command is changing tokens, delete it`,
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    const tokens = readTokenFile(file);
    const result = change(tokens);
    writeTokenFile(file, tokens);
    return result;
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}
