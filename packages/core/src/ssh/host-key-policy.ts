import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreError } from '../runtime/errors';
import type { HostKeyPolicy } from './host-key-check';
import { normalizeFingerprint } from './host-key';
import { expandHome } from './key-file';
import { parseKnownHosts } from './known-hosts';
import type { SshTarget } from './ssh-target';

/**
 * Build the host key policy for one connect attempt: the pinned fingerprint
 * when configured, else the known_hosts file read afresh (so an entry added
 * with ssh-keyscan is picked up on the next retry). A missing file is an empty
 * one; an unreadable file throws SSH_HOST_KEY_UNKNOWN.
 */
export async function loadHostKeyPolicy(target: SshTarget): Promise<HostKeyPolicy> {
  if (target.hostKeyFingerprint !== undefined) {
    const fingerprint = normalizeFingerprint(target.hostKeyFingerprint);
    if (!fingerprint) {
      throw new CoreError(
        'SSH_HOST_KEY_UNKNOWN',
        `host_key_fingerprint "${target.hostKeyFingerprint}" is not a SHA256 fingerprint like SHA256:AbC… ` +
          `as printed by ssh-keygen -lf.`,
      );
    }
    return { kind: 'pinned', fingerprint };
  }
  const path = expandHome(
    target.knownHostsPath ?? join(target.homeDir, '.ssh', 'known_hosts'),
    target.homeDir,
  );
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { kind: 'known-hosts', path, entries: [], missing: true };
    throw new CoreError(
      'SSH_HOST_KEY_UNKNOWN',
      `Cannot read known_hosts file ${path} to verify ${target.host}: ${(error as Error).message}`,
      { path },
      { cause: error },
    );
  }
  return {
    kind: 'known-hosts',
    path,
    entries: parseKnownHosts(text, path).entries,
    missing: false,
  };
}
