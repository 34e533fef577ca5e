import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, SubmitSpec } from '../backends/backend';
import type { LocalBackend } from '../backends/local';
import { CoreError } from '../runtime/errors';
import {
  jsonSource,
  localJobSpecs,
  queueTestbed,
  removeDir,
  tickUntil,
  type Testbed,
  type TestbedOptions,
} from './testing';

const live: Testbed[] = [];
afterEach(async () => {
  for (const b of live.splice(0)) {
    await b.close();
    await removeDir(b.dir);
  }
});

const source = jsonSource(
  'exp',
  Array.from({ length: 4 }, (_, i) => ({
    id: `t${i}`,
    name: `Task ${i}`,
    command: `echo done-${i}`,
  })),
  { max_concurrent: 2 },
);

/** A local backend whose scheduler can be "down": polls and submissions fail as Slurm's do while slurmctld is stopped. */
function controllable(local: LocalBackend, state: { down: boolean; submits: number }): Backend {
  return Object.assign(Object.create(local) as LocalBackend, {
    listJobs: async () => {
      if (state.down)
        throw new CoreError(
          'SCHEDULER_ERROR',
          'squeue failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller (connect failure)',
        );
      return await local.listJobs();
    },
    submit: async (spec: SubmitSpec) => {
      state.submits++;
      if (state.down)
        return {
          kind: 'notSubmitted',
          message: 'The Slurm controller cannot be reached: Unable to contact slurm controller (connect failure)',
        };
      return local.submit(spec);
    },
  });
}

async function bedWith(o: Omit<TestbedOptions, 'sources'>): Promise<Testbed> {
  const bed = await queueTestbed({ sources: [source], ...o });
  live.push(bed);
  await bed.service.start();
  return bed;
}

const perTask = (dir: string): number[] => {
  const counts = [0, 0, 0, 0];
  for (const spec of localJobSpecs(dir))
    counts[Number(/^sh-[0-9a-f]+-(\d+)-/.exec(spec.tag)?.[1])]!++;
  return counts;
};

describe('a queue while its scheduler is unreachable', () => {
  it('keeps a task pending (not failed) when the submission certainly queued nothing, and submits it once later', async () => {
    const state = { down: true, submits: 0 };
    const bed = await bedWith({ wrap: (local) => controllable(local, state) });
    const queue = await bed.service.run('exp');
    await bed.service.idle();
    // One attempt, then the pass stops: the same failure is not waited out for every task.
    expect(state.submits).toBe(1);
    expect((await bed.service.getQueue(queue.id)).queue.counts).toMatchObject({
      pending: 4,
      failed: 0,
      submitting: 0,
    });
    expect(await bed.store.pendingIntents()).toEqual([]);
    expect(
      bed.logs.some((l) => l.includes('not submitted (The Slurm controller cannot be reached')),
    ).toBe(true);

    state.down = false;
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'completed');
    expect(perTask(bed.dir)).toEqual([1, 1, 1, 1]);
  });

  it('pauses submitting while the last poll failed, without failing tasks, and resumes after a good poll', async () => {
    const state = { down: false, submits: 0 };
    const bed = await bedWith({ wrap: (local) => controllable(local, state) });
    await bed.monitor.tick();
    state.down = true;
    await bed.monitor.tick();
    expect(bed.monitor.status()).toMatchObject({
      healthy: false,
      lastError: expect.stringMatching(/Unable to contact slurm controller/) as string,
    });
    const queue = await bed.service.run('exp');
    await bed.service.idle();
    expect(state.submits).toBe(0);
    expect((await bed.service.getQueue(queue.id)).queue).toMatchObject({
      status: 'pending',
      counts: expect.objectContaining({ pending: 4, failed: 0 }) as object,
    });

    state.down = false;
    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'completed');
    expect(perTask(bed.dir)).toEqual([1, 1, 1, 1]);
  });
});

describe('a submission whose outcome stays unknown while the server runs', () => {
  it('is released once not found by its tag for releaseUnknownAfterMs, and the task is submitted once', async () => {
    let first = true;
    const bed = await bedWith({
      unknownRecheckMs: 0,
      releaseUnknownAfterMs: 300,
      // The first submit loses its connection before sbatch ran: nothing exists, but the caller cannot know.
      wrap: (local) =>
        Object.assign(Object.create(local) as LocalBackend, {
          submit: async (spec: SubmitSpec) => {
            if (!first) return local.submit(spec);
            first = false;
            return { kind: 'uncertain', message: 'Connection lost while the command was running' };
          },
        }),
    });
    const queue = await bed.service.run('exp');
    await bed.service.idle();
    expect((await bed.store.pendingIntents()).map((s) => [s.taskId, s.state])).toEqual([['t0', 'unknown']]);
    expect((await bed.service.getQueue(queue.id)).queue.blockedReason).toMatch(/unknown outcome/);

    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'completed');
    expect(perTask(bed.dir)).toEqual([1, 1, 1, 1]);
    expect(
      bed.logs.some((l) =>
        /task t0: submission sh-\S+ not found after \d+ s; task is pending again/.test(l),
      ),
    ).toBe(true);
  });
});

describe('a submission whose outcome could not be recorded (store failure after sbatch)', () => {
  it('is found by its tag while the server runs, not submitted again, and the queue completes', async () => {
    const bed = await bedWith({ submitTimeoutMs: 100 });
    const record = bed.store.recordSubmissionOutcome.bind(bed.store);
    let failures = 1;
    bed.store.recordSubmissionOutcome = (outcome) => {
      if (failures-- > 0)
        throw new CoreError(
          'STORE_UNAVAILABLE',
          'History database x cannot be written: the disk is full',
        );
      return record(outcome);
    };
    const queue = await bed.service.run('exp');
    await bed.service.idle();
    // Both answers of the pass are recorded in one transaction, so both stay intents.
    expect((await bed.store.pendingIntents()).map((s) => [s.taskId, s.state]).sort()).toEqual([
      ['t0', 'intent'],
      ['t1', 'intent'],
    ]);

    await tickUntil(bed, async () => (await bed.service.getQueue(queue.id)).queue.status === 'completed');
    expect(perTask(bed.dir)).toEqual([1, 1, 1, 1]);
    expect(bed.logs.some((l) => /task t0: found job \S+ by tag/.test(l))).toBe(true);
    expect(bed.logs.some((l) => /task t1: found job \S+ by tag/.test(l))).toBe(true);
  });
});
