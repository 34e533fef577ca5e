import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../runtime/clock';
import { PgEventWriter } from './pg-event-writer';

interface Row {
  id: number;
  batch: string;
  payload: unknown;
}

/**
 * The few statements the writer sends, over an in-memory table with
 * transactions; `fail` picks a statement to fail once (before it runs, or,
 * for COMMIT with `afterCommit`, after it took effect: an answer lost on the wire).
 */
class FakePool {
  rows: Row[] = [];
  last = 0;
  notified: string[] = [];
  fail: { on: string; error: Error; afterCommit?: boolean } | null = null;

  connect(): Promise<pg.PoolClient> {
    let staged: { rows: Row[]; last: number } | null = null;
    const query = (sql: string, params: unknown[] = []): { rows: unknown[]; rowCount: number } => {
      const failing = this.fail !== null && sql.startsWith(this.fail.on) ? this.fail : null;
      if (failing && !failing.afterCommit) {
        this.fail = null;
        throw failing.error;
      }
      if (sql === 'BEGIN') staged = { rows: [], last: this.last };
      else if (sql.startsWith('SELECT last_id'))
        return { rows: [{ last_id: String(this.last) }], rowCount: 1 };
      else if (sql.startsWith('SELECT 1 FROM stream_events')) {
        const n = this.rows.filter((r) => r.batch === params[0]).length;
        return { rows: n > 0 ? [{}] : [], rowCount: Math.min(n, 1) };
      } else if (sql.startsWith('INSERT')) {
        const events = JSON.parse(params[2] as string) as unknown[];
        if (events.some((e) => (e as { refuse?: boolean }).refuse === true))
          throw Object.assign(new Error('invalid input syntax'), { code: '22P02' });
        events.forEach((payload, k) =>
          staged!.rows.push({
            id: (params[0] as number) + k + 1,
            batch: params[1] as string,
            payload,
          }),
        );
      } else if (sql.startsWith('UPDATE')) staged!.last = params[0] as number;
      else if (sql.startsWith('SELECT pg_notify')) this.notified.push(params[1] as string);
      else if (sql === 'COMMIT') {
        this.rows.push(...staged!.rows);
        this.last = staged!.last;
        if (failing) {
          this.fail = null;
          throw failing.error;
        }
      }
      return { rows: [], rowCount: 0 };
    };
    const client = {
      query: (sql: string, params?: unknown[]) => Promise.resolve().then(() => query(sql, params)),
      release: () => undefined,
    };
    return Promise.resolve(client as unknown as pg.PoolClient);
  }
}

const instantClock: Clock = { now: () => new Date(), sleep: () => Promise.resolve() };

/** A clock whose one sleep (the retry back-off) ends when the test calls `wake`; `asleep` resolves when it starts. */
function gatedClock(): Clock & { asleep: Promise<void>; wake(): void } {
  let wake = (): void => undefined;
  let started = (): void => undefined;
  const asleep = new Promise<void>((resolve) => (started = resolve));
  return {
    now: () => new Date(),
    sleep: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
        started();
      }),
    asleep,
    wake: () => wake(),
  };
}

function writer(
  pool: FakePool,
  o: { clock?: Clock; maxPending?: number; maxBatchBytes?: number } = {},
) {
  const log: string[] = [];
  let commits = 0;
  const w = new PgEventWriter<{ n: number; refuse?: boolean }>({
    pool: pool as unknown as pg.Pool,
    channel: 'test',
    clock: o.clock ?? instantClock,
    ...(o.maxPending === undefined ? {} : { maxPending: o.maxPending }),
    ...(o.maxBatchBytes === undefined ? {} : { maxBatchBytes: o.maxBatchBytes }),
    log: (m) => log.push(m),
    onCommitted: () => commits++,
  });
  return { w, log, commits: () => commits };
}

const ns = (pool: FakePool): number[] => pool.rows.map((r) => (r.payload as { n: number }).n);

describe('PgEventWriter', () => {
  it('writes events in publish order under consecutive ids and notifies the last id', async () => {
    const pool = new FakePool();
    const { w } = writer(pool);
    for (let n = 1; n <= 3; n++) w.enqueue({ n });
    await w.idle();
    expect(pool.rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(ns(pool)).toEqual([1, 2, 3]);
    expect(pool.notified.at(-1)).toBe('3');
  });

  it('keeps the event as it was when published, not as its objects are later', async () => {
    const pool = new FakePool();
    const { w } = writer(pool);
    const event = { n: 1 };
    w.enqueue(event);
    event.n = 99;
    await w.idle();
    expect(ns(pool)).toEqual([1]);
  });

  it('retries a batch whose connection failed, without losing or reordering events', async () => {
    const pool = new FakePool();
    pool.fail = { on: 'INSERT', error: new Error('Connection terminated unexpectedly') };
    const { w, log } = writer(pool);
    for (let n = 1; n <= 3; n++) w.enqueue({ n });
    await w.idle();
    expect(ns(pool)).toEqual([1, 2, 3]);
    expect(log).toEqual([
      'events: could not write to the database (Connection terminated unexpectedly); retrying',
    ]);
  });

  it('does not write a batch twice when its COMMIT went through but the answer was lost', async () => {
    const pool = new FakePool();
    pool.fail = { on: 'COMMIT', error: new Error('Connection terminated'), afterCommit: true };
    const { w } = writer(pool);
    w.enqueue({ n: 1 });
    w.enqueue({ n: 2 });
    await w.idle();
    expect(pool.rows.map((r) => [r.id, (r.payload as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(pool.last).toBe(2);
  });

  it('drops only the event the database refuses, and writes the others in order', async () => {
    const pool = new FakePool();
    const { w, log } = writer(pool);
    w.enqueue({ n: 1 });
    w.enqueue({ n: 2, refuse: true });
    w.enqueue({ n: 3 });
    await w.idle();
    expect(ns(pool)).toEqual([1, 3]);
    expect(pool.rows.map((r) => r.id)).toEqual([1, 2]);
    expect(log).toEqual([
      'events: the database refused an event (invalid input syntax); it is dropped',
    ]);
  });

  it('drops an event that is not JSON at publish, and says so', async () => {
    const pool = new FakePool();
    const { w, log } = writer(pool);
    w.enqueue({ n: 1, big: 1n } as unknown as { n: number });
    w.enqueue({ n: 2 });
    await w.idle();
    expect(ns(pool)).toEqual([2]);
    expect(log[0]).toMatch(
      /^events: an event cannot be written as JSON \(.*BigInt.*\); it is dropped$/,
    );
  });

  it('keeps at most maxPending events while the database refuses writes, dropping the oldest not being retried', async () => {
    const pool = new FakePool();
    pool.fail = { on: 'INSERT', error: new Error('Connection terminated') };
    const clock = gatedClock();
    const { w, log } = writer(pool, { clock, maxPending: 3 });
    w.enqueue({ n: 1 });
    await clock.asleep;
    for (let n = 2; n <= 6; n++) w.enqueue({ n });
    clock.wake();
    await w.idle();
    expect(ns(pool)).toEqual([1, 5, 6]);
    expect(log).toEqual([
      'events: could not write to the database (Connection terminated); retrying',
      'events: the database has refused writes for a while; dropping the oldest unsent events',
      'events: writing again; 3 event(s) were dropped meanwhile',
    ]);
  });

  it('bounds a batch by the size of its JSON, and writes an event larger than that alone', async () => {
    const pool = new FakePool();
    const clock = gatedClock();
    pool.fail = { on: 'INSERT', error: new Error('Connection terminated') };
    const { w } = writer(pool, { clock, maxBatchBytes: 20 });
    w.enqueue({ n: 1 });
    await clock.asleep;
    // Queued while the first write waits to be retried: 7 bytes of JSON each, and one of 69.
    for (let n = 2; n <= 5; n++) w.enqueue({ n });
    w.enqueue({ n: 6, pad: 'x'.repeat(50) } as { n: number });
    w.enqueue({ n: 7 });
    clock.wake();
    await w.idle();
    const batches = [...new Set(pool.rows.map((r) => r.batch))].map((b) =>
      pool.rows.filter((r) => r.batch === b).map((r) => (r.payload as { n: number }).n),
    );
    expect(batches).toEqual([[1], [2, 3], [4, 5], [6], [7]]);
  });
});
