import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { checkHostKey, type HostKeyPolicy } from './host-key-check';
import {
  keyTypeOfBlob,
  normalizeFingerprint,
  preferredHostKeyAlgorithms,
  sha256Fingerprint,
} from './host-key';
import { parseKnownHosts } from './known-hosts';

/** The testbed's host key and the fingerprint `ssh-keygen -lf` printed for it. */
const TESTBED_BLOB = Buffer.from(
  'AAAAC3NzaC1lZDI1NTE5AAAAICZ0/kOlLVG3YXtt1Agqx+W7s/ErZ9f6/8jz9dgIo518',
  'base64',
);
const TESTBED_FINGERPRINT = 'SHA256:mQ0GRFNGAVOYPqQRp2FNejPnTkIGuVm75+h6epzFPuI';
const other = utils.generateKeyPairSync('ed25519').public.split(' ')[1] ?? '';
const OTHER_BLOB = Buffer.from(other, 'base64');

const knownHosts = (text: string, path = '/home/u/.ssh/known_hosts'): HostKeyPolicy => ({
  kind: 'known-hosts',
  path,
  entries: parseKnownHosts(text, path).entries,
  missing: false,
});

describe('host key helpers', () => {
  it('computes the same SHA256 fingerprint as ssh-keygen -lf', () => {
    expect(sha256Fingerprint(TESTBED_BLOB)).toBe(TESTBED_FINGERPRINT);
  });

  it('reads the key type from a blob and rejects garbage', () => {
    expect(keyTypeOfBlob(TESTBED_BLOB)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 200, 1]))).toBeNull();
  });

  it('normalizes configured fingerprints and rejects other formats', () => {
    expect(normalizeFingerprint(`${TESTBED_FINGERPRINT}=`)).toBe(TESTBED_FINGERPRINT);
    expect(normalizeFingerprint('MD5:aa:bb')).toBeNull();
  });

  it('offers the host key algorithms known_hosts has keys for first', () => {
    expect(preferredHostKeyAlgorithms(['ssh-rsa']).slice(0, 4)).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
    expect(preferredHostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
  });
});

describe('checkHostKey', () => {
  const endpoint = { host: '127.0.0.1', port: 2222 };

  it('accepts a key known_hosts lists for [host]:port', () => {
    expect(
      checkHostKey(
        knownHosts(`[127.0.0.1]:2222 ssh-ed25519 ${TESTBED_BLOB.toString('base64')}`),
        endpoint,
        TESTBED_BLOB,
      ),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses an unknown host and says exactly how to trust it', () => {
    const verdict = checkHostKey(
      knownHosts('', '/home/u/.ssh/known_hosts'),
      endpoint,
      TESTBED_BLOB,
    );
    expect(verdict).toMatchObject({ ok: false, state: 'host_key_unknown' });
    if (verdict.ok) return;
    expect(verdict.message).toContain(
      'ssh-keyscan -p 2222 -t ed25519 127.0.0.1 >> /home/u/.ssh/known_hosts',
    );
    expect(verdict.message).toContain(`host_key_fingerprint: ${TESTBED_FINGERPRINT}`);
    expect(verdict.message).toContain(`ssh-ed25519 key ${TESTBED_FINGERPRINT}`);
  });

  it('leaves out -p for port 22 and mentions a missing known_hosts file', () => {
    const policy: HostKeyPolicy = {
      kind: 'known-hosts',
      path: '/h/.ssh/known_hosts',
      entries: [],
      missing: true,
    };
    const verdict = checkHostKey(policy, { host: 'hpc.example.org', port: 22 }, TESTBED_BLOB);
    if (verdict.ok) throw new Error('expected a refusal');
    expect(verdict.message).toContain(
      'ssh-keyscan -t ed25519 hpc.example.org >> /h/.ssh/known_hosts',
    );
    expect(verdict.message).toContain('/h/.ssh/known_hosts does not exist');
  });

  it('reports a changed key as a mismatch naming both fingerprints and the line to fix', () => {
    const text = `# first line\n[127.0.0.1]:2222 ssh-ed25519 ${other}`;
    const verdict = checkHostKey(knownHosts(text, '/k/known_hosts'), endpoint, TESTBED_BLOB);
    expect(verdict).toMatchObject({ ok: false, state: 'host_key_mismatch' });
    if (verdict.ok) return;
    expect(verdict.message).toContain(
      `expected ssh-ed25519 key ${sha256Fingerprint(OTHER_BLOB)} (/k/known_hosts line 2)`,
    );
    expect(verdict.message).toContain(`presented ssh-ed25519 key ${TESTBED_FINGERPRINT}`);
    expect(verdict.message).toContain(`ssh-keygen -R '[127.0.0.1]:2222' -f /k/known_hosts`);
  });

  it('refuses a revoked key as a mismatch', () => {
    const text = `[127.0.0.1]:2222 ssh-ed25519 ${TESTBED_BLOB.toString('base64')}\n@revoked * ssh-ed25519 ${TESTBED_BLOB.toString('base64')}`;
    const verdict = checkHostKey(knownHosts(text), endpoint, TESTBED_BLOB);
    expect(verdict).toMatchObject({ ok: false, state: 'host_key_mismatch' });
    if (!verdict.ok) expect(verdict.message).toContain('@revoked');
  });

  it('accepts a pinned fingerprint that matches and refuses one that does not', () => {
    expect(
      checkHostKey({ kind: 'pinned', fingerprint: TESTBED_FINGERPRINT }, endpoint, TESTBED_BLOB).ok,
    ).toBe(true);
    const verdict = checkHostKey(
      { kind: 'pinned', fingerprint: TESTBED_FINGERPRINT },
      endpoint,
      OTHER_BLOB,
    );
    expect(verdict).toMatchObject({ ok: false, state: 'host_key_mismatch' });
    if (!verdict.ok)
      expect(verdict.message).toContain(`host_key_fingerprint: ${sha256Fingerprint(OTHER_BLOB)}`);
  });
});
