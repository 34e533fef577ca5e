import { afterAll, describe, expect, it } from 'vitest';
import { cancelQueueJobs } from '../src/backends/slurm/testing';
import { isTerminal } from '../src/domain/job';
import {
  auditQueue,
  echoTasks,
  isDone,
  startFaultCore,
  waitUntil,
  type FaultCore,
} from './fault-core';
import { slurmctldPid, startSlurmctld, stopSlurmctld } from './slurmctld';
import { connectAs, testbed } from './testbed';

// Fault phase only: slurmctld of the shared testbed is stopped for a minute.
const DOWN_MS = 60_000;
const slurm = connectAs('hutuser');
let bed: FaultCore | null = null;
const queueIds: string[] = [];

afterAll(async () => {
  // Whatever happened above, leave the testbed healthy.
  if (slurmctldPid() === null) await startSlurmctld();
  await bed?.dispose();
  for (const id of queueIds) await cancelQueueJobs(slurm, id).catch(() => undefined);
  await slurm.close();
});

describe('slurmctld stopped for a minute and restarted', () => {
  it('shows degraded with squeue’s error, keeps jobs stale, pauses queues without failing tasks, then resumes', async () => {
    const tb = testbed();
    bed = await startFaultCore({
      port: tb.port,
      knownHosts: tb.knownHosts,
      sources: {
        // Each job runs longer than the 5 s poll interval, so a poll sees two running at once
        // (with shorter jobs a wave could start and end between two polls).
        before: { tasks: echoTasks(6, 1_000, '; sleep 8'), maxConcurrent: 4 },
        during: { tasks: echoTasks(6, 1_000), maxConcurrent: 3 },
      },
    });
    const core = bed.core;
    const cluster = () => core.clusters()[0]!;
    await waitUntil(
      'the first successful poll',
      () => (cluster().healthy ? true : undefined),
      30_000,
    );
    const before = await core.queues.run('before');
    queueIds.push(before.id);
    await waitUntil(
      'two tasks running',
      async () => ((await core.queues.getQueue(before.id)).queue.counts.running >= 2 ? true : undefined),
      60_000,
      200,
      async () => {
        const { queue } = await core.queues.getQueue(before.id);
        const squeue = await slurm.run(
          "squeue -a -o '%i %u %T %j %C %R'; sinfo -N -o '%N %T %C %E'",
          {
            timeoutMs: 20_000,
          },
        );
        return `queue ${queue.status} ${JSON.stringify(queue.counts)}; cluster error: ${cluster().lastError ?? 'none'}\n${squeue.stdout}${squeue.stderr}`;
      },
    );

    const stoppedAt = Date.now();
    await stopSlurmctld();
    // Started while the controller is down: its first submission cannot reach slurmctld.
    const during = await core.queues.run('during');
    queueIds.push(during.id);

    const error = await waitUntil(
      'the cluster to report the failed poll',
      () => {
        const c = cluster();
        return !c.healthy && c.lastError?.includes('squeue failed') ? c.lastError : undefined;
      },
      40_000,
    );
    expect(error).toMatch(/Unable to contact slurm controller/);
    expect(await core.health()).toMatchObject({
      status: 'degraded',
      clusters: { tb: { connected: true, error } },
    });

    const inFlight = (await core.listJobs({ queueId: before.id })).jobs.filter(
      (j) => !isTerminal(j.state),
    );
    expect(inFlight.length).toBeGreaterThanOrEqual(2);
    expect(
      inFlight.every((j) => j.stale && ['submitted', 'running', 'finishing'].includes(j.state)),
    ).toBe(true);

    let samples = 0;
    while (Date.now() - stoppedAt < DOWN_MS) {
      const jobs = (await core.listJobs({ queueId: before.id })).jobs;
      for (const j of inFlight)
        expect(jobs.find((x) => x.id === j.id)).toMatchObject({ state: j.state, stale: true });
      for (const id of [before.id, during.id]) {
        const { queue } = await core.queues.getQueue(id);
        expect(queue.counts.failed).toBe(0);
        expect(queue.status).not.toMatch(/completed|failed/);
      }
      expect((await core.queues.getQueue(during.id)).queue.counts).toMatchObject({
        submitted: 0,
        running: 0,
      });
      samples++;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect((await core.queues.getQueue(during.id)).queue.counts).toMatchObject({ pending: 6 });
    const pausedLog = bed.logs.filter((l) =>
      l.includes('not submitted (The Slurm controller cannot be reached'),
    );

    await startSlurmctld();
    const restartedAt = Date.now();
    await waitUntil(
      'the cluster to recover by itself',
      () => (cluster().healthy ? true : undefined),
      120_000,
    );
    const recoveredMs = Date.now() - restartedAt;
    for (const id of [before.id, during.id]) {
      await waitUntil(
        `queue ${id} to finish`,
        async () => (isDone((await core.queues.getQueue(id)).queue.status) ? true : undefined),
        120_000,
        500,
      );
    }
    expect((await core.listJobs({ queueId: before.id })).jobs.filter((j) => j.stale)).toEqual([]);

    for (const [name, id, tasks] of [
      ['before', before.id, 6],
      ['during', during.id, 6],
    ] as const) {
      const audit = await auditQueue(core, slurm, id);
      console.log(
        `slurmctld-restart: queue ${name} ${audit.status}, tasks ${JSON.stringify(audit.counts)}`,
      );
      expect(audit.lost).toEqual([]);
      expect(audit.doubled).toEqual([]);
      expect(audit.mismatched).toEqual([]);
      expect(audit.counts).toEqual({ completed: tasks });
      expect(audit.status).toBe('completed');
    }
    console.log(
      `slurmctld-restart: down ${((restartedAt - stoppedAt) / 1000).toFixed(0)} s (${samples} samples, no task failed), ` +
        `${pausedLog.length} submission(s) deferred while down, healthy again ${(recoveredMs / 1000).toFixed(0)} s after restart; error shown: ${error}`,
    );
  }, 300_000);
});
