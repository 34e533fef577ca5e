import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore, JOB_SORT_FIELDS, type JobSortField } from '../../packages/core/src/history';
import type { Benchmark, SummaryRow } from './benchmark';
import { fmtInt, fmtMs, metText, note, reportComparison } from './report';
import { seedJobs } from './synthetic-jobs';

const SIZES = [10_000, 100_000];
const WINDOW_ROWS = 200;
const ROUNDS = 7;
const TARGET_MS = 100;

/** What each sort field orders by (mirrors SORT_TERMS in core's job-filters.ts), for EXPLAIN. */
const ORDER: Record<JobSortField, string[]> = {
  submitTime: ['submit_time'],
  startTime: ['start_time'],
  finishTime: ['finish_time'],
  name: ['name'],
  user: ['user'],
  state: ['state'],
  cluster: ['cluster'],
  schedulerJobId: ['scheduler_job_id'],
  updatedAt: ['updated_at'],
  cpuEfficiency: ['cpu_efficiency'],
  memoryEfficiency: ['memory_efficiency'],
  maxRss: ['max_rss_bytes'],
  source: ['source', 'queue_id'],
  partition: ['partition'],
  cpus: ['cpus'],
  timeUsed: ['length(time_used)', 'time_used'],
  exit: ['exit_code', 'reason'],
  lifecycle: [
    "case state when 'pending' then 0 when 'submitted' then 1 when 'running' then 2 when 'finishing' then 3 when 'completed' then 4 when 'failed' then 5 else 6 end",
  ],
  jobNumber: ['length(scheduler_job_id)', 'scheduler_job_id'],
};

interface Statement {
  all(...params: unknown[]): Array<{ detail: string }>;
}
interface RawDatabase {
  prepare(sql: string): Statement;
  close(): void;
}
const requireFromCore = createRequire(new URL('../../packages/core/package.json', import.meta.url));
const Database = requireFromCore('better-sqlite3') as new (
  path: string,
  o: { readonly: boolean },
) => RawDatabase;

const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;

/**
 * The Jobs page's first window (`array_id IS NULL`, 200 rows, newest first
 * or by any column) on 10,000 and 100,000 jobs: SQLite's plan and the
 * median time of `listJobs` (count + page), per sort field.
 */
async function run(): Promise<SummaryRow[]> {
  const rows: [string, string, string, string][] = [];
  for (const size of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-plans-'));
    const path = join(dir, 'scripthut.db');
    const store = await HistoryStore.open(path);
    try {
      await seedJobs(store, size);
      const raw = new Database(path, { readonly: true });
      note(`${fmtInt(size)} jobs:`);
      for (const field of JOB_SORT_FIELDS) {
        const order = ORDER[field].map((t) => `${t} desc nulls last`).join(', ');
        const plan = raw
          .prepare(
            `explain query plan select * from jobs where array_id is null order by ${order}, id desc limit ${WINDOW_ROWS}`,
          )
          .all()
          .map((r) => r.detail)
          .join('; ');
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const started = performance.now();
          await store.listJobs({ sort: { field, dir: 'desc' }, limit: WINDOW_ROWS });
          times.push(performance.now() - started);
        }
        note(`  ${field}: ${plan}`);
        rows.push([
          `listJobs first window by ${field}, ${fmtInt(size)} jobs`,
          fmtMs(median(times)),
          plan.includes('TEMP B-TREE') ? 'sorts in a temp b-tree' : 'walks an index',
          `target < ${fmtMs(TARGET_MS)}: ${metText(median(times) < TARGET_MS)}`,
        ]);
      }
      raw.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return reportComparison(rows);
}

export const benchmark: Benchmark = {
  name: 'plans',
  title: `the Jobs page's first ${WINDOW_ROWS}-row window by every sort field at ${SIZES.map(fmtInt).join(' and ')} jobs: SQLite plan and time`,
  run,
};
