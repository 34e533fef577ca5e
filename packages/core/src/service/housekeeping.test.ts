import { afterEach, describe, expect, it } from 'vitest';
import { makeJob } from '../history/testing';
import { notifyBed, type NotifyBed } from '../notifications/testing/notify-bed';
import { startHousekeeping } from './housekeeping';

const DAY_MS = 24 * 3_600_000;

let bed: NotifyBed | null = null;
afterEach(async () => {
  await bed?.close();
  bed = null;
});

const failed = (n: number) =>
  makeJob({
    id: `hpc:${n}`,
    schedulerJobId: String(n),
    state: 'failed',
    outcome: 'FAILED',
    exitCode: 1,
    updatedAt: '2026-03-01T12:00:00.000Z',
  });

/** Jobs `from`..`to` fail now, in one poll. */
async function failJobs(b: NotifyBed, from: number, to: number): Promise<void> {
  const ns = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  await b.store.upsertJobs(ns.map((n) => makeJob({ id: `hpc:${n}`, schedulerJobId: String(n) })));
  await b.store.upsertJobs(ns.map(failed));
}

function run(b: NotifyBed, logs: string[], o: { retentionDays: number; outboxBatch?: number; jobBatch?: number }) {
  const h = startHousekeeping({ store: b.store, clock: b.clock, log: (m) => logs.push(m), ...o });
  h.start();
  return h;
}

describe('outbox retention in housekeeping', () => {
  it('prunes sent and failed notifications past retention with their events, and keeps newer ones and those still being retried', async () => {
    bed = await notifyBed({
      channels: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' }],
      rules: [
        { name: 'failures', events: ['job.failed'], channels: ['hook'], digest_window_seconds: 0 },
      ],
      give_up_after_minutes: 3 * 24 * 60,
    });
    const hook = bed.senders.get('hook')!;
    // Day 0: job 1 is sent, job 2 refused for good, job 3 keeps failing (retried for days).
    const answers = [
      { kind: 'sent', answer: 'HTTP 200' },
      { kind: 'permanent', answer: 'HTTP 410' },
      { kind: 'retry', answer: 'HTTP 503', retryAfterMs: null },
    ] as const;
    for (const [i, answer] of answers.entries()) {
      hook.script.push(answer);
      await failJobs(bed, i + 1, i + 1);
      await bed.service.worker.tick();
    }
    expect(
      (await bed.store.outbox.deliveries(10))
        .map((d) => d.state)
        .sort(),
    ).toEqual(['failed', 'retrying', 'sent']);
    // Day 2: job 3 fails again (still within its give-up time), job 4 is sent.
    await bed.clock.advance(2 * DAY_MS);
    hook.script.push({ kind: 'retry', answer: 'HTTP 503', retryAfterMs: null });
    await failJobs(bed, 4, 4);
    await bed.service.worker.tick();

    const logs: string[] = [];
    const h = run(bed, logs, { retentionDays: 1 });
    await h.idle();
    h.stop();

    const left = await bed.store.outbox.deliveries(10);
    expect(left.map((d) => [d.title, d.state]).sort()).toEqual([
      ['Job 3 "job" failed on hpc (exit 1)', 'retrying'],
      ['Job 4 "job" failed on hpc (exit 1)', 'sent'],
    ]);
    expect(
      (await bed.store.outbox.recentEvents(10))
        .map((e) => e.jobId)
        .sort(),
    ).toEqual(['hpc:3', 'hpc:4']);
    expect(logs).toContain(
      'history: pruned 2 notification message(s) and 2 event(s) older than 1 days',
    );
  });

  it('prunes a large backlog in short batches, letting other work run between them', async () => {
    bed = await notifyBed({});
    await failJobs(bed, 1, 25);
    // No rule: the events are routed to nothing and only the bell shows them.
    await bed.service.worker.tick();
    await bed.clock.advance(8 * DAY_MS);

    // What another task on the event loop (a poll) sees while the pruning runs.
    const seen: number[] = [];
    let watching = true;
    const outbox = bed.store.outbox;
    const observe = async (): Promise<void> => {
      if (!watching) return;
      seen.push((await outbox.recentEvents(100)).length);
      setImmediate(() => void observe());
    };
    const logs: string[] = [];
    const h = run(bed, logs, { retentionDays: 7, outboxBatch: 10 });
    setImmediate(() => void observe());
    await h.idle();
    watching = false;
    h.stop();

    expect(await bed.store.outbox.recentEvents(100)).toEqual([]);
    expect(seen.some((n) => n > 0 && n < 25)).toBe(true);
    expect(logs).toContain(
      'history: pruned 0 notification message(s) and 25 event(s) older than 7 days',
    );
  });
});

describe('job retention in housekeeping', () => {
  it('prunes finished jobs past retention in batches, with polls writing between them, and then their queue', async () => {
    bed = await notifyBed({});
    const store = bed.store;
    await store.createQueue(
      { id: 'old-q', sourceName: 'sweep', cluster: 'hpc', createdAt: '2026-03-01T12:00:00Z', maxConcurrent: null, logDir: '/logs', account: null, sourceCommit: null },
      [],
    );
    const old = Array.from({ length: 23 }, (_, i) =>
      makeJob({ id: `hpc:${i}`, schedulerJobId: String(i), state: 'completed', finishTime: '2026-03-01T12:00:00Z', queueId: i < 3 ? 'old-q' : null }),
    );
    await store.upsertJobs([...old, makeJob({ id: 'hpc:live', state: 'running', updatedAt: '2026-03-01T12:00:00Z' })]);
    await bed.clock.advance(8 * DAY_MS);

    const oldLeft = async (): Promise<number> => {
      let left = 0;
      for (const j of old) if ((await store.getJob(j.id)) !== null) left++;
      return left;
    };
    // A poll on the event loop: each turn writes one job and notes how many old ones are left.
    const leftAtWrite: number[] = [];
    let polls = 0;
    let polling = true;
    const poll = async (): Promise<void> => {
      if (!polling) return;
      await store.upsertJobs([makeJob({ id: `hpc:new-${polls++}`, state: 'running', updatedAt: bed!.clock.now().toISOString() })]);
      leftAtWrite.push(await oldLeft());
      setImmediate(() => void poll());
    };
    const logs: string[] = [];
    const h = run(bed, logs, { retentionDays: 7, jobBatch: 5 });
    setImmediate(() => void poll());
    await h.idle();
    polling = false;
    h.stop();

    expect(await oldLeft()).toBe(0);
    expect(leftAtWrite.filter((n) => n > 0 && n < 23).length).toBeGreaterThanOrEqual(3);
    expect((await store.getJob('hpc:live'))?.state).toBe('running');
    for (let i = 0; i < polls; i++) expect(await store.getJob(`hpc:new-${i}`)).not.toBeNull();
    expect(await store.getQueue('old-q')).toBeNull();
    expect(logs).toContain('history: pruned 23 finished job(s) older than 7 days');
  });
});

describe('live stream retention in housekeeping', () => {
  it('prunes the stream at each pass with the clock’s time, and goes on when that fails', async () => {
    const now = new Date('2026-03-05T10:00:00.000Z');
    const clock = { now: () => now, sleep: () => new Promise<void>(() => undefined) };
    const store = {
      pruneFinished: () => Promise.resolve(0),
      outbox: { pruneBatch: () => Promise.resolve({ messages: 0, events: 0 }) },
    };
    const asked: Date[] = [];
    const logs: string[] = [];
    const h = startHousekeeping({
      store,
      clock,
      retentionDays: 7,
      events: {
        prune: (at) => {
          asked.push(at);
          return Promise.reject(new Error('database unreachable'));
        },
      },
      log: (m) => logs.push(m),
    });
    h.start();
    await h.idle();
    h.stop();
    expect(asked).toEqual([now]);
    expect(logs).toEqual(['history: pruning the live stream failed: database unreachable']);
  });
});
