import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreKind } from '../history/store-executor';
import { streamBed, type StreamBed } from './stream-beds';

interface Ev {
  type: string;
  n: number;
}

const ev = (n: number): Ev => ({ type: 'test', n });

/** The EventStream contract (see event-stream.ts), run on every kind of stream. */
export function eventStreamContract(kind: StoreKind): void {
  describe(`event stream on ${kind}`, () => {
    let bed: StreamBed;
    beforeEach(async () => {
      bed = await streamBed(kind);
    });
    afterEach(async () => {
      await bed.remove();
    });

    it('delivers every published event once, in publish order, under ids that rise by one', async () => {
      const a = await bed.instance<Ev>();
      const base = a.stream.lastSeq;
      for (let n = 1; n <= 5; n++) a.bus.publish(ev(n));
      await a.reached(base + 5);
      expect(a.seen.map((i) => [i.seq - base, i.event])).toEqual(
        [1, 2, 3, 4, 5].map((n) => [n, ev(n)]),
      );
      expect(a.stream.lastSeq).toBe(base + 5);
    });

    it('replays the events after an id, and nothing after the newest', async () => {
      const a = await bed.instance<Ev>();
      const base = a.stream.lastSeq;
      for (let n = 1; n <= 4; n++) a.bus.publish(ev(n));
      await a.reached(base + 4);
      expect((await a.stream.since(base + 2))?.map((i) => [i.seq - base, i.event.n])).toEqual([
        [3, 3],
        [4, 4],
      ]);
      expect(await a.stream.since(base + 4)).toEqual([]);
      expect(await a.stream.since(base + 40)).toEqual([]);
    });

    it('answers null for events that are no longer kept', async () => {
      const a = await bed.instance<Ev>({ keep: 3 });
      const base = a.stream.lastSeq;
      for (let n = 1; n <= 10; n++) a.bus.publish(ev(n));
      await a.reached(base + 10);
      await a.stream.prune(new Date());
      expect((await a.stream.since(base + 7))?.map((i) => i.event.n)).toEqual([8, 9, 10]);
      expect(await a.stream.since(base + 6)).toBeNull();
    });

    it('stops delivering to a listener that unsubscribed', async () => {
      const a = await bed.instance<Ev>();
      const base = a.stream.lastSeq;
      const seen: number[] = [];
      const off = a.stream.subscribe(({ event }) => seen.push(event.n));
      a.bus.publish(ev(1));
      await a.reached(base + 1);
      off();
      a.bus.publish(ev(2));
      await a.reached(base + 2);
      expect(seen).toEqual([1]);
    });

    it('has an epoch a resume id can carry', async () => {
      const a = await bed.instance<Ev>();
      expect(a.stream.epoch).toMatch(/^[a-z0-9]+$/);
    });
  });
}
