import { afterEach, describe, expect, it } from 'vitest';
import type { StoreKind } from '../history/store-executor';
import { makeJob } from '../history/testing';
import { notifyBed, type NotifyBed } from './testing/notify-bed';

const config = {
  channels: [{ name: 'hook', type: 'webhook', url: 'https://hooks.example.org/x' }],
  rules: [
    { name: 'failures', events: ['job.failed'], channels: ['hook'], digest_window_seconds: 0 },
  ],
};

/** One deliverer among instances sharing a database, run on each kind of store. */
export function deliveryLeadershipContract(kind: StoreKind): void {
  const beds: NotifyBed[] = [];
  afterEach(async () => {
    // The first bed owns the database's directory: closed last.
    for (const b of beds.splice(0).reverse()) await b.close();
  });

  /** Times the delivery loop (or the condition watch) asked whether it leads. */
  let asked = 0;
  /**
   * Lets the delivery loop run `n` more passes: each pass starts by asking
   * whether it leads, after the previous one ended and slept (on PostgreSQL a
   * pass's queries take real time, so the fake clock is moved until it asks).
   */
  async function passes(b: NotifyBed, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const next = asked + 1;
      while (asked < next) {
        await b.clock.advance(1_000);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  describe('delivery with several instances on one database', () => {
    it('sends nothing while another instance delivers; once it delivers, it sends again what that one left in flight, once', async () => {
      const other = await notifyBed(config, { kind });
      beds.push(other);
      let leads = false;
      const mine = await notifyBed(config, {
        db: other.db,
        clock: other.clock,
        loops: {
          idleMs: 1_000,
          leads: () => {
            asked++;
            return Promise.resolve(leads);
          },
        },
      });
      beds.push(mine);
      await other.store.upsertJobs([
        makeJob({ id: 'hpc:1', schedulerJobId: '1', state: 'running' }),
      ]);
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
      // The sends of those passes have ended once the worker has stopped.
      await mine.service.worker.stop();
      expect(mine.senders.get('hook')!.received.map((m) => m.id)).toEqual([sent.id]);
      expect((await mine.store.outbox.deliveries(5)).map((d) => d.state)).toEqual(['sent']);
    });
  });
}
