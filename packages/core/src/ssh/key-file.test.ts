import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCoreError } from '../runtime/errors';
import {
  describeKeyModeProblem,
  describeReadError,
  expandHome,
  loadKeyIdentity,
  resolveIdentity,
} from './key-file';
import type { SshTarget } from './ssh-target';

let dir: string;
const plain = utils.generateKeyPairSync('ed25519');
const encrypted = utils.generateKeyPairSync('ed25519', {
  passphrase: 'correct horse',
  cipher: 'aes256-ctr',
  rounds: 2, // few bcrypt rounds: ssh2 decrypts in JS
});

async function keyFile(name: string, contents: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, contents);
  await chmod(path, mode);
  return path;
}

async function failureOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isCoreError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-key-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadKeyIdentity', () => {
  it('loads an unencrypted key with mode 0600', async () => {
    const path = await keyFile('id_ok', plain.private);
    await expect(loadKeyIdentity(path, undefined)).resolves.toMatchObject({ kind: 'key', path });
  });

  it('loads an encrypted key with the right passphrase', async () => {
    const path = await keyFile('id_enc_ok', encrypted.private);
    await expect(loadKeyIdentity(path, 'correct horse')).resolves.toMatchObject({
      kind: 'key',
      path,
    });
  });

  it('decrypts a key once and reuses it until the file or passphrase changes', async () => {
    const path = await keyFile('id_enc_cached', encrypted.private);
    const cache = {};
    const first = await loadKeyIdentity(path, 'correct horse', cache);
    expect(await loadKeyIdentity(path, 'correct horse', cache)).toBe(first);
    expect((await failureOf(loadKeyIdentity(path, 'other', cache))).message).toContain(
      'wrong passphrase',
    );
    await chmod(path, 0o400);
    const reloaded = await loadKeyIdentity(path, 'correct horse', cache);
    expect(reloaded).not.toBe(first);
  });

  it('says a missing key file does not exist', async () => {
    const path = join(dir, 'nope');
    expect(await failureOf(loadKeyIdentity(path, undefined))).toEqual({
      code: 'SSH_KEY_UNREADABLE',
      message: `SSH key file ${path} does not exist.`,
    });
  });

  it('refuses a key readable by group or others, like OpenSSH', async () => {
    const path = await keyFile('id_open', plain.private, 0o644);
    const failure = await failureOf(loadKeyIdentity(path, undefined));
    expect(failure.code).toBe('SSH_KEY_UNREADABLE');
    expect(failure.message).toContain(`Permissions 0644 for SSH key ${path} are too open`);
    expect(failure.message).toContain(`chmod 600 ${path}`);
  });

  it('refuses a directory as a key', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path, { mode: 0o700 });
    expect((await failureOf(loadKeyIdentity(path, undefined))).message).toBe(
      `SSH key ${path} is not a regular file.`,
    );
  });

  it('asks for a passphrase when the key is encrypted and none was given', async () => {
    const path = await keyFile('id_enc', encrypted.private);
    const failure = await failureOf(loadKeyIdentity(path, undefined));
    expect(failure.message).toContain(`SSH key ${path} is encrypted but no passphrase was given`);
  });

  it('reports a wrong passphrase', async () => {
    const path = await keyFile('id_enc_bad', encrypted.private);
    expect((await failureOf(loadKeyIdentity(path, 'wrong'))).message).toBe(
      `Cannot decrypt SSH key ${path}: wrong passphrase.`,
    );
  });

  it('reports a public key or garbage given as the private key', async () => {
    const path = await keyFile('id_pub', plain.public);
    expect((await failureOf(loadKeyIdentity(path, undefined))).message).toBe(
      `SSH key ${path} is a public key; key_path must name the private key.`,
    );
    const garbage = await keyFile('id_garbage', 'hello');
    expect((await failureOf(loadKeyIdentity(garbage, undefined))).message).toContain(
      'is not a usable private key',
    );
  });
});

describe('key file messages', () => {
  it('describes permission bits in four octal digits', () => {
    expect(describeKeyModeProblem(0o100640, '/k')).toContain('Permissions 0640 for SSH key /k');
    expect(describeKeyModeProblem(0o100600, '/k')).toBeNull();
    expect(describeKeyModeProblem(0o100400, '/k')).toBeNull();
  });

  it('describes an unreadable file as permission denied', () => {
    expect(describeReadError(Object.assign(new Error('x'), { code: 'EACCES' }), '/k')).toBe(
      'Cannot read SSH key file /k: permission denied.',
    );
  });
});

describe('resolveIdentity', () => {
  const base: SshTarget = { host: 'h', port: 22, user: 'u', homeDir: '/nonexistent-home' };

  it('expands ~/ in key paths against homeDir', () => {
    expect(expandHome('~/.ssh/id', '/home/r')).toBe('/home/r/.ssh/id');
    expect(expandHome('/abs/id', '/home/r')).toBe('/abs/id');
  });

  it('uses the agent socket when no key file is given', async () => {
    await expect(resolveIdentity({ ...base, agentSocket: '/tmp/agent.sock' })).resolves.toEqual({
      kind: 'agent',
      socket: '/tmp/agent.sock',
    });
  });

  it('falls back to ~/.ssh/id_ed25519 in homeDir', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true });
    await writeFile(join(home, '.ssh', 'id_ed25519'), plain.private, { mode: 0o600 });
    await expect(resolveIdentity({ ...base, homeDir: home })).resolves.toMatchObject({
      kind: 'key',
      path: join(home, '.ssh', 'id_ed25519'),
    });
  });

  it('explains that there is no key at all', async () => {
    const failure = await failureOf(resolveIdentity(base));
    expect(failure.code).toBe('SSH_KEY_UNREADABLE');
    expect(failure.message).toContain(
      'no key_path configured, no ssh-agent socket (SSH_AUTH_SOCK)',
    );
  });
});
