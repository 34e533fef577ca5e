import type { Job } from '@scripthut/core';
import type { HistoryStore } from '../../packages/core/src/history';
import type { NewTask, TaskState } from '../../packages/core/src/history/types';
import { makeJob } from '../../packages/core/src/history/testing';

export const HISTORY_CLUSTERS = ['hpc', 'gpu', 'cloud'] as const;

/** Nine in ten jobs of a history have ended: 7 completed, 2 failed; the tenth is running or waiting. */
const stateOf = (i: number): Job['state'] => {
  const k = i % 10;
  if (k < 7) return 'completed';
  if (k < 9) return 'failed';
  return i % 20 === 9 ? 'running' : 'submitted';
};

/**
 * `count` synthetic jobs shaped like a long history of parameter sweeps on
 * three clusters: one job every `spacingMs` ending `endsAt`, finished ones
 * with a finish time a few minutes after submission. Ids `<cluster>:<n>`.
 */
export function historyJobs(
  count: number,
  o: { endsAt: number; spacingMs: number; firstId?: number },
): Job[] {
  const first = o.firstId ?? 1_000_000;
  const start = o.endsAt - count * o.spacingMs;
  return Array.from({ length: count }, (_, i) => {
    const submitted = start + i * o.spacingMs;
    const state = stateOf(i);
    const ended = state === 'completed' || state === 'failed';
    const cluster = HISTORY_CLUSTERS[i % HISTORY_CLUSTERS.length]!;
    const n = first + i;
    return makeJob({
      id: `${cluster}:${n}`,
      cluster,
      schedulerJobId: String(n),
      name: `sweep-${i % 97}-run-${i}`,
      user: i % 5 === 0 ? 'bob' : 'alice',
      state,
      outcome: state === 'completed' ? 'COMPLETED' : state === 'failed' ? 'FAILED' : null,
      exitCode: state === 'completed' ? 0 : state === 'failed' ? 1 : null,
      partition: 'debug',
      cpus: 1 + (i % 4),
      memory: '4G',
      command: `python train.py --seed ${i}`,
      workDir: '/home/alice/project',
      submitTime: new Date(submitted).toISOString(),
      startTime: state === 'submitted' ? null : new Date(submitted + 30_000).toISOString(),
      finishTime: ended ? new Date(submitted + 30_000 + (i % 50) * 60_000).toISOString() : null,
      updatedAt: new Date(submitted + (ended ? 30_000 + (i % 50) * 60_000 : 0)).toISOString(),
    });
  });
}

/** Writes through the real store, 1,000 jobs per transaction (as a busy poll would). */
export async function writeJobs(store: HistoryStore, jobs: readonly Job[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1_000) await store.upsertJobs(jobs.slice(i, i + 1_000));
}

/** A queue's task states, as a history of finished and running sweeps has them. */
const QUEUE_MIXES: readonly (readonly TaskState[])[] = [
  ['completed'],
  ['completed', 'failed', 'skipped'],
  ['completed', 'cancelled', 'unknown'],
  ['running', 'submitted', 'pending', 'completed'],
  ['submitted'],
];

/**
 * `queues` queues of `tasksPer` tasks through the real store: most finished
 * (completed, failed with skipped dependents, lost), some still active with
 * running and waiting tasks whose jobs are stored (and one in five of those
 * waiting for a reason that cannot resolve, so blocked reasons are computed).
 */
export async function writeQueues(
  store: HistoryStore,
  queues: number,
  tasksPer: number,
  endsAt: number,
): Promise<void> {
  for (let q = 0; q < queues; q++) {
    const id = `sweep-${q}`;
    const mix = QUEUE_MIXES[q % QUEUE_MIXES.length]!;
    const states = Array.from({ length: tasksPer }, (_, t) => mix[t % mix.length]!);
    const active = states.some(
      (s) => !['completed', 'failed', 'skipped', 'cancelled', 'unknown'].includes(s),
    );
    const jobs = states.flatMap((state, t) =>
      state === 'pending' || state === 'skipped'
        ? []
        : [
            makeJob({
              id: `q:${id}:t${t}`,
              cluster: 'hpc',
              source: 'queue',
              queueId: id,
              taskId: `t${t}`,
              state:
                state === 'cancelled'
                  ? 'failed'
                  : state === 'submitted'
                    ? 'submitted'
                    : (state as Job['state']),
              outcome: state === 'cancelled' ? 'CANCELLED' : null,
              reason:
                state === 'submitted' ? (q % 2 === 0 ? 'PartitionTimeLimit' : 'Priority') : null,
              updatedAt: new Date(endsAt - (queues - q) * 60_000).toISOString(),
            }),
          ],
    );
    await store.upsertJobs(jobs);
    const tasks: NewTask[] = states.map((state, t) => ({
      taskId: `t${t}`,
      position: t,
      name: `task ${t}`,
      spec: { command: `python train.py --seed ${t}`, memory: '4G' },
      script: null,
      state,
      jobId: state === 'pending' || state === 'skipped' ? null : `q:${id}:t${t}`,
    }));
    await store.createQueue(
      {
        id,
        sourceName: `sweep-${q % 7}`,
        cluster: 'hpc',
        createdAt: new Date(endsAt - (queues - q) * 60_000).toISOString(),
        maxConcurrent: 10,
        logDir: `/home/alice/.cache/scripthut/logs/${id}`,
        account: null,
        sourceCommit: null,
        status: active ? 'active' : states.every((s) => s === 'completed') ? 'completed' : 'failed',
      },
      tasks,
    );
  }
}
