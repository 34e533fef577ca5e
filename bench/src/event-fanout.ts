import type { Job } from '@scripthut/core';
import type { EventBus, Sequenced } from '../../packages/core/src/events/event-bus';
import type { EventStream } from '../../packages/core/src/events/event-stream';
import { streamBed, type StreamInstance } from '../../packages/core/src/events/stream-beds';
import { makeJob } from '../../packages/core/src/history/testing';
import type { Benchmark, SummaryRow } from './benchmark';
import { median } from './measure';
import { fmtInt, fmtMs, note, reportComparison } from './report';

/** One event as a poll publishes it: a jobs change of `size` jobs. */
interface JobsEvent {
  type: 'jobs';
  cluster: string;
  upserted: Job[];
  removed: string[];
}

const SINGLE_ROUNDS = 200;
const BURST = 1_000;
const POLL_SIZE = 200;

const jobsEvent = (n: number, size: number): JobsEvent => ({
  type: 'jobs',
  cluster: 'bench',
  upserted: Array.from({ length: size }, (_, k) =>
    makeJob({ id: `bench:${n}-${k}`, schedulerJobId: `${n}${k}` }),
  ),
  removed: [],
});

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};

/** Resolves when `stream` delivers an event with id `seq` or later. */
function arrival(stream: EventStream<JobsEvent>, seq: number): Promise<number> {
  return new Promise((resolve) => {
    if (stream.lastSeq >= seq) return resolve(performance.now());
    const off = stream.subscribe((item: Sequenced<JobsEvent>) => {
      if (item.seq < seq) return;
      off();
      resolve(performance.now());
    });
  });
}

/** Latencies (ms) from `publish` on `from` to delivery on `to`, one event at a time. */
async function singleLatencies(
  from: EventBus<JobsEvent>,
  fromStream: EventStream<JobsEvent>,
  to: EventStream<JobsEvent>,
  size: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let round = 0; round < SINGLE_ROUNDS; round++) {
    // The id this event will get: the writer has written everything before it.
    await arrival(to, fromStream.lastSeq);
    const next = to.lastSeq + 1;
    const seen = arrival(to, next);
    const event = jobsEvent(round, size);
    const start = performance.now();
    from.publish(event);
    out.push((await seen) - start);
  }
  return out;
}

/** Milliseconds from publishing `BURST` events on `from` to the last one's delivery on `to`. */
async function burst(from: EventBus<JobsEvent>, to: EventStream<JobsEvent>): Promise<number> {
  const last = to.lastSeq + BURST;
  const seen = arrival(to, last);
  const events = Array.from({ length: BURST }, (_, n) => jobsEvent(n, 1));
  const start = performance.now();
  for (const event of events) from.publish(event);
  return (await seen) - start;
}

/** One database round trip of the stream's own pool: `since` reading the newest event. */
async function roundTrips(stream: EventStream<JobsEvent>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < SINGLE_ROUNDS; i++) {
    const start = performance.now();
    await stream.since(stream.lastSeq - 1);
    out.push(performance.now() - start);
  }
  return out;
}

/** Milliseconds, in µs below one. */
const fine = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : fmtMs(ms));

const row = (
  name: string,
  values: readonly number[],
  baseline: string,
  baseMedian: number,
): [string, string, string, string] => [
  name,
  `median ${fine(median(values))}, p95 ${fine(percentile(values, 0.95))}`,
  baseline,
  `${(median(values) / baseMedian).toFixed(1)}× one read`,
];

export const benchmark: Benchmark = {
  name: 'fanout',
  title:
    'live event fan-out: publish on one instance → delivery on another (PostgreSQL stream) vs in-process',
  async run(): Promise<SummaryRow[]> {
    const local = await streamBed('sqlite');
    const shared = await streamBed('postgres');
    try {
      const l = await local.instance<JobsEvent>();
      const a: StreamInstance<JobsEvent> = await shared.instance<JobsEvent>();
      const b: StreamInstance<JobsEvent> = await shared.instance<JobsEvent>();
      note(
        `${SINGLE_ROUNDS} single events each (one at a time); a burst of ${fmtInt(BURST)}; instances A and B share one database, in this process`,
      );
      const inProcess = await singleLatencies(l.bus, l.stream, l.stream, 1);
      const inProcessPoll = await singleLatencies(l.bus, l.stream, l.stream, POLL_SIZE);
      const own = await singleLatencies(a.bus, a.stream, a.stream, 1);
      const across = await singleLatencies(a.bus, a.stream, b.stream, 1);
      const roundTrip = await roundTrips(b.stream);
      const acrossPoll = await singleLatencies(a.bus, a.stream, b.stream, POLL_SIZE);
      const burstLocal = await burst(l.bus, l.stream);
      const burstAcross = await burst(a.bus, b.stream);
      const base = `in-process: median ${fine(median(inProcess))}; one read (since): median ${fine(median(roundTrip))}`;
      const rt = median(roundTrip);
      return reportComparison([
        row('A → A (own browsers), 1-job event', own, base, rt),
        row('A → B, 1-job event', across, base, rt),
        row(
          `A → B, ${POLL_SIZE}-job event (a poll)`,
          acrossPoll,
          `in-process ${POLL_SIZE}-job: median ${fine(median(inProcessPoll))}`,
          rt,
        ),
        [
          `A → B, burst of ${fmtInt(BURST)}`,
          `${fmtMs(burstAcross)} (${fmtInt((BURST / burstAcross) * 1000)} events/s)`,
          `in-process: ${fine(burstLocal)}`,
          `${fmtInt(burstAcross / Math.max(burstLocal, 0.001))}× in-process`,
        ],
      ]);
    } finally {
      await Promise.all([local.remove(), shared.remove()]);
    }
  },
};
