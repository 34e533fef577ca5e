import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../runtime/clock';
import { CoreError } from '../runtime/errors';
import { createSshConnection, type SshConnection } from './ssh-connection';
import { readTestbed, ScaledClock, testbedTarget, waitForState } from './testing';

let env: Record<string, string>;
let connection: SshConnection;

async function rejection(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected the command to be rejected');
}

beforeAll(async () => {
  env = await readTestbed();
  connection = createSshConnection(testbedTarget(env), { clock: systemClock, random: () => 0.5 });
  await waitForState(connection, 'connected');
});
afterAll(async () => {
  await connection.close();
});

describe('SshConnection commands (testbed sshd)', () => {
  it('returns stdout, stderr and a non-zero exit code as a normal result', async () => {
    const result = await connection.run('echo out; echo err >&2; exit 3');
    expect(result).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, signal: null });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('round-trips unicode and control characters through stdin', async () => {
    const text = 'héllo wörld ✓ 🚀 日本語\n\t\u0001\u0000tab\r\nend';
    const result = await connection.run('cat', { stdin: text });
    expect(result.stdout).toBe(text);
  });

  it('round-trips 1 MB through stdin and stdout', async () => {
    const line = `${'x'.repeat(1023)}\n`;
    const text = line.repeat(1024);
    const result = await connection.run('cat', { stdin: text });
    expect(result.stdout.length).toBe(1024 * 1024);
    expect(result.stdout === text).toBe(true);
  });

  it('ends stdin so a command reading it does not hang when none is given', async () => {
    await expect(connection.run('cat; echo done')).resolves.toMatchObject({
      stdout: 'done\n',
      exitCode: 0,
    });
  });

  it('reports a command killed by a signal as exitCode null with the signal name, never 0', async () => {
    const result = await connection.run('echo before; kill -9 $$');
    expect(result).toMatchObject({ stdout: 'before\n', exitCode: null, signal: 'KILL' });
  });

  it('runs back-to-back commands without the 40 ms Nagle stall (setNoDelay)', async () => {
    // With Nagle on, every exec takes >= 40 ms (measured 44 ms); with setNoDelay ~2 ms on an idle machine.
    const durations: number[] = [];
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      await connection.run('true');
      durations.push(performance.now() - started);
    }
    const median = durations.sort((a, b) => a - b)[10] ?? Infinity;
    expect(median).toBeLessThan(35);
  });

  it('runs 50 concurrent commands, never more than 8 channels at once, all succeeding', async () => {
    // Each command's shell is a child of the sshd session process ($PPID): counting
    // that process's children measures the channels open on the server side.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        connection.run(`sleep 0.05; echo ${i} $(pgrep -c -P $PPID)`),
      ),
    );
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    expect(results.map((r) => Number(r.stdout.split(' ')[0]))).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    const serverSide = results.map((r) => Number(r.stdout.split(' ')[1]));
    expect(Math.max(...serverSide)).toBeLessThanOrEqual(8);
    expect(Math.max(...serverSide)).toBeGreaterThan(1);
    expect(connection.channels).toMatchObject({ max: 8, active: 0, waiting: 0, peak: 8 });
  });

  it('on timeout stops the remote process, closes the channel and keeps the connection usable', async () => {
    const started = Date.now();
    const error = await rejection(connection.run('sleep 37.125', { timeoutMs: 300 }));
    expect(error.code).toBe('COMMAND_TIMEOUT');
    expect(error.details).toMatchObject({ started: true });
    expect(Date.now() - started).toBeLessThan(2_000);
    const check = await connection.run(
      // The bracket keeps this command line itself from matching.
      'for i in $(seq 40); do pgrep -u "$(id -u)" -f "sleep 37[.]125" >/dev/null || exit 0; sleep 0.05; done; exit 1',
    );
    expect(check.exitCode).toBe(0);
    expect(connection.channels.active).toBe(0);
  });

  it('stops a command when its AbortSignal fires, and refuses one whose signal already fired', async () => {
    const controller = new AbortController();
    const pending = connection.run('sleep 30', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: 'COMMAND_ABORTED', details: { started: true } });
    const early = await rejection(connection.run('echo never', { signal: AbortSignal.abort() }));
    expect(early).toMatchObject({ code: 'COMMAND_ABORTED', details: { started: false } });
    await expect(connection.run('echo still-up')).resolves.toMatchObject({ stdout: 'still-up\n' });
  });

  it('fails with OUTPUT_TOO_LARGE when stdout exceeds maxOutputBytes', async () => {
    const error = await rejection(
      connection.run('head -c 1000000 /dev/zero; sleep 5', { maxOutputBytes: 10_000 }),
    );
    expect(error.code).toBe('OUTPUT_TOO_LARGE');
    await expect(connection.run('echo ok')).resolves.toMatchObject({ stdout: 'ok\n' });
  });

  it('reconnects by itself after the server-side session process is killed', async () => {
    const clock = new ScaledClock(0.01);
    const dropped = createSshConnection(testbedTarget(env), { clock, random: () => 0.5 });
    try {
      await waitForState(dropped, 'connected');
      const parent = await dropped.run('ps -o args= -p $PPID');
      expect(parent.stdout).toMatch(/^sshd: hutuser@notty/);
      const seen: string[] = [];
      const said: string[] = [];
      dropped.onStatus((s) => {
        seen.push(s.state);
        said.push(s.lastError ? `${s.state} (${s.lastError})` : s.state);
      });
      const error = await rejection(dropped.run('kill -9 $PPID; sleep 5'));
      expect(error).toMatchObject({ code: 'CLUSTER_UNAVAILABLE', details: { started: true } });
      // 10 s on this clock, which runs 100× fast.
      await expect(dropped.run('echo back', { timeoutMs: 1_000_000 })).resolves.toMatchObject({
        stdout: 'back\n',
      });
      // It said reconnecting, then connected, and is connected now. Once, with three
      // integration files running at once, the new connection dropped and came back a
      // second time (reconnecting, connected, reconnecting, connected); the cause is not
      // known yet, so the count of cycles is printed rather than asserted.
      expect(seen.slice(0, 2)).toEqual(['reconnecting', 'connected']);
      expect(dropped.status.state).toBe('connected');
      if (seen.length > 2) console.log(`ssh-connection: status after the kill went ${said.join(' → ')}`);
    } finally {
      await dropped.close();
    }
  });

  it('declares a server that stops answering lost via keepalives, and reconnects', async () => {
    const target = testbedTarget(env, { keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
    const frozen = createSshConnection(target, { clock: new ScaledClock(0.01), random: () => 0.5 });
    let sessionPid = '';
    try {
      await waitForState(frozen, 'connected');
      sessionPid = (await frozen.run('echo $PPID')).stdout.trim();
      await connection.run(`kill -STOP ${sessionPid}`);
      await waitForState(frozen, 'reconnecting');
      expect(frozen.status.lastError).toContain('stopped answering keepalives');
      await waitForState(frozen, 'connected');
      await expect(frozen.run('echo alive')).resolves.toMatchObject({ stdout: 'alive\n' });
    } finally {
      if (sessionPid) await connection.run(`kill -9 ${sessionPid}`);
      await frozen.close();
    }
  });

  it('close() rejects waiting and running commands promptly and reports disabled', async () => {
    const closing = createSshConnection(testbedTarget(env, { maxChannels: 1 }), {
      clock: systemClock,
    });
    await waitForState(closing, 'connected');
    const running = rejection(closing.run('sleep 29.5'));
    const queued = rejection(closing.run('echo queued'));
    const serverSees = await connection.run(
      'for i in $(seq 100); do pgrep -u "$(id -u)" -f "sleep 29[.]5" >/dev/null && exit 0; sleep 0.02; done; exit 1',
    );
    expect(serverSees.exitCode).toBe(0);
    expect(closing.channels.waiting).toBe(1);
    const started = Date.now();
    await closing.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await running).toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      details: { started: true },
    });
    expect(await queued).toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      details: { started: false },
    });
    expect(closing.status.state).toBe('disabled');
    expect((await rejection(closing.run('echo after'))).code).toBe('CLUSTER_UNAVAILABLE');
  });
});
