import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelQueueJobs } from '../src/backends/slurm/testing';
import type { ClusterStatus } from '../src/domain/cluster';
import { PrivateSshd } from '../src/ssh/testing';
import {
  auditQueue,
  echoTasks,
  isDone,
  startFaultCore,
  waitUntil,
  type FaultCore,
} from './fault-core';
import { connectAs } from './testbed';

// The cluster's sshd (a private one in front of the shared Slurm, so other
// tests keep theirs) is killed and restarted twice: once while a queue is
// submitting, once while a poll is running.
const TASKS = 40;
const FAIL_EVERY = 10;
const slurm = connectAs('hutuser');
let sshd: PrivateSshd | null = null;
let bed: FaultCore | null = null;
let queueId: string | null = null;

afterAll(async () => {
  await bed?.dispose();
  await sshd?.dispose();
  if (queueId !== null) await cancelQueueJobs(slurm, queueId);
  await slurm.close();
});

const cluster = (): ClusterStatus => bed!.core.clusters()[0]!;
const healthy = async (): Promise<true | undefined> =>
  cluster().healthy && (await bed!.core.health()).status === 'ok' ? true : undefined;

/** While sshd is down: the cluster says so (reconnecting, degraded) until it is back. */
async function expectDownThenRecover(server: PrivateSshd, downMs: number): Promise<string> {
  const seen = await waitUntil(
    'the cluster to show the lost connection',
    async () => {
      const c = cluster();
      return c.connection !== 'connected' && !c.healthy && (await bed!.core.health()).status === 'degraded'
        ? c.connection
        : undefined;
    },
    20_000,
    50,
  );
  await new Promise((r) => setTimeout(r, downMs));
  expect(cluster()).toMatchObject({ healthy: false });
  await server.start();
  await waitUntil('the cluster to recover by itself', healthy, 60_000);
  return seen;
}

describe('the cluster sshd killed and restarted (private sshd in front of the testbed Slurm)', () => {
  it('shows reconnecting while down, recovers alone, and ends every task once with its true state', async () => {
    const server = await PrivateSshd.create();
    sshd = server;
    await server.start();
    const knownHosts = join(server.dir, 'known_hosts');
    writeFileSync(knownHosts, server.knownHostsLine);
    bed = await startFaultCore({
      port: server.port,
      knownHosts,
      sources: { ssh40: { tasks: echoTasks(TASKS, FAIL_EVERY, '; sleep 1'), maxConcurrent: 8 } },
      // A kill can land after sbatch's exec was sent but before it queued anything; the killed
      // sshd takes its sessions' processes with it, so a tag not found after 30 s never will be.
      queueTimings: { unknownRecheckMs: 5_000, releaseUnknownAfterMs: 30_000 },
    });
    const core = bed.core;
    await waitUntil('the first successful poll', healthy, 30_000);
    const started = Date.now();

    // Kill 1: as soon as the first submitted task is tracked, while the rest of the first eight are being submitted.
    const kill: { done: Promise<void> | null } = { done: null };
    const off = core.events.subscribe(({ event }) => {
      if (
        kill.done === null &&
        event.type === 'jobs' &&
        event.upserted.some((j) => j.source === 'queue')
      )
        kill.done = server.kill();
    });
    const queue = await core.queues.run('ssh40');
    queueId = queue.id;
    await waitUntil(
      'the kill during submission',
      () => (kill.done === null ? undefined : true),
      30_000,
      20,
    );
    off();
    await kill.done;
    const submittedAtKill = (await core.queues.getQueue(queue.id))
      .tasks.filter((t) => t.state !== 'pending').length;
    const firstDown = await expectDownThenRecover(server, 8_000);

    // Kill 2: just after a poll starts (its squeue is in flight).
    await waitUntil(
      'a couple of tasks to finish',
      async () => ((await core.queues.getQueue(queue.id)).queue.counts.completed >= 2 ? true : undefined),
      60_000,
    );
    const next = Date.parse(cluster().nextPollAt ?? new Date().toISOString());
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now()) + 15));
    await server.kill();
    const secondDown = await expectDownThenRecover(server, 8_000);

    const final = await waitUntil(
      'the queue to finish',
      async () => {
        const status = (await core.queues.getQueue(queue.id)).queue.status;
        return isDone(status) ? status : undefined;
      },
      180_000,
      500,
    );
    const audit = await auditQueue(core, slurm, queue.id);
    console.log(
      `ssh-restart: kill 1 with ${submittedAtKill}/8 submitted (${firstDown}), kill 2 during a poll (${secondDown}); ` +
        `queue ${final} after ${((Date.now() - started) / 1000).toFixed(0)} s; tasks ${JSON.stringify(audit.counts)}`,
    );
    for (const line of bed.logs.filter((l) =>
      /by tag|not found after|not submitted|will be looked up/.test(l),
    ))
      console.log(`ssh-restart: ${line}`);
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
    expect(audit.mismatched).toEqual([]);
    expect(audit.counts).toEqual({
      completed: TASKS - TASKS / FAIL_EVERY,
      failed: TASKS / FAIL_EVERY,
    });
    expect(final).toBe('failed');
  }, 240_000);
});
