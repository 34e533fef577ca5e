import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cancelQueueJobs,
  createSshConnection,
  freeLoopbackPort,
  readTestbed,
  testbedTarget,
  testDatabase,
  type SshConnection,
} from '@scripthut/core/testing';
import { systemClock } from '@scripthut/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLogPreload, readCommandLog, type LoggedCommand } from './command-log';
import { auditQueue, queueCounts, queueStatus, runSource } from './queue-helpers';
import { ServerProcess, waitFor } from './server-process';
import { openStream, seqOf, type StreamClient } from './sse-client';
import {
  DB_PASSWORD_ENV,
  health,
  POLL_INTERVAL_MS,
  readLedger,
  writeSharedConfig,
} from './shared-servers';

// Three real servers share one PostgreSQL database (created for this file)
// and the Slurm testbed. One leads the cluster; the leader is killed with
// SIGKILL in the middle of a queue; another takes over within one poll
// interval; every task runs exactly once, and only the leader of the moment
// runs scheduler commands, one poll per interval. The browsers of the two
// instances that live on see every change, in one order.
// Fault phase: the 200 tasks keep the testbed's two CPUs busy for a minute,
// which would slow every other integration test (and be slowed by them).
const TASKS = 200;
const NAMES = ['a', 'b', 'c'] as const;
type Name = (typeof NAMES)[number];

let ssh: SshConnection;
let database: Awaited<ReturnType<typeof testDatabase>>;
let dir: string;
let ledger: string;
const servers = new Map<Name, ServerProcess>();
const commandLogs = new Map<Name, string>();
let queueId: string | null = null;

beforeAll(async () => {
  const env = await readTestbed();
  const target = testbedTarget(env);
  ssh = createSshConnection(target, { clock: systemClock });
  database = await testDatabase();
  const pgConfig = database.config;
  dir = mkdtempSync(join(tmpdir(), 'scripthut-leaders-'));
  ledger = `lead-ledger-${randomBytes(6).toString('hex')}.txt`;
  const preload = commandLogPreload(dir);
  for (const name of NAMES) {
    const configPath = writeSharedConfig({
      dir,
      name,
      ssh: target,
      databaseUrl: `postgres://${pgConfig.user}@${pgConfig.host}:${pgConfig.port}/${database.name}`,
      tasks: TASKS,
      ledger,
      maxConcurrent: 15,
    });
    const commandLog = join(dir, `${name}.commands`);
    commandLogs.set(name, commandLog);
    servers.set(
      name,
      new ServerProcess({
        configPath,
        port: await freeLoopbackPort(),
        home: dir,
        logPath: join(dir, `${name}.log`),
        env: {
          [DB_PASSWORD_ENV]: String(pgConfig.password ?? ''),
          SCRIPTHUT_TEST_COMMAND_LOG: commandLog,
          NODE_OPTIONS: `--require ${preload}`,
        },
      }),
    );
  }
});

afterAll(async () => {
  for (const server of servers.values()) await server.dispose();
  if (queueId !== null) await cancelQueueJobs(ssh, queueId).catch(() => undefined);
  await ssh.run(`rm -f "$HOME/${ledger}"`, { timeoutMs: 30_000 }).catch(() => undefined);
  await ssh.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const server = (name: Name): ServerProcess => servers.get(name)!;
const schedulerCommands = (log: readonly LoggedCommand[]) => log.filter((c) => c.tool !== null);

describe('three servers on one PostgreSQL database', () => {
  it('polls and submits from one leader at a time; a SIGKILLed leader is replaced within one poll interval and every task runs once', async () => {
    console.log(`shared-leader: database ${database.name}; logs in ${dir}`);
    await server('a').start();
    await waitFor(
      'a to lead tb',
      async () =>
        (await health(server('a').url)).instance?.leads.includes('tb') ? true : undefined,
      30_000,
      100,
    );
    await Promise.all([server('b').start(), server('c').start()]);
    for (const name of ['b', 'c'] as const) {
      const seen = await waitFor(
        `${name} to show a as the poller of tb`,
        async () => {
          const h = await health(server(name).url);
          return h.clusters.tb?.leader === 'a' ? h : undefined;
        },
        2 * POLL_INTERVAL_MS + 10_000,
        100,
      );
      expect(seen.instance).toMatchObject({ name, leads: [] });
      expect(seen.store).toMatchObject({ status: 'ok', kind: 'postgres' });
    }

    // A browser on each instance that outlives the kill, watching from before the queue starts.
    const watchers = new Map<'b' | 'c', StreamClient>();
    for (const name of ['b', 'c'] as const) watchers.set(name, await openStream(server(name).url));
    // Started through a follower: the leader submits it.
    const id = await runSource(server('c').url, 'lead');
    queueId = id;
    await waitFor(
      'a third of the tasks to finish',
      async () => {
        const counts = await queueCounts(server('a').url, id);
        return (counts?.completed ?? 0) >= TASKS / 3 ? true : undefined;
      },
      90_000,
      100,
    );
    const killedAt = Date.now();
    await server('a').stop('SIGKILL');

    const next = await waitFor<'b' | 'c'>(
      'another instance to lead tb',
      async () => {
        for (const name of ['b', 'c'] as const)
          if ((await health(server(name).url)).instance?.leads.includes('tb')) return name;
        return undefined;
      },
      3 * POLL_INTERVAL_MS,
      50,
    );
    const takeoverMs = Date.now() - killedAt;
    const other: Name = next === 'b' ? 'c' : 'b';
    const final = await waitFor(
      'the queue to finish',
      async () => {
        const status = await queueStatus(server(next).url, id);
        return status === 'completed' || status === 'failed' ? status : undefined;
      },
      120_000,
      500,
    );
    const followed = await waitFor(
      `${other} to show ${next} as the poller`,
      async () => {
        const h = await health(server(other).url);
        return h.clusters.tb?.leader === next ? h : undefined;
      },
      2 * POLL_INTERVAL_MS + 5_000,
      100,
    );

    // Every change reached both browsers: the same events in the same order, ids
    // one apart (nothing lost, nothing repeated), no reset, each task's completion.
    const seen = new Map<
      'b' | 'c',
      { events: { seq: number; id: string | null; body: string }[]; completed: Set<string> }
    >();
    for (const [name, watcher] of watchers) {
      await watcher.until(
        (m) =>
          m.data.kind === 'event' &&
          m.data.event.type === 'queue' &&
          m.data.event.queue.id === id &&
          m.data.event.queue.status === 'completed',
      );
      watcher.close();
      const events = watcher.messages.filter((m) => m.data.kind === 'event');
      // A new connection starts with one reset (load the state, then follow); none after it.
      expect(watcher.messages[0]?.data.kind).toBe('reset');
      expect(watcher.messages.slice(1).filter((m) => m.data.kind === 'reset')).toEqual([]);
      const seqs = events.map(seqOf);
      expect(seqs.slice(1).every((n, i) => n === seqs[i]! + 1)).toBe(true);
      const completed = new Set<string>();
      for (const m of events)
        if (m.data.kind === 'event' && m.data.event.type === 'jobs')
          for (const job of m.data.event.upserted)
            if (job.queueId === id && job.state === 'completed' && job.taskId !== null)
              completed.add(job.taskId);
      seen.set(name, {
        events: events.map((m) => ({ seq: seqOf(m), id: m.id, body: JSON.stringify(m.data) })),
        completed,
      });
    }
    const [onB, onC] = [seen.get('b')!, seen.get('c')!];
    // Each browser connected at its own moment and stopped at its own: compare the stretch both saw.
    const from = Math.max(onB.events[0]!.seq, onC.events[0]!.seq);
    const to = Math.min(onB.events.at(-1)!.seq, onC.events.at(-1)!.seq);
    const stretch = (e: { seq: number }[]) => e.filter((x) => x.seq >= from && x.seq <= to);
    // Both connected before the queue started and stayed until it completed: the stretch is its whole life.
    expect(stretch(onB.events)).toHaveLength(to - from + 1);
    expect(stretch(onB.events)).toEqual(stretch(onC.events));
    expect(onB.completed.size).toBe(TASKS);
    expect(onC.completed.size).toBe(TASKS);

    const audit = await auditQueue(server(next).url, ssh, id);
    const runs = await readLedger(ssh, ledger);
    const logs = new Map(NAMES.map((n) => [n, readCommandLog(commandLogs.get(n)!)]));
    const polls = (n: Name) => logs.get(n)!.filter((c) => c.via === 'poll');
    const gaps = (n: Name) =>
      polls(n)
        .slice(1)
        .map((c, i) => c.at - polls(n)[i]!.at);
    const summary = NAMES.map((n) => {
      const log = logs.get(n)!;
      const count = (tool: LoggedCommand['tool']) => log.filter((c) => c.tool === tool).length;
      return `${n}: ${polls(n).length} polls (min gap ${Math.min(...gaps(n))} ms), squeue ${count('squeue')}, sacct ${count('sacct')}, sbatch ${count('sbatch')}, other ${count(null)}`;
    });
    console.log(
      `shared-leader: ${next} led ${takeoverMs} ms after a was killed; queue ${final}; tasks ${JSON.stringify(audit.counts)}; ${summary.join('; ')}`,
    );

    expect(takeoverMs).toBeLessThanOrEqual(POLL_INTERVAL_MS + 1_000);
    expect(followed.instance).toMatchObject({ name: other, leads: [] });
    // One deliverer of notifications among the instances alive.
    const deliverers = await Promise.all(
      [next, other].map(async (n) => (await health(server(n).url)).instance?.notifications),
    );
    expect(deliverers.filter(Boolean)).toHaveLength(1);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.mismatched).toEqual([]);
    expect(audit.counts).toEqual({ completed: TASKS });
    expect(final).toBe('completed');
    expect(runs.size).toBe(TASKS);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    // Only the leader of the moment talks to the scheduler, one poll per interval.
    expect(schedulerCommands(logs.get(other)!)).toEqual([]);
    expect(schedulerCommands(logs.get(next)!).filter((c) => c.at < killedAt)).toEqual([]);
    expect(polls('a').length).toBeGreaterThan(0);
    expect(polls(next).length).toBeGreaterThan(0);
    for (const n of ['a', next] as const)
      for (const gap of gaps(n)) expect(gap).toBeGreaterThanOrEqual(POLL_INTERVAL_MS);
  }, 240_000);
});
