import { randomBytes } from 'node:crypto';
import { utils } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { hashKnownHostsName, knownKeyTypes, lookupHostKey, parseKnownHosts } from './known-hosts';

/** The testbed's host key, and lines `ssh-keygen -H` (OpenSSH 9.2) wrote for it. */
const TESTBED_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICZ0/kOlLVG3YXtt1Agqx+W7s/ErZ9f6/8jz9dgIo518';
const SSH_KEYGEN_HASHED = [
  `|1|b5KgRc2IsuVhY1eWMJq8XYaBvXU=|zeq+jbiVm2cFeuJJyQWV+Ce+i6M= ${TESTBED_KEY}`, // [127.0.0.1]:2222
  `|1|EDFUIO7rr6/02EH044MskyKVf7k=|8XLivqurhJZYdnAs/kXOG/dukZU= ${TESTBED_KEY}`, // cluster.example.org
].join('\n');

const blobOf = (publicLine: string): Buffer =>
  Buffer.from(publicLine.split(' ')[1] ?? '', 'base64');
const newKey = (type: 'ed25519' | 'ecdsa' | 'rsa'): string =>
  type === 'ed25519'
    ? utils.generateKeyPairSync('ed25519').public
    : type === 'ecdsa'
      ? utils.generateKeyPairSync('ecdsa', { bits: 256 }).public
      : utils.generateKeyPairSync('rsa', { bits: 2048 }).public;
const stripComment = (publicLine: string): string => publicLine.split(' ').slice(0, 2).join(' ');

const ed = stripComment(newKey('ed25519'));
const ed2 = stripComment(newKey('ed25519'));
const ecdsa = stripComment(newKey('ecdsa'));
const rsa = stripComment(newKey('rsa'));

const lookup = (text: string, host: string, port: number, key: string) =>
  lookupHostKey(parseKnownHosts(text, '/home/u/.ssh/known_hosts').entries, host, port, blobOf(key));

describe('parseKnownHosts', () => {
  it('reads plain, bracketed, comma-listed, hashed and marked lines with their line numbers', () => {
    const text = [
      '# comment',
      '',
      `cluster.example.org,10.0.0.5 ${ed} user@laptop`,
      `[login.example.org]:2222 ${ecdsa}`,
      SSH_KEYGEN_HASHED.split('\n')[0] ?? '',
      `@revoked * ${ed2}`,
      `@cert-authority *.example.org ${rsa}`,
    ].join('\r\n');
    const { entries, invalidLines } = parseKnownHosts(text, 'kh');
    expect(invalidLines).toEqual([]);
    expect(entries.map((e) => [e.line, e.marker, e.keyType, e.hosts.kind])).toEqual([
      [3, null, 'ssh-ed25519', 'plain'],
      [4, null, 'ecdsa-sha2-nistp256', 'plain'],
      [5, null, 'ssh-ed25519', 'hashed'],
      [6, 'revoked', 'ssh-ed25519', 'plain'],
      [7, 'cert-authority', 'ssh-rsa', 'plain'],
    ]);
    expect(entries[0]?.hosts).toEqual({
      kind: 'plain',
      patterns: ['cluster.example.org', '10.0.0.5'],
    });
  });

  it('skips malformed lines instead of failing, and reports them', () => {
    const text = [
      'onlyahost',
      `host ssh-ed25519 not-base64!`,
      `host ssh-rsa ${ed.split(' ')[1]}`, // declared type differs from the key's
      `@bogus host ${ed}`,
      `|1|short|hash ${ed}`,
      `good.example.org ${ed}`,
    ].join('\n');
    const { entries, invalidLines } = parseKnownHosts(text, 'kh');
    expect(invalidLines).toEqual([1, 2, 3, 4, 5]);
    expect(entries).toHaveLength(1);
  });
});

describe('lookupHostKey', () => {
  it('trusts a plain entry for port 22 by bare host name', () => {
    expect(lookup(`cluster.example.org ${ed}`, 'cluster.example.org', 22, ed).status).toBe(
      'trusted',
    );
  });

  it('needs a [host]:port entry for other ports, like OpenSSH', () => {
    expect(lookup(`cluster.example.org ${ed}`, 'cluster.example.org', 2222, ed).status).toBe(
      'unknown',
    );
    expect(lookup(`[cluster.example.org]:2222 ${ed}`, 'cluster.example.org', 2222, ed).status).toBe(
      'trusted',
    );
    expect(lookup(`[cluster.example.org]:2222 ${ed}`, 'cluster.example.org', 22, ed).status).toBe(
      'unknown',
    );
  });

  it('matches any name of a comma-separated list, case-insensitively', () => {
    const text = `login1,Cluster.Example.org,10.0.0.5 ${ed}`;
    expect(lookup(text, 'CLUSTER.example.ORG', 22, ed).status).toBe('trusted');
    expect(lookup(text, '10.0.0.5', 22, ed).status).toBe('trusted');
    expect(lookup(text, '10.0.0.50', 22, ed).status).toBe('unknown');
  });

  it('honours wildcards and a vetoing negated pattern', () => {
    const text = `*.example.org,!evil.example.org ${ed}`;
    expect(lookup(text, 'login.example.org', 22, ed).status).toBe('trusted');
    expect(lookup(text, 'evil.example.org', 22, ed).status).toBe('unknown');
    expect(lookup(`login?.example.org ${ed}`, 'login7.example.org', 22, ed).status).toBe('trusted');
  });

  it('matches entries hashed by ssh-keygen -H, for bracketed and plain names', () => {
    expect(lookup(SSH_KEYGEN_HASHED, '127.0.0.1', 2222, TESTBED_KEY).status).toBe('trusted');
    expect(lookup(SSH_KEYGEN_HASHED, 'cluster.example.org', 22, TESTBED_KEY).status).toBe(
      'trusted',
    );
    expect(lookup(SSH_KEYGEN_HASHED, '127.0.0.1', 22, TESTBED_KEY).status).toBe('unknown');
  });

  it('matches entries hashed with a fresh salt', () => {
    const line = `${hashKnownHostsName('[hpc.example.org]:2200', randomBytes(20))} ${ed}`;
    expect(lookup(line, 'hpc.example.org', 2200, ed).status).toBe('trusted');
    expect(lookup(line, 'hpc.example.org', 22, ed).status).toBe('unknown');
  });

  it('reports a changed key of the same type with the entries it expected', () => {
    const result = lookup(`# c\ncluster.example.org ${ed}`, 'cluster.example.org', 22, ed2);
    expect(result.status).toBe('changed');
    if (result.status === 'changed') expect(result.expected.map((e) => e.line)).toEqual([2]);
  });

  it('treats a key type with no entry as unknown, listing the types that are known', () => {
    const result = lookup(`cluster.example.org ${ecdsa}`, 'cluster.example.org', 22, ed);
    expect(result.status).toBe('unknown');
    if (result.status === 'unknown')
      expect(result.otherTypes.map((e) => e.keyType)).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('trusts each of several key types recorded for one host', () => {
    const text = [
      `cluster.example.org ${ed}`,
      `cluster.example.org ${ecdsa}`,
      `cluster.example.org ${rsa}`,
    ].join('\n');
    for (const key of [ed, ecdsa, rsa])
      expect(lookup(text, 'cluster.example.org', 22, key).status).toBe('trusted');
  });

  it('refuses a @revoked key even when a plain line trusts it', () => {
    const text = [`cluster.example.org ${ed}`, `@revoked * ${ed}`].join('\n');
    expect(lookup(text, 'cluster.example.org', 22, ed)).toMatchObject({
      status: 'revoked',
      entry: { line: 2 },
    });
  });

  it('does not let a @cert-authority line vouch for a plain host key', () => {
    expect(
      lookup(`@cert-authority cluster.example.org ${ed}`, 'cluster.example.org', 22, ed).status,
    ).toBe('unknown');
  });
});

describe('knownKeyTypes', () => {
  it('lists the key types of plain entries for the host, without duplicates', () => {
    const text = [
      `[h]:2222 ${ecdsa}`,
      `[h]:2222,other ${ecdsa}`,
      `@revoked [h]:2222 ${ed}`,
      `h ${rsa}`,
    ].join('\n');
    expect(knownKeyTypes(parseKnownHosts(text, 'kh').entries, 'h', 2222)).toEqual([
      'ecdsa-sha2-nistp256',
    ]);
  });
});
