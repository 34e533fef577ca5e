import { afterEach, describe, expect, it } from 'vitest';
import { makeJob } from '../history/testing';
import { notifyBed, type NotifyBed } from './testing/notify-bed';

const config = {
  channels: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' }],
  rules: [
    { name: 'failures', events: ['job.failed'], channels: ['hook'], digest_window_seconds: 0 },
  ],
};

const beds: NotifyBed[] = [];
afterEach(async () => {
  // The first bed owns the database's directory: closed last.
  for (const b of beds.splice(0).reverse()) await b.close();
});

/** Lets the delivery loop run a few passes (1 s apart on the fake clock). */
async function passes(b: NotifyBed, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await b.clock.advance(1_000);
}

describe('delivery with several instances on one database', () => {
  it('sends nothing while another instance delivers; once it delivers, it sends again what that one left in flight, once', async () => {
    const other = await notifyBed(config);
    beds.push(other);
    let leads = false;
    const mine = await notifyBed(config, {
      path: other.path,
      clock: other.clock,
      loops: { idleMs: 1_000, leads: () => Promise.resolve(leads) },
    });
    beds.push(mine);
    await other.store.upsertJobs([makeJob({ id: 'hpc:1', schedulerJobId: '1', state: 'running' })]);
    await other.store.upsertJobs([
      makeJob({
        id: 'hpc:1',
        schedulerJobId: '1',
        state: 'failed',
        outcome: 'FAILED',
        exitCode: 3,
      }),
    ]);
    await mine.service.start();
    await passes(mine, 3);
    expect(mine.senders.get('hook')!.received).toEqual([]);

    // The delivering instance sends it, and dies before recording the outcome.
    await other.service.worker.tick();
    const sent = other.senders.get('hook')!.received[0]!;
    await other.store.outbox.markSending(sent.id);
    await other.service.stop();
    await passes(mine, 2);
    expect(mine.senders.get('hook')!.received).toEqual([]);

    leads = true;
    await passes(mine, 3);
    expect(mine.senders.get('hook')!.received.map((m) => m.id)).toEqual([sent.id]);
    expect((await mine.store.outbox.deliveries(5)).map((d) => d.state)).toEqual(['sent']);
  });
});
