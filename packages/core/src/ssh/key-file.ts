import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
// ssh2 is CommonJS: Node's ESM loader exposes only its default export.
import ssh2, { type ParsedKey } from 'ssh2';
import { CoreError } from '../runtime/errors';
import type { SshTarget } from './ssh-target';

/** How the connection authenticates. */
export type Identity =
  { kind: 'key'; path: string; key: ParsedKey } | { kind: 'agent'; socket: string };

/**
 * The last key loaded, reused while the file and passphrase are unchanged:
 * decrypting an encrypted OpenSSH key (bcrypt, in JS) blocks the event loop
 * for about a second, which must not happen on every reconnect attempt.
 */
export interface KeyCache {
  entry?: { stamp: string; passphrase: string | undefined; identity: Identity };
}

const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  return path.startsWith('~/') ? join(homeDir, path.slice(2)) : path;
}

/**
 * Choose and load the identity for `target`: its key file, else its agent
 * socket, else the first default key in ~/.ssh. Re-run on every connect
 * attempt, so a fixed key file is picked up without a restart.
 * Throws CoreError SSH_KEY_UNREADABLE with a message saying what to fix.
 */
export async function resolveIdentity(target: SshTarget, cache: KeyCache = {}): Promise<Identity> {
  if (target.keyPath !== undefined) {
    return loadKeyIdentity(expandHome(target.keyPath, target.homeDir), target.passphrase, cache);
  }
  if (target.agentSocket) return { kind: 'agent', socket: target.agentSocket };
  for (const name of DEFAULT_KEY_FILES) {
    const path = join(target.homeDir, '.ssh', name);
    if (await exists(path)) return loadKeyIdentity(path, target.passphrase, cache);
  }
  throw new CoreError(
    'SSH_KEY_UNREADABLE',
    `No SSH key for ${target.user}@${target.host}: no key_path configured, no ssh-agent socket (SSH_AUTH_SOCK) ` +
      `available, and none of ${DEFAULT_KEY_FILES.map((n) => `~/.ssh/${n}`).join(', ')} exists.`,
  );
}

export async function loadKeyIdentity(
  path: string,
  passphrase: string | undefined,
  cache: KeyCache = {},
): Promise<Identity> {
  const fail = (message: string, cause?: unknown): CoreError =>
    new CoreError('SSH_KEY_UNREADABLE', message, { keyPath: path }, { cause });
  let mode: number;
  let stamp: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw fail(`SSH key ${path} is not a regular file.`);
    mode = info.mode;
    stamp = [path, info.dev, info.ino, info.size, info.mtimeMs, info.mode].join(':');
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw fail(describeReadError(error, path), error);
  }
  const modeProblem = describeKeyModeProblem(mode, path);
  if (modeProblem) throw fail(modeProblem);
  const cached = cache.entry;
  if (cached && cached.stamp === stamp && cached.passphrase === passphrase) return cached.identity;
  let privateKey: Buffer;
  try {
    privateKey = await readFile(path);
  } catch (error) {
    throw fail(describeReadError(error, path), error);
  }
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error)
    throw fail(describeKeyParseError(parsed.message, path, passphrase !== undefined), parsed);
  if (!parsed.isPrivateKey())
    throw fail(`SSH key ${path} is a public key; key_path must name the private key.`);
  const identity: Identity = { kind: 'key', path, key: parsed };
  cache.entry = { stamp, passphrase, identity };
  return identity;
}

/**
 * Like OpenSSH, refuse a private key that group or others may access. (OpenSSH
 * checks this only for keys the user owns; this check applies to every key.)
 */
export function describeKeyModeProblem(mode: number, path: string): string | null {
  if ((mode & 0o077) === 0) return null;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return (
    `Permissions ${octal} for SSH key ${path} are too open: a private key must not be readable by others ` +
    `(OpenSSH refuses it too). Fix with: chmod 600 ${path}`
  );
}

export function describeReadError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `SSH key file ${path} does not exist.`;
  if (code === 'EACCES' || code === 'EPERM')
    return `Cannot read SSH key file ${path}: permission denied.`;
  if (code === 'EISDIR') return `SSH key ${path} is not a regular file.`;
  return `Cannot read SSH key file ${path}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Turn ssh2's key parser messages into what the user should do. */
export function describeKeyParseError(
  message: string,
  path: string,
  hasPassphrase: boolean,
): string {
  if (/no passphrase given/i.test(message)) {
    return `SSH key ${path} is encrypted but no passphrase was given (set passphrase_env in the cluster config, or use ssh-agent).`;
  }
  if (
    /bad passphrase|decrypt/i.test(message) ||
    (hasPassphrase && /malformed|integrity/i.test(message))
  ) {
    return `Cannot decrypt SSH key ${path}: wrong passphrase.`;
  }
  return `SSH key ${path} is not a usable private key (${message}).`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
