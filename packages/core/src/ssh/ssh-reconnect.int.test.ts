import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSshConnection, type SshConnection } from './ssh-connection';
import { SshPool } from './ssh-pool';
import type { SshTarget } from './ssh-target';
import { PrivateSshd, readTestbed, ScaledClock, testbedTarget, waitForState } from './testing';

/** Sleeps run 100× fast: a 1 s backoff takes 10 ms, and a command timeout of 1 000 000 ms takes 10 s. */
const SCALE = 0.01;
const LONG_TIMEOUT_MS = 1_000_000;

let env: Record<string, string>;
let dir: string;
let sshd: PrivateSshd;
let connection: SshConnection | null = null;

async function privateTarget(): Promise<SshTarget> {
  const knownHostsPath = join(dir, 'known_hosts');
  await writeFile(knownHostsPath, sshd.knownHostsLine);
  return testbedTarget(env, { port: sshd.port, knownHostsPath });
}

beforeAll(async () => {
  env = await readTestbed();
  dir = await mkdtemp(join(tmpdir(), 'ssh-reconnect-int-'));
});
afterEach(async () => {
  await connection?.close();
  connection = null;
  await sshd.dispose();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reconnection (private sshd)', () => {
  it('connects to a host that was down at startup once it comes up, and runs the command that waited', async () => {
    sshd = await PrivateSshd.create();
    const clock = new ScaledClock(SCALE);
    connection = createSshConnection(await privateTarget(), { clock, random: () => 0.5 });
    await waitForState(connection, 'unreachable');
    const waiting = connection.run('echo waited', { timeoutMs: LONG_TIMEOUT_MS });
    const backoffs = () => clock.requestedMs.filter((ms) => ms !== LONG_TIMEOUT_MS);
    while (backoffs().length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await sshd.start();
    await waitForState(connection, 'connected');
    await expect(waiting).resolves.toMatchObject({ stdout: 'waited\n', exitCode: 0 });
    expect(backoffs().slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
  });

  it('survives sshd being killed and restarted mid-run', async () => {
    sshd = await PrivateSshd.create();
    await sshd.start();
    const clock = new ScaledClock(SCALE);
    connection = createSshConnection(await privateTarget(), { clock, random: () => 0.5 });
    await waitForState(connection, 'connected');
    await expect(connection.run('echo before')).resolves.toMatchObject({ stdout: 'before\n' });

    const states: string[] = [];
    connection.onStatus((s) => states.push(s.state));
    const running = connection.run('sleep 20', { timeoutMs: LONG_TIMEOUT_MS }).then(
      () => null,
      (e: unknown) => e,
    );
    await sshd.kill();
    await waitForState(connection, 'unreachable');
    expect(await running).toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      details: { started: true },
    });
    expect(connection.status.lastError).toContain('Connection refused');

    const duringOutage = connection.run('echo after', { timeoutMs: LONG_TIMEOUT_MS });
    await sshd.start();
    await expect(duringOutage).resolves.toMatchObject({ stdout: 'after\n', exitCode: 0 });
    expect(states[0]).toBe('reconnecting');
    expect(states.at(-1)).toBe('connected');
  });

  it('fails a command that waited past its timeout with CLUSTER_UNAVAILABLE, saying it never started', async () => {
    sshd = await PrivateSshd.create();
    connection = createSshConnection(await privateTarget(), {
      clock: new ScaledClock(SCALE),
      random: () => 0.5,
    });
    await waitForState(connection, 'unreachable');
    const error: unknown = await connection
      .run('echo never', { timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      details: { started: false, state: 'unreachable' },
    });
    expect((error as Error).message).toContain(
      'Timed out after 5000 ms waiting for the SSH connection',
    );
  });

  it('close() during backoff ends promptly and leaves no sleep pending', async () => {
    sshd = await PrivateSshd.create();
    const clock = new ScaledClock(1);
    connection = createSshConnection(await privateTarget(), { clock, random: () => 0.5 });
    await waitForState(connection, 'unreachable');
    while (clock.pending === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await connection.close();
    expect(Date.now() - started).toBeLessThan(200);
    expect(clock.pending).toBe(0);
    expect(connection.status.state).toBe('disabled');
  });

  it('SshPool keeps one connection per cluster and replaces it when the target changes', async () => {
    sshd = await PrivateSshd.create();
    await sshd.start();
    const pool = new SshPool({ clock: new ScaledClock(SCALE), random: () => 0.5 });
    try {
      const target = await privateTarget();
      const first = pool.get('hut', target);
      expect(pool.get('hut', { ...target })).toBe(first);
      await expect(first.run('echo pooled')).resolves.toMatchObject({ stdout: 'pooled\n' });
      const second = pool.get('hut', { ...target, maxChannels: 2 });
      expect(second).not.toBe(first);
      await waitForState(first, 'disabled');
      await expect(second.run('echo replaced')).resolves.toMatchObject({ stdout: 'replaced\n' });
    } finally {
      await pool.closeAll();
    }
    expect(pool.peek('hut')).toBeUndefined();
  });
});
