import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../domain/cluster';
import type { Job } from '../domain/job';
import { makeJob } from '../history/testing';
import { notifyBed, type NotifyBed } from './testing/notify-bed';

const MINUTE_MS = 60_000;
// Loops on the fake clock: a stall/outage check and a delivery pass every minute.
const loops = { watchIntervalMs: MINUTE_MS, idleMs: MINUTE_MS };
const hook = { name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' };
const stallRule = {
  channels: [hook],
  rules: [
    {
      name: 'stuck',
      events: ['queue.stalled'],
      channels: ['hook'],
      after_minutes: 30,
      digest_window_seconds: 0,
    },
  ],
};
const outageRule = {
  channels: [hook],
  rules: [
    {
      name: 'outages',
      events: ['cluster.unreachable', 'cluster.recovered'],
      channels: ['hook'],
      after_minutes: 10,
      digest_window_seconds: 0,
    },
  ],
};

const beds: NotifyBed[] = [];
afterEach(async () => {
  // Newest first: the first bed owns the database the others reuse.
  for (const b of beds.splice(0).reverse()) await b.close();
});

async function start(config: unknown): Promise<NotifyBed> {
  const bed = await notifyBed(config, { loops });
  beds.push(bed);
  await bed.service.start();
  return bed;
}

/** As after a SIGKILL: nothing more is written (the store closes first); a new service then starts on the same database and clock. */
async function crashAndRestart(
  old: NotifyBed,
  config: unknown,
  before?: (bed: NotifyBed) => unknown,
): Promise<NotifyBed> {
  await old.store.close();
  await old.service.stop();
  const bed = await notifyBed(config, { db: old.db, clock: old.clock, loops });
  beds.push(bed);
  await before?.(bed);
  await bed.service.start();
  return bed;
}

const stuckJob = (o: Partial<Job> = {}): Job =>
  makeJob({
    id: 'hpc:7',
    schedulerJobId: '7',
    name: 'align 7',
    state: 'submitted',
    reason: 'PartitionConfig',
    updatedAt: '2026-03-01T12:00:00.000Z',
    ...o,
  });

/** A poll of the job: written to the store, then published on the bus, as the poller does. */
async function poll(bed: NotifyBed, job: Job): Promise<void> {
  await bed.store.upsertJobs([job]);
  const event = { type: 'jobs', cluster: job.cluster, upserted: [job], removed: [] };
  bed.service.onEvent({ seq: 0, event });
  await bed.service.settled();
}

async function clusterStatus(bed: NotifyBed, healthy: boolean): Promise<void> {
  const status: ClusterStatus = {
    name: 'hpc',
    kind: 'slurm',
    host: 'alice@hpc:22',
    user: 'alice',
    connection: healthy ? 'connected' : 'unreachable',
    healthy,
    lastPollAt: bed.clock.now().toISOString(),
    lastPollDurationMs: 12,
    nextPollAt: null,
    lastError: healthy ? null : 'connect ETIMEDOUT 10.0.0.5:22',
    jobCount: 0,
  };
  const event = { type: 'cluster', status };
  bed.service.onEvent({ seq: 0, event });
  await bed.service.settled();
}

const eventsOf = async (bed: NotifyBed, type: string) =>
  (await bed.store.outbox.recentEvents(100)).filter((e) => e.type === type);

describe('a stalled queue across restarts', () => {
  it('is announced when the wait reaches the threshold counted from before the restart, once', async () => {
    let bed = await start(stallRule);
    await poll(bed, stuckJob());
    await bed.clock.advance(20 * MINUTE_MS);
    expect(await eventsOf(bed, 'queue.stalled')).toEqual([]);

    bed = await crashAndRestart(bed, stallRule);
    await bed.clock.advance(9 * MINUTE_MS);
    expect(await eventsOf(bed, 'queue.stalled')).toEqual([]);
    await bed.clock.advance(MINUTE_MS);
    const [stalled] = await eventsOf(bed, 'queue.stalled');
    expect(stalled).toMatchObject({
      title: 'Job 7 on hpc is stalled: "align 7" has waited over 30 min',
      jobId: 'hpc:7',
    });
    expect(stalled!.createdAt).toBe('2026-03-01T12:30:00.000Z');

    bed = await crashAndRestart(bed, stallRule);
    await bed.clock.advance(60 * MINUTE_MS);
    expect(await eventsOf(bed, 'queue.stalled')).toHaveLength(1);
    expect((await bed.store.outbox.deliveries(10)).map((d) => [d.rule, d.state])).toEqual([
      ['stuck', 'sent'],
    ]);
  });

  it('starts the clock again for a job that stopped waiting while the server was down', async () => {
    let bed = await start(stallRule);
    await poll(bed, stuckJob());
    await bed.clock.advance(20 * MINUTE_MS);
    // The job left the never-clearing reason while no server watched it; the next server reads it so.
    bed = await crashAndRestart(bed, stallRule, async (b) =>
      await b.store.upsertJobs([stuckJob({ reason: 'Priority', updatedAt: '2026-03-01T12:20:00.000Z' })]),
    );
    expect((await bed.store.outbox.watches()).stalls).toEqual([]);
    await bed.clock.advance(5 * MINUTE_MS);
    await poll(bed, stuckJob({ updatedAt: '2026-03-01T12:25:00.000Z' }));
    await bed.clock.advance(29 * MINUTE_MS);
    expect(await eventsOf(bed, 'queue.stalled')).toEqual([]);
    await bed.clock.advance(1 * MINUTE_MS);
    expect(await eventsOf(bed, 'queue.stalled')).toHaveLength(1);
  });
});

describe('an unreachable cluster across restarts', () => {
  it('is not announced again after a restart, and its recovery still comes with the whole outage', async () => {
    let bed = await start(outageRule);
    await clusterStatus(bed, false);
    await bed.clock.advance(11 * MINUTE_MS);
    expect((await eventsOf(bed, 'cluster.unreachable')).map((e) => e.title)).toEqual([
      'Cluster hpc has been unreachable for over 10 min',
    ]);

    bed = await crashAndRestart(bed, outageRule);
    await clusterStatus(bed, false);
    await bed.clock.advance(20 * MINUTE_MS);
    expect(await eventsOf(bed, 'cluster.unreachable')).toHaveLength(1);

    await clusterStatus(bed, true);
    await bed.clock.advance(MINUTE_MS);
    expect((await eventsOf(bed, 'cluster.recovered')).map((e) => [e.title, e.createdAt])).toEqual([
      ['Cluster hpc is reachable again (after 31 min)', '2026-03-01T12:31:00.000Z'],
    ]);
    expect((await bed.store.outbox.watches()).outages).toEqual([]);
    expect((await bed.store.outbox.deliveries(10)).map((d) => d.state)).toEqual(['sent', 'sent']);
  });

  it('is announced at the threshold counted from the first failure when a restart came before it', async () => {
    let bed = await start(outageRule);
    await clusterStatus(bed, false);
    await bed.clock.advance(6 * MINUTE_MS);
    bed = await crashAndRestart(bed, outageRule);
    await clusterStatus(bed, false);
    await bed.clock.advance(3 * MINUTE_MS);
    expect(await eventsOf(bed, 'cluster.unreachable')).toEqual([]);
    await bed.clock.advance(MINUTE_MS);
    const [down] = await eventsOf(bed, 'cluster.unreachable');
    expect(down!.createdAt).toBe('2026-03-01T12:10:00.000Z');
    expect(down!.data).toMatchObject({ downSince: '2026-03-01T12:00:00.000Z', afterMinutes: 10 });
  });

  it('sends nothing for an outage that ended, unannounced, while the server was down', async () => {
    let bed = await start(outageRule);
    await clusterStatus(bed, false);
    await bed.clock.advance(3 * MINUTE_MS);
    bed = await crashAndRestart(bed, outageRule);
    await clusterStatus(bed, true);
    await bed.clock.advance(30 * MINUTE_MS);
    expect(await bed.store.outbox.recentEvents(10)).toEqual([]);
    expect((await bed.store.outbox.watches()).outages).toEqual([]);
  });
});
