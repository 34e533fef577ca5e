import { createHmac, timingSafeEqual } from 'node:crypto';
import { keyTypeOfBlob } from './host-key';

export type KnownHostsMarker = 'cert-authority' | 'revoked';

export type HostPatterns =
  | { kind: 'hashed'; salt: Buffer; hash: Buffer }
  /** Comma-separated patterns as written, lower-cased; may use `*`, `?` and `!negation`. */
  | { kind: 'plain'; patterns: string[] };

export interface KnownHostsEntry {
  /** File the entry came from, for messages that say what to fix. */
  source: string;
  /** 1-based line number. */
  line: number;
  marker: KnownHostsMarker | null;
  hosts: HostPatterns;
  keyType: string;
  /** Decoded public key blob, compared byte for byte with the key the server presents. */
  key: Buffer;
}

export interface KnownHostsFile {
  entries: KnownHostsEntry[];
  /** Lines that could not be understood; skipped, as OpenSSH does. */
  invalidLines: number[];
}

export function parseKnownHosts(text: string, source: string): KnownHostsFile {
  const entries: KnownHostsEntry[] = [];
  const invalidLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const entry = parseLine(trimmed, source, index + 1);
    if (entry) entries.push(entry);
    else invalidLines.push(index + 1);
  });
  return { entries, invalidLines };
}

function parseLine(text: string, source: string, line: number): KnownHostsEntry | null {
  const fields = text.split(/\s+/);
  let marker: KnownHostsMarker | null = null;
  if (fields[0]?.startsWith('@')) {
    const word = fields.shift();
    if (word === '@cert-authority') marker = 'cert-authority';
    else if (word === '@revoked') marker = 'revoked';
    else return null;
  }
  const [hostField, keyType, keyBase64] = fields;
  if (!hostField || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyBase64))
    return null;
  const key = Buffer.from(keyBase64, 'base64');
  if (keyTypeOfBlob(key) !== keyType) return null;
  const hosts = parseHostField(hostField);
  return hosts ? { source, line, marker, hosts, keyType, key } : null;
}

function parseHostField(field: string): HostPatterns | null {
  if (field.startsWith('|')) {
    const parts = field.split('|');
    if (parts.length !== 4 || parts[1] !== '1' || !parts[2] || !parts[3]) return null;
    const salt = Buffer.from(parts[2], 'base64');
    const hash = Buffer.from(parts[3], 'base64');
    return salt.length === 20 && hash.length === 20 ? { kind: 'hashed', salt, hash } : null;
  }
  const patterns = field
    .toLowerCase()
    .split(',')
    .filter((p) => p !== '');
  return patterns.length > 0 ? { kind: 'plain', patterns } : null;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Hashed form of a host name as `ssh-keygen -H` writes it (for tests and tooling). */
export function hashKnownHostsName(name: string, salt: Buffer): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

export function hostPatternsMatch(hosts: HostPatterns, name: string): boolean {
  if (hosts.kind === 'hashed') {
    const hash = createHmac('sha1', hosts.salt).update(name).digest();
    return timingSafeEqual(hash, hosts.hash);
  }
  // OpenSSH semantics: one matching negated pattern vetoes the whole list.
  let positive = false;
  for (const pattern of hosts.patterns) {
    const negated = pattern.startsWith('!');
    if (!wildcardMatch(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

function wildcardMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}

export type HostKeyLookup =
  | { status: 'trusted'; entry: KnownHostsEntry }
  | { status: 'revoked'; entry: KnownHostsEntry }
  /** Entries of the presented key's type exist for this host, none with this key. */
  | { status: 'changed'; expected: KnownHostsEntry[] }
  /** No entry of this key type; `otherTypes` lists the host's entries with other key types. */
  | { status: 'unknown'; otherTypes: KnownHostsEntry[] };

/**
 * Decide whether `presentedKey` is the known key for host:port. Revocation is
 * checked first and wins. `@cert-authority` lines are ignored: the client
 * does not accept host certificates, so they can never vouch for a plain key.
 */
export function lookupHostKey(
  entries: readonly KnownHostsEntry[],
  host: string,
  port: number,
  presentedKey: Buffer,
): HostKeyLookup {
  const name = knownHostsName(host, port);
  const forHost = entries.filter((e) => hostPatternsMatch(e.hosts, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(presentedKey));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === null);
  const trusted = plain.find((e) => e.key.equals(presentedKey));
  if (trusted) return { status: 'trusted', entry: trusted };
  const presentedType = keyTypeOfBlob(presentedKey);
  const sameType = plain.filter((e) => e.keyType === presentedType);
  if (sameType.length > 0) return { status: 'changed', expected: sameType };
  return { status: 'unknown', otherTypes: plain };
}

/** Key types known_hosts holds plain entries for, for host:port (to prefer them in key exchange). */
export function knownKeyTypes(
  entries: readonly KnownHostsEntry[],
  host: string,
  port: number,
): string[] {
  const name = knownHostsName(host, port);
  const types = entries
    .filter((e) => e.marker === null && hostPatternsMatch(e.hosts, name))
    .map((e) => e.keyType);
  return [...new Set(types)];
}
