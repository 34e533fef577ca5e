import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../packages/core/src/history';
import type { Benchmark, SummaryRow } from './benchmark';
import { fmtInt, fmtMs, metText, note, reportComparison } from './report';
import { subscribeEvents, type SseSubscription } from './sse-client';
import { changeJobs, seedJobs, startInProcessServer, type InProcessServer } from './synthetic-jobs';

const JOBS = 10_000;
const SUBSCRIBERS = 50;
const LOAD_S = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
/** One change batch every 200 ms: 5 `jobs` events/s of 25 jobs each (a busy cluster's poll is one event). */
const CHANGE_EVERY_MS = 200;
const CHANGES_PER_BATCH = 25;
/** What the Jobs page asks: one window of the grid (jobs-windows.ts WINDOW_ROWS), newest first. */
const WINDOW_ROWS = 200;
/** The page's list and counts must answer this fast under load (the clients share this process). */
const LIST_P99_TARGET_MS = 100;
/** A cheap query must stay this responsive while the server streams. */
const P99_TARGET_MS = 1_000;

interface Latencies {
  list: number[];
  counts: number[];
  clusters: number[];
}

async function timedQuery(url: string, procedure: string, input: unknown): Promise<number> {
  const started = performance.now();
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${url}/trpc/${procedure}${query}`);
  const body = (await res.json()) as { result?: unknown };
  if (!res.ok || body.result === undefined) throw new Error(`${procedure}: HTTP ${res.status}`);
  return performance.now() - started;
}

/** Sequential query loops for a jobs.list window, jobs.counts and clusters.list, side by side, until `untilMs`. */
async function queryLoops(url: string, untilMs: number): Promise<Latencies> {
  const out: Latencies = { list: [], counts: [], clusters: [] };
  const loop = async (into: number[], procedure: string, input: unknown): Promise<void> => {
    while (performance.now() < untilMs) into.push(await timedQuery(url, procedure, input));
  };
  await Promise.all([
    loop(out.list, 'jobs.list', { limit: WINDOW_ROWS }),
    loop(out.counts, 'jobs.counts', {}),
    loop(out.clusters, 'clusters.list', undefined),
  ]);
  return out;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;

async function run(): Promise<SummaryRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-load-'));
  const writer = await HistoryStore.open(join(dir, 'scripthut.db'));
  const subs: SseSubscription[] = [];
  let server: InProcessServer | null = null;
  try {
    const jobs = await seedJobs(writer, JOBS);
    server = await startInProcessServer(dir);
    const rss: number[] = [process.memoryUsage().rss];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1_000);
    note(
      `${fmtInt(JOBS)} jobs in a real HistoryStore; server in this process on ${server.url}; rss sampled every 1 s`,
    );

    const idle = await queryLoops(server.url, performance.now() + 10_000);
    const rssIdle = rss.length;
    for (let i = 0; i < SUBSCRIBERS; i++) subs.push(subscribeEvents(server.url));
    await Promise.all(subs.map((s) => s.ready));
    const atStart = subs.map((s) => s.messages);
    const changes = changeJobs(writer, server.core, jobs, CHANGES_PER_BATCH, CHANGE_EVERY_MS);
    note(
      `load: ${SUBSCRIBERS} SSE subscribers, ${1_000 / CHANGE_EVERY_MS} jobs events/s of ${CHANGES_PER_BATCH} jobs, for ${LOAD_S} s`,
    );
    const loaded = await queryLoops(server.url, performance.now() + LOAD_S * 1_000);
    const events = await changes.stop();
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(sampler);
    const minDelivered = Math.min(...subs.map((s, i) => s.messages - (atStart[i] ?? 0)));

    const load = rss.slice(rssIdle);
    const firstHalf = Math.max(...load.slice(0, Math.ceil(load.length / 2)));
    const secondHalf = Math.max(...load.slice(Math.ceil(load.length / 2)));
    const bounded = secondHalf <= firstHalf * 1.1;
    const p = (v: number[]) =>
      `p50 ${fmtMs(percentile(v, 50))}, p99 ${fmtMs(percentile(v, 99))} (${v.length} queries)`;
    const ratio = (a: number[], b: number[]) =>
      `p99 ×${(percentile(a, 99) / percentile(b, 99)).toFixed(1)} of idle`;
    const clustersP99 = percentile(loaded.clusters, 99);
    const fast = (v: number[]) =>
      `target p99 < ${fmtMs(LIST_P99_TARGET_MS)}: ${metText(percentile(v, 99) < LIST_P99_TARGET_MS)}`;
    const rows: [string, string, string, string][] = [
      [
        `jobs.list (${fmtInt(JOBS)} jobs, one ${WINDOW_ROWS}-row window)`,
        p(loaded.list),
        `${p(idle.list)} idle`,
        `${ratio(loaded.list, idle.list)}; ${fast(loaded.list)}`,
      ],
      [
        'jobs.counts (by cluster and state, no filter)',
        p(loaded.counts),
        `${p(idle.counts)} idle`,
        `${ratio(loaded.counts, idle.counts)}; ${fast(loaded.counts)}`,
      ],
      [
        'clusters.list (beside the jobs.list loop)',
        p(loaded.clusters),
        `${p(idle.clusters)} idle`,
        `${ratio(loaded.clusters, idle.clusters)}; target p99 ≤ ${fmtMs(P99_TARGET_MS)}: ${metText(clustersP99 <= P99_TARGET_MS)}`,
      ],
      [
        'rss',
        `${mb(Math.min(...load))} … ${mb(Math.max(...load))} under load`,
        `${mb(rss[0]!)} before, ${mb(rss[rssIdle - 1]!)} idle`,
        `peak of 2nd half ${mb(secondHalf)} vs 1st ${mb(firstHalf)}: bounded (≤ +10 %): ${metText(bounded)}`,
      ],
      [
        'events delivered',
        `≥ ${fmtInt(minDelivered)} to every subscriber`,
        `${fmtInt(events)} published`,
        `${metText(minDelivered >= events)}`,
      ],
    ];
    return reportComparison(rows);
  } finally {
    for (const s of subs) s.close();
    await server?.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'load',
  title: `tRPC query latency and memory with ${SUBSCRIBERS} SSE subscribers, ${JOBS} jobs and a stream of job changes`,
  run,
};
