import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, type ListJobsQuery } from '../../packages/core/src/history';
import { SEARCH_COLUMNS } from '../../packages/core/src/history/search-index';
import { listSummaries } from '../../packages/core/src/queue/queue-summaries';
import type { Benchmark, SummaryRow } from './benchmark';
import { historyJobs, writeJobs, writeQueues } from './history-jobs';
import { fmtInt, fmtMs, metText, note, reportComparison } from './report';

const JOBS = Number(process.env.BENCH_HISTORY_JOBS ?? 100_000);
const QUEUES = 1_000;
const TASKS_PER_QUEUE = 20;
const ROUNDS = 60;
const WARMUP = 5;

interface Statement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
}
interface RawDatabase {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
}
const requireFromCore = createRequire(new URL('../../packages/core/package.json', import.meta.url));
const Database = requireFromCore('better-sqlite3') as new (path: string) => RawDatabase;

/** Schema v6's indexes in place of v7's (migration 0007), on a copy of the same database. */
const TO_V6 = `
  drop index jobs_cluster_state_list; drop index jobs_cluster_user_list; drop index jobs_user_list;
  drop index jobs_cluster_user_state;
  create index jobs_cluster_state on jobs (cluster, state);
  drop index tasks_queue_state;`;

/** v6's search: each word a LIKE over the ten columns (what job-filters.ts did before the trigram index). */
const v6Search = (word: string): { where: string; params: string[] } => ({
  where: `(${SEARCH_COLUMNS.map((c) => `lower("${c}") like ? escape '\\'`).join(' or ')})`,
  params: SEARCH_COLUMNS.map(() => `%${word.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`),
});

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};

/** Times `a` and `b` in alternating rounds (after warm-up), so machine load falls on both alike. */
async function timedPair(a: () => unknown, b: () => unknown): Promise<[number[], number[]]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < ROUNDS; i++) {
    for (const [k, run] of [a, b].entries()) {
      const started = performance.now();
      await run();
      times[k]!.push(performance.now() - started);
    }
  }
  return times;
}

const spread = (v: readonly number[]): string =>
  `p50 ${fmtMs(percentile(v, 50))}, p99 ${fmtMs(percentile(v, 99))}`;

interface Case {
  label: string;
  query: ListJobsQuery;
  target?: number;
}

/** The Jobs page's and the queue list's questions at 100,000 jobs. */
const CASES: readonly Case[] = [
  {
    label: 'failed on hpc by submit time, limit 100',
    query: {
      cluster: 'hpc',
      states: ['failed'],
      sort: { field: 'submitTime', dir: 'desc' },
      limit: 100,
    },
    target: 20,
  },
  {
    label: 'running or waiting on gpu, limit 100',
    query: {
      cluster: 'gpu',
      states: ['running', 'submitted'],
      sort: { field: 'submitTime', dir: 'desc' },
      limit: 100,
    },
    target: 20,
  },
  {
    label: '"my jobs" (hpc as alice), window of 200',
    query: {
      owners: [{ cluster: 'hpc', user: 'alice' }],
      sort: { field: 'submitTime', dir: 'desc' },
      limit: 200,
    },
    target: 20,
  },
  {
    label: '"my jobs" on three clusters, window of 200',
    query: {
      owners: [
        { cluster: 'hpc', user: 'alice' },
        { cluster: 'gpu', user: 'alice' },
        { cluster: 'cloud', user: 'alice' },
      ],
      sort: { field: 'submitTime', dir: 'desc' },
      limit: 200,
    },
    target: 20,
  },
  {
    label: "bob's jobs by submit time, limit 100",
    query: { user: 'bob', sort: { field: 'submitTime', dir: 'desc' }, limit: 100 },
    target: 20,
  },
];

/**
 * Each question asked of the v7 store and of a copy of its database with
 * v6's indexes (same rows, same process, alternating rounds): listJobs
 * (count + page) and countJobs with the same filters; text search, where
 * v6's query is run as it was; listQueues over 1,000 queues.
 */
async function run(): Promise<SummaryRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-filters-'));
  const v7Path = join(dir, 'v7.db');
  const v6Path = join(dir, 'v6.db');
  const rows: [string, string, string, string][] = [];
  try {
    const seed = await HistoryStore.open(v7Path);
    const seedStarted = performance.now();
    await writeJobs(seed, historyJobs(JOBS, { endsAt: Date.now(), spacingMs: 5_000 }));
    note(
      `${fmtInt(JOBS)} jobs written through upsertJobs in ${fmtMs(performance.now() - seedStarted)}`,
    );
    await writeQueues(seed, QUEUES, TASKS_PER_QUEUE, Date.now());
    await seed.close();
    copyFileSync(v7Path, v6Path);
    const raw6 = new Database(v6Path);
    raw6.exec(TO_V6);
    raw6.exec('analyze');
    const raw7 = new Database(v7Path);
    raw7.exec('analyze');
    raw7.close();
    const v7 = await HistoryStore.open(v7Path);
    // v6's copy is read through a store too: opening it does not migrate (it is at v7), and its queries are the same apart from search.
    const v6 = await HistoryStore.open(v6Path);
    try {
      for (const c of CASES) {
        const [a, b] = await timedPair(
          () => v7.listJobs(c.query),
          () => v6.listJobs(c.query),
        );
        const { states: _states, sort: _sort, limit: _limit, ...filters } = c.query;
        const [ca, cb] = await timedPair(
          () => v7.countJobs(filters),
          () => v6.countJobs(filters),
        );
        const total = (await v7.listJobs(c.query)).total;
        rows.push([
          `listJobs ${c.label} (${fmtInt(total)} match)`,
          spread(a),
          `${spread(b)} with v6 indexes`,
          `×${(percentile(b, 50) / percentile(a, 50)).toFixed(1)}${c.target === undefined ? '' : `; target < ${c.target} ms: ${metText(percentile(a, 99) < c.target)}`}`,
        ]);
        rows.push([
          `  countJobs by cluster and state, same filters`,
          spread(ca),
          `${spread(cb)} with v6 indexes`,
          `×${(percentile(cb, 50) / percentile(ca, 50)).toFixed(1)}`,
        ]);
      }
      for (const word of ['sweep-42-', 'run-4242', 'bob']) {
        const query: ListJobsQuery = {
          text: word,
          sort: { field: 'submitTime', dir: 'desc' },
          limit: 200,
        };
        const { where, params } = v6Search(word);
        const count = raw6.prepare(
          `select count(*) as n from jobs where array_id is null and ${where}`,
        );
        const page = raw6.prepare(
          `select * from jobs where id in (select id from jobs where array_id is null and ${where} order by submit_time desc nulls last, id desc limit 200) order by submit_time desc nulls last, id desc`,
        );
        const counts = raw6.prepare(
          `select cluster, state, count(*) from jobs where array_id is null and ${where} group by cluster, state order by cluster, state`,
        );
        const [searched, before] = await timedPair(
          async () => {
            await v7.listJobs(query);
            await v7.countJobs({ text: word });
          },
          () => {
            count.get(...params);
            page.all(...params);
            counts.all(...params);
          },
        );
        const found = (await v7.listJobs(query)).total;
        const expected = (count.get(...params) as { n: number }).n;
        if (found !== expected)
          throw new Error(`search "${word}": ${found} jobs found, v6's query finds ${expected}`);
        rows.push([
          `search "${word}": list window + counts (${fmtInt(found)} match)`,
          spread(searched),
          `${spread(before)} with v6's LIKE over ten columns`,
          `×${(percentile(before, 50) / percentile(searched, 50)).toFixed(1)}`,
        ]);
      }
      const [qa, qb] = await timedPair(
        () => listSummaries(v7),
        () => listSummaries(v6),
      );
      rows.push([
        `listQueues, ${fmtInt(QUEUES)} queues × ${TASKS_PER_QUEUE} tasks`,
        spread(qa),
        `${spread(qb)} without tasks(queue_id, state)`,
        `×${(percentile(qb, 50) / percentile(qa, 50)).toFixed(1)}; target < 50 ms: ${metText(percentile(qa, 50) < 50)}`,
      ]);
    } finally {
      raw6.close();
      await v7.close();
      await v6.close();
    }
    return reportComparison(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'filters',
  title: `the Jobs page's filters, counts and search and the queue list at ${fmtInt(JOBS)} jobs: schema v7's indexes beside v6's on a copy of the same database`,
  run,
};
