import { createHash } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/** `SHA256:<base64, unpadded>` of a public key blob, as `ssh-keygen -lf` prints it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Canonical form of a configured fingerprint (`SHA256:` prefix, no padding),
 * or null when it is not a SHA256 fingerprint.
 */
export function normalizeFingerprint(fingerprint: string): string | null {
  const match = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(fingerprint.trim());
  return match ? `SHA256:${match[1]}` : null;
}

/** The key type name at the start of an SSH wire-format public key blob, or null when malformed. */
export function keyTypeOfBlob(keyBlob: Buffer): string | null {
  if (keyBlob.length < 4) return null;
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || keyBlob.length < 4 + length) return null;
  const name = keyBlob.subarray(4, 4 + length).toString('latin1');
  return /^[A-Za-z0-9@._-]+$/.test(name) ? name : null;
}

/** ssh2's default server host key algorithms, in its order. */
const DEFAULT_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

const ALGORITHMS_FOR_KEY_TYPE: Record<string, readonly ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/**
 * Host key algorithms to offer, those whose keys known_hosts already holds
 * first (like OpenSSH does). Without this a server with several host keys
 * could present an ed25519 key while known_hosts only records its ECDSA key,
 * which would look like an unknown host.
 */
export function preferredHostKeyAlgorithms(
  knownKeyTypes: readonly string[],
): ServerHostKeyAlgorithm[] {
  const preferred: ServerHostKeyAlgorithm[] = [];
  for (const type of knownKeyTypes) {
    for (const algorithm of ALGORITHMS_FOR_KEY_TYPE[type] ?? []) {
      if (!preferred.includes(algorithm)) preferred.push(algorithm);
    }
  }
  return [...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}
