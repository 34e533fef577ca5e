import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { systemClock, type Clock } from '../runtime/clock';
import type { ConnectionState } from '../domain/cluster';
import type { SshConnection } from './ssh-connection';
import type { SshTarget } from './ssh-target';

const run = promisify(execFile);

/** Values from the testbed's connection.env (written by testbed/up.sh). */
export async function readTestbed(
  path = '/var/tmp/scripthut-testbed/connection.env',
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) values[match[1]] = (match[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return values;
}

/** hutuser on the testbed sshd, trusting it through the testbed's known_hosts file. */
export function testbedTarget(
  env: Record<string, string>,
  overrides: Partial<SshTarget> = {},
): SshTarget {
  return {
    host: env.HUT_SSH_HOST ?? '127.0.0.1',
    port: Number(env.HUT_SSH_PORT ?? 2222),
    user: 'hutuser',
    keyPath: env.HUT_KEY_hutuser,
    knownHostsPath: env.HUT_SSH_KNOWN_HOSTS,
    homeDir: '/nonexistent-home',
    ...overrides,
  };
}

/**
 * A real clock whose sleeps are scaled down (backoff of 60 s takes 0.6 s at
 * 0.01), recording what was asked for and how many sleeps are pending.
 */
export class ScaledClock implements Clock {
  readonly requestedMs: number[] = [];
  pending = 0;

  constructor(private readonly scale: number) {}

  now(): Date {
    return systemClock.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.requestedMs.push(ms);
    this.pending++;
    try {
      await systemClock.sleep(ms * this.scale, signal);
    } finally {
      this.pending--;
    }
  }
}

/** Resolves when the connection reaches `state` (now or later); fails after `guardMs` as a test bug guard. */
export function waitForState(
  connection: SshConnection,
  state: ConnectionState,
  guardMs = 20_000,
): Promise<void> {
  if (connection.status.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      unsubscribe();
      reject(
        new Error(
          `still ${connection.status.state} (${connection.status.lastError}) after ${guardMs} ms, wanted ${state}`,
        ),
      );
    }, guardMs);
    const unsubscribe = connection.onStatus((status) => {
      if (status.state !== state) return;
      clearTimeout(guard);
      unsubscribe();
      resolve();
    });
  });
}

export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A private sshd on its own loopback port and host key, run as a child
 * process so tests may kill and restart it. It authorizes the testbed users
 * through their ~/.ssh/authorized_keys, like the shared testbed sshd.
 */
export class PrivateSshd {
  private child: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly hostPublicKey: string,
  ) {}

  static async create(): Promise<PrivateSshd> {
    const dir = await mkdtemp(join(tmpdir(), 'private-sshd-'));
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    const port = await freeLoopbackPort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'AuthorizedKeysFile .ssh/authorized_keys',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'UseDNS no',
      'StrictModes yes',
      'MaxStartups 100:30:200',
      'MaxSessions 50',
      'LogLevel VERBOSE',
    ];
    await writeFile(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
    const publicKey = (await readFile(join(dir, 'host_key.pub'), 'utf8'))
      .split(' ')
      .slice(0, 2)
      .join(' ');
    return new PrivateSshd(dir, port, publicKey);
  }

  /** A known_hosts line trusting this server. */
  get knownHostsLine(): string {
    return `[127.0.0.1]:${this.port} ${this.hostPublicKey}\n`;
  }

  async start(): Promise<void> {
    const child = spawn(
      '/usr/sbin/sshd',
      ['-D', '-f', join(this.dir, 'sshd_config'), '-E', join(this.dir, 'sshd.log')],
      {
        stdio: 'ignore',
      },
    );
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`sshd exited with ${code}; see ${join(this.dir, 'sshd.log')}`)),
      ),
    );
    exited.catch(() => undefined);
    for (let attempt = 0; attempt < 250; attempt++) {
      if (await accepts(this.port)) return;
      await Promise.race([systemClock.sleep(20), exited]);
    }
    throw new Error(`sshd on port ${this.port} did not start listening`);
  }

  /** Kill the listener and every session process it forked (a crash or reboot of the host's sshd). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    const sessions = await descendants(child.pid);
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
    if (sessions.length > 0)
      await run('kill', ['-9', ...sessions.map(String)]).catch(() => undefined);
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
  const children = stdout.split('\n').filter(Boolean).map(Number);
  const nested = await Promise.all(children.map(descendants));
  return [...children, ...nested.flat()];
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
