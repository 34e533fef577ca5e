import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Job } from '@scripthut/core';
import { HistoryStore, type ListJobsQuery } from '../../packages/core/src/history';
import { listSummaries, loadSummary } from '../../packages/core/src/queue/queue-summaries';
import { JOB_PRUNE_BATCH, startHousekeeping } from '../../packages/core/src/service/housekeeping';
import type { Benchmark, SummaryRow } from './benchmark';
import { historyJobs, writeJobs, writeQueues } from './history-jobs';
import { startServerProcess, timedQuery, type ServerProcess } from './history-server';
import { median } from './measure';
import { fmtInt, fmtMs, metText, note, reportComparison } from './report';

const JOBS = Number(process.env.BENCH_HISTORY_JOBS ?? 100_000);
const BASELINE_JOBS = 1_000;
const QUEUES = 1_000;
const TASKS_PER_QUEUE = 20;
const OLD_JOBS = 50_000;
const DAY_MS = 86_400_000;
const POLL_EVERY_MS = 100;
const JOBS_PER_POLL = 100;
const QUERY_ROUNDS = 200;

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;
const spread = (v: readonly number[]): string =>
  `p50 ${fmtMs(percentile(v, 50))}, p99 ${fmtMs(percentile(v, 99))}`;

/** The filtered pages the server is asked for, and the store query timed on its own. */
const FILTERED: readonly ListJobsQuery[] = [
  { cluster: 'hpc', states: ['failed'], sort: { field: 'submitTime', dir: 'desc' }, limit: 100 },
  {
    cluster: 'gpu',
    states: ['running', 'submitted'],
    sort: { field: 'submitTime', dir: 'desc' },
    limit: 100,
  },
  { user: 'bob', sort: { field: 'finishTime', dir: 'desc' }, limit: 100 },
  { text: 'sweep-42-', sort: { field: 'submitTime', dir: 'desc' }, limit: 100 },
  {
    cluster: 'hpc',
    states: ['failed'],
    sort: { field: 'submitTime', dir: 'desc' },
    limit: 100,
    offset: 1_000,
  },
];
const TIMED = FILTERED[0]!;

async function timeQuery(store: HistoryStore, query: ListJobsQuery): Promise<number[]> {
  for (let i = 0; i < 10; i++) await store.listJobs(query);
  const times: number[] = [];
  for (let i = 0; i < QUERY_ROUNDS; i++) {
    const started = performance.now();
    await store.listJobs(query);
    times.push(performance.now() - started);
  }
  return times;
}

/** listQueues on 1,000 queues: the grouped path beside loading every queue (what it did before), median of 7 each, alternating. */
async function queueList(dir: string): Promise<[string, string, string, string][]> {
  const store = await HistoryStore.open(join(dir, 'queues.db'));
  try {
    await writeQueues(store, QUEUES, TASKS_PER_QUEUE, Date.now());
    const loadEach = async () => {
      const summaries = [];
      for (const q of await store.listQueues()) {
        const stored = await store.getQueue(q.id);
        if (stored) summaries.push(await loadSummary(store, stored));
      }
      return summaries;
    };
    const grouped: number[] = [];
    const each: number[] = [];
    for (let round = 0; round < 8; round++) {
      let started = performance.now();
      const a = await listSummaries(store);
      if (round > 0) grouped.push(performance.now() - started);
      started = performance.now();
      const b = await loadEach();
      if (round > 0) each.push(performance.now() - started);
      if (round === 0 && JSON.stringify(a) !== JSON.stringify(b))
        throw new Error('listSummaries and the per-queue path disagree');
    }
    return [
      [
        `listQueues, ${fmtInt(QUEUES)} queues × ${TASKS_PER_QUEUE} tasks (median of 7)`,
        fmtMs(median(grouped)),
        `${fmtMs(median(each))} loading each queue's tasks`,
        `×${(median(each) / median(grouped)).toFixed(0)} faster; target < 50 ms: ${metText(median(grouped) < 50)}`,
      ],
    ];
  } finally {
    await store.close();
  }
}

/** The real server over a 100,000-job history: its RSS after the Jobs list and filtered pages, beside the same server over 1,000 jobs. */
async function served(dir: string): Promise<[string, string, string, string][]> {
  const big = join(dir, 'big');
  const small = join(dir, 'small');
  const now = Date.now();
  const seedStarted = performance.now();
  const store = await HistoryStore.open(join(big, 'scripthut.db'));
  await writeJobs(store, historyJobs(JOBS, { endsAt: now, spacingMs: 5_000 }));
  note(
    `${fmtInt(JOBS)} jobs written through HistoryStore.upsertJobs in ${fmtMs(performance.now() - seedStarted)}`,
  );
  const smallStore = await HistoryStore.open(join(small, 'scripthut.db'));
  await writeJobs(smallStore, historyJobs(BASELINE_JOBS, { endsAt: now, spacingMs: 5_000 }));
  await smallStore.close();

  const visit = async (dataDir: string) => {
    let server: ServerProcess | null = null;
    try {
      server = await startServerProcess(dataDir);
      const atStart = server.memory().rssBytes;
      const list = await timedQuery(server.url, 'jobs.list', { limit: 20_000 });
      const pages: number[] = [];
      for (const query of FILTERED)
        pages.push((await timedQuery(server.url, 'jobs.list', query)).ms);
      await timedQuery(server.url, 'queues.list');
      const { rssBytes, peakBytes } = server.memory();
      return { atStart, rssBytes, peakBytes, list, pages };
    } finally {
      await server?.stop();
    }
  };
  const full = await visit(big);
  const base = await visit(small);
  const total = (full.list.result as { total: number }).total;
  const storeTimes = await timeQuery(store, TIMED);
  const smallTimes = await (async () => {
    const s = await HistoryStore.open(join(small, 'scripthut.db'));
    try {
      return await timeQuery(s, TIMED);
    } finally {
      await s.close();
    }
  })();
  const matched = (await store.listJobs(TIMED)).total;
  await store.close();
  return [
    [
      `server RSS after the Jobs list (20,000 of ${fmtInt(total)}) and ${FILTERED.length} filtered pages`,
      `${mb(full.rssBytes)} (peak ${mb(full.peakBytes)}; ${mb(full.atStart)} at start)`,
      `${mb(base.rssBytes)} (peak ${mb(base.peakBytes)}) with ${fmtInt(BASELINE_JOBS)} jobs`,
      `target < 200 MB: ${metText(full.rssBytes < 200 * 1_048_576)}`,
    ],
    [
      'Jobs list over HTTP (limit 20,000)',
      `${fmtMs(full.list.ms)}, ${mb(full.list.bytes)}`,
      `${fmtMs(base.list.ms)} with ${fmtInt(BASELINE_JOBS)} jobs`,
      'information',
    ],
    [
      `filtered pages over HTTP (${FILTERED.length}, limit 100)`,
      `median ${fmtMs(median(full.pages))}, worst ${fmtMs(Math.max(...full.pages))}`,
      `median ${fmtMs(median(base.pages))} with ${fmtInt(BASELINE_JOBS)} jobs`,
      'information',
    ],
    [
      `store query: failed on hpc by submit time, limit 100 (${fmtInt(matched)} match; ${QUERY_ROUNDS} runs)`,
      spread(storeTimes),
      `${spread(smallTimes)} with ${fmtInt(BASELINE_JOBS)} jobs`,
      `target < 20 ms p50 and p99: ${metText(percentile(storeTimes, 99) < 20)}`,
    ],
  ];
}

/**
 * A poll's write (upsert of JOBS_PER_POLL jobs every POLL_EVERY_MS) while
 * housekeeping prunes OLD_JOBS jobs past retention, beside the same polls
 * with nothing to prune. Latency: from when the poll's write was due to
 * when it committed, so time the event loop was held counts.
 */
async function pruneWhilePolling(
  dir: string,
  batchJobs: number | null,
): Promise<{ latencies: number[]; pruneMs: number; pruned: number }> {
  const path = join(dir, `prune-${batchJobs ?? 'none'}`, 'scripthut.db');
  const store = await HistoryStore.open(path);
  try {
    const now = Date.now();
    const old = historyJobs(OLD_JOBS, { endsAt: now - 30 * DAY_MS, spacingMs: 10_000, firstId: 1 });
    const recent = historyJobs(OLD_JOBS, { endsAt: now, spacingMs: 5_000, firstId: 5_000_000 });
    await writeJobs(store, [...old, ...recent]);
    let polling = true;
    let round = 0;
    const latencies: number[] = [];
    const pollLoop = (async () => {
      const started = performance.now();
      while (polling) {
        round++;
        const due = started + round * POLL_EVERY_MS;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const stamp = new Date().toISOString();
        const changed: Job[] = Array.from({ length: JOBS_PER_POLL }, (_, k) => ({
          ...recent[(round * JOBS_PER_POLL + k) % recent.length]!,
          timeUsed: `0:${round % 60}`,
          updatedAt: stamp,
        }));
        await store.upsertJobs(changed);
        latencies.push(performance.now() - due);
      }
    })();
    await new Promise((r) => setTimeout(r, 10 * POLL_EVERY_MS));
    const logs: string[] = [];
    const pruneStarted = performance.now();
    if (batchJobs === null) {
      await new Promise((r) => setTimeout(r, 2_000));
    } else {
      const h = startHousekeeping({
        store,
        clock: systemClock,
        retentionDays: 7,
        log: (m) => logs.push(m),
        jobBatch: batchJobs,
      });
      h.start();
      await h.idle();
      h.stop();
    }
    const pruneMs = performance.now() - pruneStarted;
    await new Promise((r) => setTimeout(r, 5 * POLL_EVERY_MS));
    polling = false;
    await pollLoop;
    const ended = old.filter((j) => j.finishTime !== null);
    let pruned = 0;
    let left = 0;
    for (const j of old) {
      const stored = (await store.getJob(j.id)) !== null;
      if (stored) left++;
      else if (j.finishTime !== null) pruned++;
    }
    const kept = old.length - ended.length;
    if (batchJobs !== null && (pruned !== ended.length || left !== kept)) {
      throw new Error(
        `pruning deleted ${pruned} of ${ended.length} ended old jobs: ${logs.join('; ')}`,
      );
    }
    return { latencies, pruneMs, pruned };
  } finally {
    await store.close();
  }
}

async function run(): Promise<SummaryRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-history-'));
  try {
    const rows = await queueList(dir);
    rows.push(...(await served(dir)));
    const idle = await pruneWhilePolling(dir, null);
    const batched = await pruneWhilePolling(dir, JOB_PRUNE_BATCH);
    const whole = await pruneWhilePolling(dir, OLD_JOBS * 2);
    note(
      `prune of ${fmtInt(OLD_JOBS)} old jobs among ${fmtInt(2 * OLD_JOBS)}: ${fmtMs(batched.pruneMs)} in batches of ${fmtInt(JOB_PRUNE_BATCH)}, ${fmtMs(whole.pruneMs)} as one transaction`,
    );
    const worst = (v: readonly number[]) => Math.max(...v);
    rows.push([
      `poll write latency during a prune of ${fmtInt(OLD_JOBS)} jobs (batches of ${fmtInt(JOB_PRUNE_BATCH)}; ${batched.latencies.length} polls)`,
      `${spread(batched.latencies)}, worst ${fmtMs(worst(batched.latencies))}`,
      `${spread(idle.latencies)}, worst ${fmtMs(worst(idle.latencies))} without a prune`,
      `one transaction for all (the old prune): worst ${fmtMs(worst(whole.latencies))}`,
    ]);
    return reportComparison(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'history',
  title: `a ${fmtInt(JOBS)}-job history: queue list from one grouped query, server RSS, filtered pages, pruning beside polls`,
  run,
};
