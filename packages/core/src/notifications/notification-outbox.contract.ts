import { afterEach, describe, expect, it } from 'vitest';
import type { StoreKind } from '../history/store-executor';
import type { SourceStatus } from '../domain/source';
import { makeJob } from '../history/testing';
import { notifyBed, type NotifyBed } from './testing/notify-bed';

/** The notification outbox (events recorded with the state change, digests, filters, delivery), run on each kind of store. */
export function notificationOutboxContract(kind: StoreKind): void {
  const webhookRule = (o: Record<string, unknown> = {}) => ({
    channels: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' }],
    rules: [{ name: 'failures', events: ['job.failed', 'job.out_of_memory', 'queue.finished'], channels: ['hook'], digest_window_seconds: 0, ...o }],
  });

  let bed: NotifyBed | null = null;
  /** Beds a restart replaced: closed after the bed that reuses their database. */
  const owners: NotifyBed[] = [];
  afterEach(async () => {
    await bed?.close();
    bed = null;
    for (const b of owners.splice(0)) await b.close();
  });

  const failed = (id: string, o: Parameters<typeof makeJob>[0] | object = {}) =>
    makeJob({ id, schedulerJobId: id.split(':')[1] ?? id, state: 'failed', outcome: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode', updatedAt: '2026-03-01T12:00:05.000Z', ...o });

  describe('recording events with the state change', () => {
    it('records a job.failed event in the same write that stores the failed job', async () => {
      bed = await notifyBed(webhookRule(), { kind });
      await bed.store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1', state: 'running' })]);
      await bed.store.upsertJobs([failed('hpc:1')]);
      const [event] = await bed.store.outbox.recentEvents(10);
      expect(event).toMatchObject({ type: 'job.failed', jobId: 'hpc:1', cluster: 'hpc', severity: 'error' });
      expect(event!.title).toBe('Job 1 "job" failed on hpc (exit 3)');
    });

    it('records no event when the write that would cause it rolls back', async () => {
      bed = await notifyBed(webhookRule(), { kind });
      await bed.store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1', state: 'running' })]);
      await expect(bed.store.transaction(async () => {
          await bed!.store.upsertJobs([failed('hpc:1')]);
          throw new Error('crash before commit');
        }),).rejects.toThrow('crash before commit');
      expect((await bed.store.getJob('hpc:1'))?.state).toBe('running');
      expect(await bed.store.outbox.recentEvents(10)).toEqual([]);
    });

    it('records a failure once when polls write the failed job again', async () => {
      bed = await notifyBed(webhookRule(), { kind });
      await bed.store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1', state: 'running' })]);
      await bed.store.upsertJobs([failed('hpc:1')]);
      await bed.store.upsertJobs([failed('hpc:1', { reason: 'still failed' })]);
      expect(await bed.store.outbox.recentEvents(10)).toHaveLength(1);
    });

    it('names out-of-memory, time-out and lost jobs as such and ignores cancelled ones', async () => {
      bed = await notifyBed(webhookRule(), { kind });
      const running = ['1', '2', '3', '4'].map((n) => makeJob({ id: `hpc:${n}`, schedulerJobId: n, state: 'running' }));
      await bed.store.upsertJobs(running);
      await bed.store.upsertJobs([
        failed('hpc:1', { outcome: 'OUT_OF_MEMORY' }),
        failed('hpc:2', { outcome: 'TIMEOUT' }),
        failed('hpc:3', { state: 'unknown', outcome: 'LOST' }),
        failed('hpc:4', { outcome: 'CANCELLED' }),
      ]);
      expect((await bed.store.outbox.recentEvents(10)).map((e) => [e.jobId, e.type]).sort()).toEqual([
        ['hpc:1', 'job.out_of_memory'],
        ['hpc:2', 'job.timed_out'],
        ['hpc:3', 'job.lost'],
      ]);
    });

    it('does not notify for an external job first seen already ended before the server started', async () => {
      bed = await notifyBed(webhookRule(), { kind });
      await bed.store.upsertJobs([failed('hpc:9', { finishTime: '2026-02-27T08:00:00.000Z' })]);
      expect(await bed.store.outbox.recentEvents(10)).toEqual([]);
    });

    it('records queue.finished with the task counts when the queue settles', async () => {
      bed = await notifyBed(webhookRule(), { kind });
      const { queue } = await bed.store.createQueue(
        { id: 'q1', sourceName: 'demo', cluster: 'hpc', createdAt: '2026-03-01T11:00:00.000Z', maxConcurrent: null, logDir: '/l', account: null, sourceCommit: null },
        [0, 1, 2].map((i) => ({ taskId: `t${i}`, position: i, name: `task ${i}`, spec: {}, script: null, state: i === 2 ? 'failed' : 'completed' })),
      );
      await bed.store.updateQueue(queue.id, { status: 'failed' });
      await bed.store.updateQueue(queue.id, { status: 'failed' });
      const events = await bed.store.outbox.recentEvents(10);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'queue.finished', queueId: 'q1', taskSource: 'demo', path: '/queues/q1' });
      expect(events[0]!.title).toBe('Queue demo on hpc failed: 2 completed, 1 failed');
      expect(events[0]!.data).toMatchObject({ queue: { counts: { completed: 2, failed: 1 }, taskCount: 3 } });
    });
  });

  describe('git source failures', () => {
    const source = (o: Partial<SourceStatus>): SourceStatus => ({
      name: 'pipelines',
      url: 'https://bot:ghp_secretToken123@git.example.org/lab/pipelines.git',
      branch: 'main',
      transport: 'https',
      cloned: true,
      commit: null,
      lastSyncAt: '2026-03-01T11:00:00.000Z',
      lastAttemptAt: '2026-03-01T12:00:00.000Z',
      lastError: null,
      lastErrorKind: null,
      remoteSha: null,
      lastSyncOutcome: null,
      lastSyncBytes: null,
      syncing: false,
      progress: null,
      ...o,
    });
    const publish = (b: NotifyBed, status: SourceStatus): void => {
      const event = { type: 'source', status };
      b.service.onEvent({ seq: 0, event });
    };

    it('records one event per failure streak, naming the error and the URL without its credentials', async () => {
      bed = await notifyBed({}, { kind });
      const failing = source({ lastError: 'HTTP 401: authentication required', lastErrorKind: 'auth_failed' });
      publish(bed, failing);
      publish(bed, { ...failing, syncing: true });
      publish(bed, failing);
      await bed.clock.advance(300_000);
      publish(bed, source({ lastSyncAt: '2026-03-01T12:05:00.000Z' }));
      publish(bed, source({ lastSyncAt: '2026-03-01T12:05:00.000Z', lastError: 'connect ECONNREFUSED', lastErrorKind: 'unreachable' }));
      // The events are written in the background; SQLite happens to run them before this read, PostgreSQL need not.
      await bed.service.settled();
      const events = (await bed.store.outbox.recentEvents(10)).reverse();
      expect(events.map((e) => e.title)).toEqual([
        'Git source pipelines cannot sync (auth_failed)',
        'Git source pipelines cannot sync (unreachable)',
      ]);
      expect(events[0]!.text).toBe(
        'HTTP 401: authentication required\nhttps://git.example.org/lab/pipelines.git (main); the last good checkout stays in use.',
      );
      expect(JSON.stringify(events)).not.toContain('ghp_secretToken123');
    });
  });

  describe('routing and digests', () => {
    it('sends nothing while no channel is configured, yet shows the event in the bell', async () => {
      bed = await notifyBed({}, { kind });
      await bed.store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1' })]);
      await bed.store.upsertJobs([failed('hpc:1')]);
      await bed.service.worker.tick();
      expect(await bed.store.outbox.deliveries(10)).toEqual([]);
      expect(bed.published.map((p) => [p.event.type, p.event.browser])).toEqual([['job.failed', true]]);
    });

    it('turns 300 failures within the window into one digest per rule and channel, linking the filtered job list', async () => {
      bed = await notifyBed({
        channels: [
          { name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' },
          { name: 'chat', type: 'slack', webhook_url_env: 'SLACK_URL' },
        ],
        rules: [{ name: 'failures', events: ['job.failed'], channels: ['hook', 'chat'], digest_window_seconds: 60 }],
      }, { kind });
      const ids = Array.from({ length: 300 }, (_, i) => `hpc:${i + 1}`);
      await bed.store.upsertJobs(ids.map((id) => makeJob({ id, schedulerJobId: id.slice(4) })));
      for (let i = 0; i < ids.length; i += 30) {
        await bed.store.upsertJobs(ids.slice(i, i + 30).map((id) => failed(id)));
        await bed.clock.advance(5_000);
        await bed.service.worker.tick();
      }
      expect(bed.senders.get('hook')!.received).toHaveLength(0);
      await bed.clock.advance(15_000);
      await bed.service.worker.tick();
      const [digest] = bed.senders.get('hook')!.received;
      expect(bed.senders.get('hook')!.received).toHaveLength(1);
      expect(bed.senders.get('chat')!.received).toHaveLength(1);
      expect(digest!.title).toBe('300 jobs failed (hpc)');
      expect(digest!.body).toMatchObject({ type: 'digest', data: { count: 300, url: 'https://hut.example.org/?state=failed%2Cunknown&cluster=hpc' } });
      expect(new Set((digest!.body.data as { event_ids: string[] }).event_ids).size).toBe(300);
      expect((await bed.store.outbox.deliveries(10)).map((d) => [d.channel, d.state, d.eventCount]).sort()).toEqual([
        ['chat', 'sent', 300],
        ['hook', 'sent', 300],
      ]);
    });

    it('applies cluster, task source and user filters', async () => {
      bed = await notifyBed({
        channels: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' }],
        rules: [{ name: 'bob-on-gpu', events: ['job.failed'], channels: ['hook'], clusters: ['gpu'], users: ['bob'], digest_window_seconds: 0 }],
      }, { kind });
      const jobs = [
        makeJob({ id: 'gpu:1', cluster: 'gpu', user: 'bob', schedulerJobId: '1' }),
        makeJob({ id: 'gpu:2', cluster: 'gpu', user: 'alice', schedulerJobId: '2' }),
        makeJob({ id: 'hpc:3', cluster: 'hpc', user: 'bob', schedulerJobId: '3' }),
      ];
      await bed.store.upsertJobs(jobs);
      await bed.store.upsertJobs(jobs.map((j) => failed(j.id, { cluster: j.cluster, user: j.user })));
      await bed.service.worker.tick();
      expect(bed.senders.get('hook')!.received.map((m) => (m.body.data as { events: { job_id: string }[] }).events[0]!.job_id)).toEqual(['gpu:1']);
    });
  });

  describe('delivery', () => {
    const setup = async (): Promise<NotifyBed> => {
      const b = await notifyBed({ ...webhookRule(), give_up_after_minutes: 60 }, { kind });
      await b.store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1' })]);
      await b.store.upsertJobs([failed('hpc:1')]);
      return b;
    };

    it('retries a 5xx with backoff, with the same webhook id, until the channel takes it', async () => {
      bed = await setup();
      const hook = bed.senders.get('hook')!;
      hook.script.push({ kind: 'retry', answer: 'HTTP 503: busy', retryAfterMs: null }, { kind: 'retry', answer: 'HTTP 502', retryAfterMs: null });
      await bed.service.worker.tick();
      expect((await bed.store.outbox.deliveries(1))[0]).toMatchObject({ state: 'retrying', attempts: 1, lastAnswer: 'HTTP 503: busy', nextAttemptAt: '2026-03-01T12:00:05.000Z' });
      await bed.clock.advance(4_999);
      await bed.service.worker.tick();
      expect(hook.received).toHaveLength(1);
      await bed.clock.advance(1);
      await bed.service.worker.tick();
      expect((await bed.store.outbox.deliveries(1))[0]).toMatchObject({ state: 'retrying', attempts: 2, nextAttemptAt: '2026-03-01T12:00:35.000Z' });
      await bed.clock.advance(30_000);
      await bed.service.worker.tick();
      expect((await bed.store.outbox.deliveries(1))[0]).toMatchObject({ state: 'sent', attempts: 3, lastAnswer: 'HTTP 200: ok' });
      expect(new Set(hook.received.map((m) => m.id)).size).toBe(1);
    });

    it('waits as long as Retry-After says on a 429', async () => {
      bed = await setup();
      bed.senders.get('hook')!.script.push({ kind: 'retry', answer: 'HTTP 429', retryAfterMs: 120_000 });
      await bed.service.worker.tick();
      expect((await bed.store.outbox.deliveries(1))[0]!.nextAttemptAt).toBe('2026-03-01T12:02:00.000Z');
    });

    it('stops at once on an answer that cannot heal and shows it', async () => {
      bed = await setup();
      bed.senders.get('hook')!.script.push({ kind: 'permanent', answer: 'HTTP 410: channel_is_archived' });
      await bed.service.worker.tick();
      await bed.clock.advance(3_600_000);
      await bed.service.worker.tick();
      expect(bed.senders.get('hook')!.received).toHaveLength(1);
      expect((await bed.store.outbox.deliveries(1))[0]).toMatchObject({ state: 'failed', attempts: 1, lastAnswer: 'HTTP 410: channel_is_archived' });
    });

    it('gives up after the configured time with the last answer visible', async () => {
      bed = await setup();
      const hook = bed.senders.get('hook')!;
      for (let i = 0; i < 20; i++) hook.script.push({ kind: 'retry', answer: 'timeout: no answer within 15000 ms', retryAfterMs: null });
      for (let i = 0; i < 20; i++) {
        await bed.service.worker.tick();
        await bed.clock.advance(600_000);
      }
      const [delivery] = await bed.store.outbox.deliveries(1);
      expect(delivery!.state).toBe('failed');
      expect(delivery!.lastAnswer).toMatch(/^gave up after \d+ attempt\(s\): timeout: no answer within 15000 ms$/);
      // Ticks every 10 min: attempts at 0, 10, 20, 30 (then wait 30 min) and 60 min; the next wait (2 h) passes the hour.
      expect(hook.received).toHaveLength(5);
    });

    it('sends again, with the same id, the message a crash left in flight', async () => {
      bed = await setup();
      await bed.service.worker.tick();
      const sent = bed.senders.get('hook')!.received[0]!;
      // As if the process died after markSending: the outcome was never written.
      await bed.store.outbox.markSending(sent.id);
      await bed.service.stop();
      await bed.store.close();
      const first = bed;
      const again = await notifyBed(webhookRule(), { db: first.db, clock: first.clock });
      owners.push(first);
      bed = again;
      await again.service.worker.start();
      await again.service.worker.stop();
      await again.service.worker.tick();
      expect(again.senders.get('hook')!.received.map((m) => m.id)).toEqual([sent.id]);
      expect((await again.store.outbox.deliveries(5)).map((d) => d.state)).toEqual(['sent']);
    });
  });
}
