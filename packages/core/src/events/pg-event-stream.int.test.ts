import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testPostgres } from '../leadership/testing';
import type { Clock } from '../runtime/clock';
import { eventStreamContract } from './event-stream.contract';
import { streamBed, type StreamBed, type StreamInstance } from './stream-beds';

eventStreamContract('postgres');

interface Ev {
  type: string;
  from: string;
  n: number;
}

let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client(await testPostgres());
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

/** A clock whose sleeps (reconnect back-off, heartbeats) end only when the test says so. */
function heldClock(): Clock & { release(): void } {
  const sleepers = new Set<() => void>();
  return {
    now: () => new Date(),
    sleep: (_ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          sleepers.delete(wake);
          resolve();
        };
        sleepers.add(wake);
        signal?.addEventListener(
          'abort',
          () => {
            sleepers.delete(wake);
            reject(signal.reason as Error);
          },
          { once: true },
        );
      }),
    release: () => [...sleepers].forEach((wake) => wake()),
  };
}

const publish = (i: StreamInstance<Ev>, from: string, count: number): void => {
  for (let n = 1; n <= count; n++) i.bus.publish({ type: 'test', from, n });
};
const summary = (i: StreamInstance<Ev>): string[] =>
  i.seen.map((s) => `${s.event.from}${s.event.n}`);
const ids = (i: StreamInstance<Ev>): number[] => i.seen.map((s) => s.seq);
const rising = (start: number, count: number): number[] =>
  Array.from({ length: count }, (_, k) => start + k + 1);

describe('event stream shared by instances of one PostgreSQL database', () => {
  let bed: StreamBed;
  beforeEach(async () => {
    bed = await streamBed('postgres');
  });
  afterEach(async () => {
    await bed.remove();
  });

  it('shows every instance the events of all, in one order, each once', async () => {
    const [a, b, c] = [
      await bed.instance<Ev>(),
      await bed.instance<Ev>(),
      await bed.instance<Ev>(),
    ];
    expect(new Set([a.stream.epoch, b.stream.epoch, c.stream.epoch]).size).toBe(1);
    const base = a.stream.lastSeq;
    // Interleaved on three instances, so writers contend for the stream's position.
    for (let round = 0; round < 100; round++) {
      a.bus.publish({ type: 'test', from: 'a', n: round });
      b.bus.publish({ type: 'test', from: 'b', n: round });
      c.bus.publish({ type: 'test', from: 'c', n: round });
    }
    await Promise.all([a, b, c].map((i) => i.reached(base + 300)));
    for (const i of [a, b, c]) {
      expect(ids(i)).toEqual(rising(base, 300));
      expect(summary(i)).toEqual(summary(a));
    }
    // Each publisher's events keep their order within the shared one.
    for (const from of ['a', 'b', 'c']) {
      const mine = a.seen.filter((s) => s.event.from === from).map((s) => s.event.n);
      expect(mine).toEqual(Array.from({ length: 100 }, (_, k) => k));
    }
  });

  it('gives a client that reconnects to another instance exactly the events it missed', async () => {
    const [a, b] = [await bed.instance<Ev>(), await bed.instance<Ev>()];
    const base = a.stream.lastSeq;
    publish(a, 'a', 5);
    await a.reached(base + 5);
    // The client saw up to the third event on A, then lost its connection while both instances published.
    const lastSeen = a.seen[2]!.seq;
    publish(a, 'a', 3);
    publish(b, 'b', 3);
    await Promise.all([a.reached(base + 11), b.reached(base + 11)]);
    const missed = await b.stream.since(lastSeen);
    expect(missed?.map((s) => `${s.event.from}${s.event.n}`)).toEqual(summary(a).slice(3));
    expect(missed?.map((s) => s.seq)).toEqual(rising(lastSeen, 8));
  });

  it('loses nothing when the listening connection is killed, and reads from where it was', async () => {
    const clock = heldClock();
    const name = `hut-listen-${randomBytes(4).toString('hex')}`;
    const a = await bed.instance<Ev>();
    const b = await bed.instance<Ev>({ clock, name });
    const base = a.stream.lastSeq;
    publish(a, 'a', 3);
    await b.reached(base + 3);

    const lost = b.logged('lost the listening connection');
    const killed = await admin.query(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
      [`${name}-listen`],
    );
    expect(killed.rows).toEqual([{ ok: true }]);
    await lost;
    // Published while B has no listening connection (its reconnect waits on the held clock).
    publish(a, 'a', 4);
    await a.reached(base + 7);
    expect(ids(b)).toEqual(rising(base, 3));

    clock.release();
    await b.reached(base + 7);
    expect(ids(b)).toEqual(rising(base, 7));
    expect(summary(b)).toEqual(summary(a));
    expect(b.log.some((m) => m.includes('listening again'))).toBe(true);
  });

  it('prunes by age, and ids go on from where they were once every row is gone', async () => {
    const a = await bed.instance<Ev>();
    const base = a.stream.lastSeq;
    publish(a, 'a', 5);
    await a.reached(base + 5);
    expect(await a.stream.prune(new Date())).toBe(0);
    expect(await a.stream.prune(new Date(Date.now() + 2 * 3_600_000))).toBe(5);
    expect(await a.stream.since(base + 2)).toBeNull();
    expect(await a.stream.since(base + 5)).toEqual([]);
    publish(a, 'a', 1);
    await a.reached(base + 6);
    expect(ids(a).at(-1)).toBe(base + 6);
    expect((await a.stream.since(base + 5))?.map((s) => s.seq)).toEqual([base + 6]);
  });

  it('keeps its epoch and ids across a restart, so a client resumes on the restarted instance', async () => {
    const first = await bed.instance<Ev>();
    const base = first.stream.lastSeq;
    publish(first, 'a', 4);
    await first.reached(base + 4);
    const epoch = first.stream.epoch;
    await first.stream.close();
    const again = await bed.instance<Ev>();
    expect(again.stream.epoch).toBe(epoch);
    expect(again.stream.lastSeq).toBe(base + 4);
    expect((await again.stream.since(base + 1))?.map((s) => s.event.n)).toEqual([2, 3, 4]);
  });

  it('carries any string a job may hold, NUL characters and lone surrogates included', async () => {
    const [a, b] = [
      await bed.instance<Ev & { name: string }>(),
      await bed.instance<Ev & { name: string }>(),
    ];
    const base = b.stream.lastSeq;
    const name = 'odd\u0000name \ud800 "quoted" \\ é 😀';
    a.bus.publish({ type: 'test', from: 'a', n: 1, name });
    await b.reached(base + 1);
    expect(b.seen.map((s) => s.event.name)).toEqual([name]);
  });

  it('writes what was published before close', async () => {
    const [a, b] = [await bed.instance<Ev>(), await bed.instance<Ev>()];
    const base = b.stream.lastSeq;
    publish(a, 'a', 50);
    await a.stream.close();
    await b.reached(base + 50);
    expect(summary(b)).toEqual(Array.from({ length: 50 }, (_, k) => `a${k + 1}`));
  });
});
