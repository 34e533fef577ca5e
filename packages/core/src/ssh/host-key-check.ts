import { keyTypeOfBlob, sha256Fingerprint } from './host-key';
import { knownHostsName, lookupHostKey, type KnownHostsEntry } from './known-hosts';

/** How the server's host key is verified. There is no "accept anything" policy. */
export type HostKeyPolicy =
  | { kind: 'pinned'; fingerprint: string }
  | {
      kind: 'known-hosts';
      path: string;
      entries: KnownHostsEntry[];
      /** True when the file does not exist (every host is then unknown). */
      missing: boolean;
    };

export type HostKeyVerdict =
  { ok: true } | { ok: false; state: 'host_key_unknown' | 'host_key_mismatch'; message: string };

export interface Endpoint {
  host: string;
  port: number;
}

export function checkHostKey(
  policy: HostKeyPolicy,
  endpoint: Endpoint,
  presentedKey: Buffer,
): HostKeyVerdict {
  const seen = describeKey(presentedKey);
  const where = knownHostsName(endpoint.host, endpoint.port);
  if (policy.kind === 'pinned') {
    if (sha256Fingerprint(presentedKey) === policy.fingerprint) return { ok: true };
    return {
      ok: false,
      state: 'host_key_mismatch',
      message:
        `Host key mismatch for ${where}: the server presented ${seen}, but host_key_fingerprint pins ` +
        `${policy.fingerprint}. Someone may be intercepting the connection, or the host key was changed; ` +
        `if the change is expected, update the config line to host_key_fingerprint: ${sha256Fingerprint(presentedKey)}`,
    };
  }
  const lookup = lookupHostKey(policy.entries, endpoint.host, endpoint.port, presentedKey);
  switch (lookup.status) {
    case 'trusted':
      return { ok: true };
    case 'revoked':
      return {
        ok: false,
        state: 'host_key_mismatch',
        message:
          `Host key ${seen} of ${where} is marked @revoked in ${lookup.entry.source} line ${lookup.entry.line}; ` +
          `refusing to connect.`,
      };
    case 'changed': {
      const expected = lookup.expected
        .map((e) => `${describeKey(e.key)} (${e.source} line ${e.line})`)
        .join(', ');
      return {
        ok: false,
        state: 'host_key_mismatch',
        message:
          `Host key mismatch for ${where}: expected ${expected}, but the server presented ${seen}. ` +
          `Someone may be intercepting the connection, or the host key was changed. If the change is expected, ` +
          `remove the old entry with: ssh-keygen -R '${where}' -f ${policy.path} ` +
          `and trust the new key with: ${keyscanCommand(endpoint, presentedKey, policy.path)}`,
      };
    }
    case 'unknown': {
      const others =
        lookup.otherTypes.length > 0
          ? ` (${policy.path} only has keys of other types for it: ${lookup.otherTypes.map((e) => `${e.keyType} line ${e.line}`).join(', ')})`
          : policy.missing
            ? ` (${policy.path} does not exist)`
            : '';
      return {
        ok: false,
        state: 'host_key_unknown',
        message:
          `Host key of ${where} is not known${others}; refusing to connect. The server presented ${seen}. ` +
          `If that is the right key, trust it with: ${keyscanCommand(endpoint, presentedKey, policy.path)} ` +
          `or pin it in the cluster config with: host_key_fingerprint: ${sha256Fingerprint(presentedKey)}`,
      };
    }
  }
}

function describeKey(key: Buffer): string {
  return `${keyTypeOfBlob(key) ?? 'unknown-type'} key ${sha256Fingerprint(key)}`;
}

function keyscanCommand(endpoint: Endpoint, key: Buffer, knownHostsPath: string): string {
  const type = keyscanType(keyTypeOfBlob(key));
  const typeFlag = type ? ` -t ${type}` : '';
  const portFlag = endpoint.port === 22 ? '' : ` -p ${endpoint.port}`;
  return `ssh-keyscan${portFlag}${typeFlag} ${endpoint.host} >> ${knownHostsPath}`;
}

/** ssh-keyscan's `-t` names; older OpenSSH versions only accept these short forms. */
function keyscanType(keyType: string | null): string | null {
  if (keyType === 'ssh-ed25519') return 'ed25519';
  if (keyType === 'ssh-rsa') return 'rsa';
  if (keyType === 'ssh-dss') return 'dsa';
  if (keyType?.startsWith('ecdsa-sha2-')) return 'ecdsa';
  return null;
}
