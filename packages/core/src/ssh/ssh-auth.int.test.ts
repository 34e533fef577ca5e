import { execFile, spawn } from 'node:child_process';
import { copyFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { utils } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../domain/cluster';
import { CoreError } from '../runtime/errors';
import { createSshConnection, type SshConnection } from './ssh-connection';
import type { SshTarget } from './ssh-target';
import { freeLoopbackPort, readTestbed, ScaledClock, testbedTarget, waitForState } from './testing';

const sh = promisify(execFile);
let env: Record<string, string>;
let dir: string;
const open: SshConnection[] = [];

function connect(overrides: Partial<SshTarget>, clock = new ScaledClock(0.001)): SshConnection {
  const connection = createSshConnection(testbedTarget(env, overrides), {
    clock,
    random: () => 0.5,
  });
  open.push(connection);
  return connection;
}

async function reaches(
  overrides: Partial<SshTarget>,
  state: ConnectionState,
): Promise<SshConnection> {
  const connection = connect(overrides);
  await waitForState(connection, state);
  return connection;
}

async function failsFast(connection: SshConnection): Promise<CoreError> {
  const started = Date.now();
  const error = await connection.run('true', { timeoutMs: 60_000_000 }).then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(500);
  if (!(error instanceof CoreError)) throw error;
  return error;
}

beforeAll(async () => {
  env = await readTestbed();
  dir = await mkdtemp(join(tmpdir(), 'ssh-auth-int-'));
});
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('host key verification (testbed sshd)', () => {
  const fingerprint = () => env.HUT_SSH_HOST_KEY_SHA256 ?? '';

  it('trusts the host through a known_hosts file hashed by ssh-keygen -H', async () => {
    const path = join(dir, 'hashed_known_hosts');
    await copyFile(env.HUT_SSH_KNOWN_HOSTS ?? '', path);
    await sh('ssh-keygen', ['-H', '-f', path]);
    expect(await readFile(path, 'utf8')).toMatch(/^\|1\|/);
    const connection = await reaches({ knownHostsPath: path }, 'connected');
    await expect(connection.run('whoami')).resolves.toMatchObject({ stdout: 'hutuser\n' });
  });

  it('reads ~/.ssh/known_hosts under homeDir when no file is configured', async () => {
    const home = join(dir, 'home-with-known-hosts');
    await mkdir(join(home, '.ssh'), { recursive: true });
    await copyFile(env.HUT_SSH_KNOWN_HOSTS ?? '', join(home, '.ssh', 'known_hosts'));
    await reaches({ knownHostsPath: undefined, homeDir: home }, 'connected');
  });

  it('accepts a pinned fingerprint that matches', async () => {
    await reaches(
      { knownHostsPath: '/nonexistent', hostKeyFingerprint: fingerprint() },
      'connected',
    );
  });

  it('refuses a pinned fingerprint that does not match, and commands fail fast', async () => {
    const wrong = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const connection = await reaches({ hostKeyFingerprint: wrong }, 'host_key_mismatch');
    expect(connection.status.lastError).toContain(`host_key_fingerprint: ${fingerprint()}`);
    const error = await failsFast(connection);
    expect(error).toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      details: { reason: 'SSH_HOST_KEY_MISMATCH', started: false },
    });
  });

  it('refuses an unknown host with the exact command to trust it, which works', async () => {
    const path = join(dir, 'empty_known_hosts');
    await writeFile(path, '');
    const connection = await reaches({ knownHostsPath: path }, 'host_key_unknown');
    const message = connection.status.lastError ?? '';
    const advice = `ssh-keyscan -p 2222 -t ed25519 127.0.0.1 >> ${path}`;
    expect(message).toContain(advice);
    expect(message).toContain(fingerprint());
    expect(message).toContain(`host_key_fingerprint: ${fingerprint()}`);
    expect((await failsFast(connection)).details).toMatchObject({ reason: 'SSH_HOST_KEY_UNKNOWN' });
    await sh('bash', ['-c', advice]);
    connection.retryNow();
    await waitForState(connection, 'connected');
  });

  it('refuses a changed host key as a mismatch naming both fingerprints and the line to fix', async () => {
    const impostor = utils.generateKeyPairSync('ed25519').public.split(' ').slice(0, 2).join(' ');
    const path = join(dir, 'changed_known_hosts');
    await writeFile(path, `# old key\n[127.0.0.1]:2222 ${impostor}\n`);
    const connection = await reaches({ knownHostsPath: path }, 'host_key_mismatch');
    const message = connection.status.lastError ?? '';
    expect(message).toContain(`${path} line 2`);
    expect(message).toContain(`presented ssh-ed25519 key ${fingerprint()}`);
    expect(message).toContain(`ssh-keygen -R '[127.0.0.1]:2222' -f ${path}`);
  });

  it('refuses a host key marked @revoked', async () => {
    const path = join(dir, 'revoked_known_hosts');
    const line = (await readFile(env.HUT_SSH_KNOWN_HOSTS ?? '', 'utf8')).trim();
    await writeFile(path, `${line}\n@revoked * ${line.split(' ').slice(1).join(' ')}\n`);
    const connection = await reaches({ knownHostsPath: path }, 'host_key_mismatch');
    expect(connection.status.lastError).toContain('@revoked');
  });
});

describe('authentication (testbed sshd)', () => {
  it('reports a key the server rejects as auth_failed naming user@host:port and the key, and backs off long', async () => {
    const clock = new ScaledClock(0.001);
    const connection = connect({ keyPath: env.HUT_KEY_hutuser2 }, clock);
    await waitForState(connection, 'auth_failed');
    expect(connection.status.lastError).toContain(
      `hutuser@127.0.0.1:2222 rejected the key ${env.HUT_KEY_hutuser2}`,
    );
    expect(connection.status.lastErrorCode).toBe('SSH_AUTH_FAILED');
    expect((await failsFast(connection)).details).toMatchObject({ reason: 'SSH_AUTH_FAILED' });
    expect(clock.requestedMs[0]).toBe(60_000);
  });

  it('reports a missing or too-open key file as auth_failed with SSH_KEY_UNREADABLE', async () => {
    const missing = await reaches({ keyPath: join(dir, 'no-such-key') }, 'auth_failed');
    expect(missing.status).toMatchObject({ lastErrorCode: 'SSH_KEY_UNREADABLE' });
    expect(missing.status.lastError).toContain('does not exist');
    const loose = join(dir, 'loose_key');
    await copyFile(env.HUT_KEY_hutuser ?? '', loose);
    await chmod(loose, 0o644);
    const tooOpen = await reaches({ keyPath: loose }, 'auth_failed');
    expect(tooOpen.status.lastError).toContain(
      `Permissions 0644 for SSH key ${loose} are too open`,
    );
  });

  it('uses an encrypted key with its passphrase and explains a missing or wrong one', async () => {
    const key = join(dir, 'encrypted_key');
    await copyFile(env.HUT_KEY_hutuser ?? '', key);
    await chmod(key, 0o600);
    // Few KDF rounds: ssh2 decrypts in JS, ~1 s at the default 16.
    await sh('ssh-keygen', ['-p', '-q', '-a', '2', '-N', 's3cret', '-f', key]);
    await reaches({ keyPath: key, passphrase: 's3cret' }, 'connected');
    const none = await reaches({ keyPath: key }, 'auth_failed');
    expect(none.status.lastError).toContain('is encrypted but no passphrase was given');
    const wrong = await reaches({ keyPath: key, passphrase: 'nope' }, 'auth_failed');
    expect(wrong.status.lastError).toBe(`Cannot decrypt SSH key ${key}: wrong passphrase.`);
  });

  it('authenticates through ssh-agent when no key file is given', async () => {
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      const key = join(dir, 'agent_key');
      await copyFile(env.HUT_KEY_hutuser ?? '', key);
      await chmod(key, 0o600);
      for (let i = 0; i < 100; i++) {
        const added = await sh('ssh-add', [key], { env: { SSH_AUTH_SOCK: socket } }).then(
          () => true,
          () => false,
        );
        if (added) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const connection = await reaches(
        { keyPath: undefined, agentSocket: socket, homeDir: dir },
        'connected',
      );
      await expect(connection.run('whoami')).resolves.toMatchObject({ stdout: 'hutuser\n' });
    } finally {
      agent.kill('SIGKILL');
    }
  });

  it('reports a closed port as unreachable and retries with 1 s, 2 s, 4 s … backoff', async () => {
    const clock = new ScaledClock(0.001);
    const connection = connect({ port: await freeLoopbackPort() }, clock);
    await waitForState(connection, 'unreachable');
    expect(connection.status.lastError).toMatch(
      /^Connection refused by 127\.0\.0\.1:\d+ \(is sshd running/,
    );
    while (clock.requestedMs.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.requestedMs.slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
  });
});
