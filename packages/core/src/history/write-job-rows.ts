import { jobColumns } from './job-rows';
import { compileRowStatement } from './row-statement';
import type { JobRow } from './schema';
import { writeSearchedRows } from './search-index';
import type { StoreContext } from './store-context';

/** Upserts job rows (last write wins) inside the caller's transaction, one prepared row statement per row; search follows (search-index.ts). */
export async function writeRows(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  rows: readonly JobRow[],
): Promise<void> {
  const [first] = rows;
  if (first === undefined) return;
  const statement = compileRowStatement(jobColumns(first), (row) =>
    db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet(
          (eb) =>
            ({
              cluster: eb.ref('excluded.cluster'),
              scheduler_job_id: eb.ref('excluded.scheduler_job_id'),
              name: eb.ref('excluded.name'),
              user: eb.ref('excluded.user'),
              state: eb.ref('excluded.state'),
              scheduler_state: eb.ref('excluded.scheduler_state'),
              outcome: eb.ref('excluded.outcome'),
              exit_code: eb.ref('excluded.exit_code'),
              signal: eb.ref('excluded.signal'),
              reason: eb.ref('excluded.reason'),
              cancelled_by: eb.ref('excluded.cancelled_by'),
              source: eb.ref('excluded.source'),
              partition: eb.ref('excluded.partition'),
              cpus: eb.ref('excluded.cpus'),
              memory: eb.ref('excluded.memory'),
              nodes: eb.ref('excluded.nodes'),
              time_used: eb.ref('excluded.time_used'),
              time_limit: eb.ref('excluded.time_limit'),
              work_dir: eb.ref('excluded.work_dir'),
              command: eb.ref('excluded.command'),
              stdout_path: eb.ref('excluded.stdout_path'),
              stderr_path: eb.ref('excluded.stderr_path'),
              submit_time: eb.ref('excluded.submit_time'),
              start_time: eb.ref('excluded.start_time'),
              finish_time: eb.ref('excluded.finish_time'),
              queue_id: eb.ref('excluded.queue_id'),
              task_id: eb.ref('excluded.task_id'),
              error: eb.ref('excluded.error'),
              last_seen: eb.ref('excluded.last_seen'),
              stale: eb.ref('excluded.stale'),
              updated_at: eb.ref('excluded.updated_at'),
              finished_at: eb.ref('excluded.finished_at'),
              array_id: eb.ref('excluded.array_id'),
              array_tasks: eb.ref('excluded.array_tasks'),
              array_counts: eb.ref('excluded.array_counts'),
              cpu_seconds: eb.ref('excluded.cpu_seconds'),
              elapsed_seconds: eb.ref('excluded.elapsed_seconds'),
              alloc_cpus: eb.ref('excluded.alloc_cpus'),
              cpu_efficiency: eb.ref('excluded.cpu_efficiency'),
              max_rss_bytes: eb.ref('excluded.max_rss_bytes'),
              requested_memory_bytes: eb.ref('excluded.requested_memory_bytes'),
              memory_efficiency: eb.ref('excluded.memory_efficiency'),
            }) satisfies Record<Exclude<keyof JobRow, 'id'>, unknown>,
        ),
      ),
  );
  await writeSearchedRows({ db, exec }, rows, async () => {
    for (const row of rows) await exec.runRow(statement, row);
  });
}
