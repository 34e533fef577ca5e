import { describe, expect, it } from 'vitest';
import { planSubmissions, type PlannerQueue } from './plan-submissions';

const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const q = (id: string, o: Partial<PlannerQueue> = {}): PlannerQueue => ({
  id,
  cluster: 'hpc',
  createdAt: `2026-01-01T00:00:0${id.length}Z`,
  maxConcurrent: 3,
  inFlight: 0,
  pending: ids(id, 10),
  ...o,
});
const counts = (plan: ReturnType<typeof planSubmissions>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const p of plan) out[p.queueId] = (out[p.queueId] ?? 0) + 1;
  return out;
};
const noCaps = { clusterCaps: new Map<string, number>() };
const capped = (cap: number) => ({ clusterCaps: new Map([['hpc', cap]]) });

describe('planSubmissions', () => {
  it.each([
    { case: 'fills up to max_concurrent', queue: q('a'), expected: 3 },
    { case: 'counts tasks already in flight', queue: q('a', { inFlight: 2 }), expected: 1 },
    { case: 'submits nothing when full', queue: q('a', { inFlight: 3 }), expected: 0 },
    { case: 'never goes negative when over the limit (the v0.1 pending[:-k] trap)', queue: q('a', { inFlight: 5 }), expected: 0 },
    { case: 'is bounded by the pending tasks', queue: q('a', { pending: ['x'] }), expected: 1 },
    { case: 'without max_concurrent takes all pending', queue: q('a', { maxConcurrent: null }), expected: 10 },
    { case: 'with a negative in-flight count stays within max_concurrent', queue: q('a', { inFlight: -4 }), expected: 3 },
  ])('$case', ({ queue, expected }) => {
    const plan = planSubmissions([queue], new Map(), noCaps);
    expect(plan.length).toBe(expected);
    expect(plan.map((p) => p.taskId)).toEqual(queue.pending.slice(0, expected));
  });

  it('keeps each queue to its own max_concurrent on an uncapped cluster', () => {
    expect(counts(planSubmissions([q('a'), q('bb', { maxConcurrent: 5 }), q('ccc', { inFlight: 1 })], new Map(), noCaps))).toEqual({
      a: 3,
      bb: 5,
      ccc: 2,
    });
  });

  it('respects a cluster cap across queues, counting in-flight tasks of other queues', () => {
    const plan = planSubmissions([q('a', { maxConcurrent: 10 }), q('bb', { maxConcurrent: 10 })], new Map([['hpc', 4]]), capped(6));
    expect(plan.length).toBe(2);
  });

  it.each([
    { case: 'splits free slots evenly', queues: [q('a', { maxConcurrent: 10 }), q('bb', { maxConcurrent: 10 })], cap: 6, expected: { a: 3, bb: 3 } },
    {
      case: 'gives the queue with fewer tasks in flight the odd slot, then the older one',
      queues: [q('a', { maxConcurrent: 10, inFlight: 2 }), q('bb', { maxConcurrent: 10 }), q('ccc', { maxConcurrent: 10 })],
      cap: 7,
      expected: { bb: 3, ccc: 2, a: 2 },
    },
    {
      case: 'gives every contender at least one slot while slots last (a 1-task queue is not starved by a big one)',
      queues: [q('big', { maxConcurrent: 100, pending: ids('b', 500), createdAt: '2026-01-01T00:00:00Z' }), q('small', { pending: ['s0'] })],
      cap: 1,
      expected: { big: 1 },
    },
    {
      case: 'fills leftovers greedily when a contender wants less than its share',
      queues: [q('a', { maxConcurrent: 10 }), q('bb', { pending: ['x'] })],
      cap: 8,
      expected: { a: 7, bb: 1 },
    },
    { case: 'submits nothing when the cluster is full', queues: [q('a'), q('bb')], cap: 0, expected: {} },
  ])('fair share: $case', ({ queues, cap, expected }) => {
    const inFlightTotal = queues.reduce((n, x) => n + x.inFlight, 0);
    expect(counts(planSubmissions(queues, new Map([['hpc', inFlightTotal]]), capped(cap + inFlightTotal)))).toEqual(expected);
  });

  it('a later small queue gets a slot as soon as one frees, despite a big backlog', () => {
    const big = q('big', { maxConcurrent: 4, inFlight: 3, pending: ids('b', 500), createdAt: '2026-01-01T00:00:00Z' });
    const small = q('small', { maxConcurrent: 4, pending: ['s0'], createdAt: '2026-01-01T01:00:00Z' });
    expect(planSubmissions([big, small], new Map([['hpc', 3]]), capped(4))).toEqual([{ queueId: 'small', taskId: 's0' }]);
  });

  it('plans each cluster independently', () => {
    const plan = planSubmissions([q('a'), q('bb', { cluster: 'gpu' })], new Map([['hpc', 9]]), { clusterCaps: new Map([['hpc', 9], ['gpu', 2]]) });
    expect(counts(plan)).toEqual({ bb: 2 });
  });

  it('never plans more than the cap or a queue limit, over many random states', () => {
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 500; round++) {
      const queues = Array.from({ length: 1 + rand(5) }, (_, i) =>
        q(`q${i}`, { maxConcurrent: rand(3) === 0 ? null : 1 + rand(6), inFlight: rand(5), pending: ids(`q${i}-`, rand(8)) }),
      );
      const cap = rand(12);
      const total = queues.reduce((n, x) => n + x.inFlight, 0) + rand(3);
      const plan = planSubmissions(queues, new Map([['hpc', total]]), capped(cap));
      expect(plan.length).toBeLessThanOrEqual(Math.max(0, cap - total));
      for (const x of queues) {
        const n = plan.filter((p) => p.queueId === x.id).length;
        if (x.maxConcurrent !== null) expect(n).toBeLessThanOrEqual(Math.max(0, x.maxConcurrent - x.inFlight));
        expect(n).toBeLessThanOrEqual(x.pending.length);
      }
    }
  });
});
