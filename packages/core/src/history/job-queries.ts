import { TERMINAL_JOB_STATES, type Job } from '../domain/job';
import { CoreError } from '../runtime/errors';
import { arrayIdsOf, deriveArrayRows, type DerivedRows } from './array-rows';
import { jobColumns, jobToRow, rowToJob } from './job-rows';
import { compileRowStatement } from './row-statement';
import { writeRows } from './write-job-rows';
import { writeSearchedRows } from './search-index';
import type { StoreContext } from './store-context';
import type { JobTransition } from './store-hooks';
import { jobFilter, orderJobs } from './job-filters';
import { ListJobsQuery, WAITING_TASK_STATES, type JobPage } from './types';

const TERMINAL = [...TERMINAL_JOB_STATES];

/**
 * Last write wins, within a batch and across batches. `deleteIds` are removed
 * in the same transaction, so a poll's changes land together. The own rows
 * of arrays whose tasks were written or deleted are derived again in the
 * same transaction (see deriveArrayRows) and returned.
 */
export async function upsertJobs(
  { db, exec, hooks }: StoreContext,
  jobs: readonly Job[],
  deleteIds: readonly string[] = [],
): Promise<DerivedRows> {
  // Convert first: an invalid time rejects the whole batch before anything is written.
  const rows = jobs.map(jobToRow);
  if (rows.length === 0 && deleteIds.length === 0) return { upserted: [], removed: [] };
  const touched = new Set<string>();
  for (const job of jobs) if (job.arrayId !== null) touched.add(job.arrayId);
  return exec.write(async () => {
    for (const id of await arrayIdsOf({ db, exec }, deleteIds)) touched.add(id);
    const observer = hooks?.current;
    const previous =
      observer?.jobsWritten && jobs.length > 0 ? await previousStates({ db, exec }, jobs) : null;
    await writeRows({ db, exec }, rows);
    await deleteJobRows({ db, exec }, deleteIds);
    const arrays = await deriveArrayRows({ db, exec }, touched);
    await writeRows({ db, exec }, arrays.rows.map(jobToRow));
    await deleteJobRows({ db, exec }, arrays.removed);
    if (previous)
      await observer?.jobsWritten?.(
        jobs.map((job) => ({ previous: previous.get(job.id) ?? null, job })),
      );
    return { upserted: arrays.rows, removed: arrays.removed };
  });
}

type PreviousState = NonNullable<JobTransition['previous']>;

/** State, outcome and reason of the stored jobs among `jobs`, read inside the caller's transaction. */
async function previousStates(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  jobs: readonly Job[],
): Promise<Map<string, PreviousState>> {
  const ids = [...new Set(jobs.map((j) => j.id))];
  const found = new Map<string, PreviousState>();
  for (let start = 0; start < ids.length; start += DELETE_CHUNK_IDS) {
    const rows = await exec.all(
      db
        .selectFrom('jobs')
        .select(['id', 'state', 'outcome', 'reason'])
        .where('id', 'in', ids.slice(start, start + DELETE_CHUNK_IDS)),
    );
    for (const r of rows)
      found.set(r.id, {
        state: r.state as Job['state'],
        outcome: r.outcome as Job['outcome'],
        reason: r.reason,
      });
  }
  return found;
}

/** Deletes jobs by id in one transaction; tasks pointing at them keep their row with `jobId` null. */
export async function deleteJobs(
  ctx: Pick<StoreContext, 'db' | 'exec'>,
  ids: readonly string[],
): Promise<number> {
  return ctx.exec.write(async () => deleteJobRows(ctx, ids));
}

const DELETE_CHUNK_IDS = 500;

async function deleteJobRows(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  ids: readonly string[],
): Promise<number> {
  let deleted = 0;
  for (let start = 0; start < ids.length; start += DELETE_CHUNK_IDS) {
    deleted += await exec.run(
      db.deleteFrom('jobs').where('id', 'in', ids.slice(start, start + DELETE_CHUNK_IDS)),
    );
  }
  return deleted;
}

/** Inserts jobs whose id is not stored yet; existing rows are left untouched. Returns how many were inserted. */
export async function insertMissingJobs(
  { db, exec }: StoreContext,
  jobs: readonly Job[],
): Promise<number> {
  const rows = jobs.map(jobToRow);
  const [first] = rows;
  if (first === undefined) return 0;
  const statement = compileRowStatement(jobColumns(first), (row) =>
    db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing()),
  );
  return exec.write(async () => {
    let inserted = 0;
    await writeSearchedRows(
      { db, exec },
      rows,
      async () => {
        for (const row of rows) inserted += await exec.runRow(statement, row);
      },
      { onlyNew: true },
    );
    return inserted;
  });
}

export async function getJob({ db, exec }: StoreContext, id: string): Promise<Job | null> {
  const row = await exec.read(() =>
    exec.first(db.selectFrom('jobs').selectAll().where('id', '=', id)),
  );
  return row === undefined ? null : rowToJob(row);
}

export async function listJobs({ db, exec }: StoreContext, input: ListJobsQuery): Promise<JobPage> {
  const parsed = ListJobsQuery.safeParse(input);
  if (!parsed.success) {
    throw new CoreError('INVALID_INPUT', `Invalid job list query: ${parsed.error.message}`, {
      issues: parsed.error.issues,
    });
  }
  const query = parsed.data;
  const where = jobFilter(query, exec.kind);
  return exec.read(async () => {
    const count = await exec.first(
      db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .where(where),
    );
    // The page's ids first, then its rows: the sort then holds (key, id) pairs, not whole rows.
    const page = db
      .selectFrom('jobs')
      .select('id')
      .where(where)
      .$call((q) => orderJobs(q, query.sort))
      .limit(query.limit)
      .offset(query.offset);
    const rows = await exec.all(
      db
        .selectFrom('jobs')
        .selectAll()
        .where('id', 'in', page)
        .$call((q) => orderJobs(q, query.sort)),
    );
    return { jobs: rows.map(rowToJob), total: Number(count?.total ?? 0) };
  });
}

/** Non-terminal jobs of a cluster (what the poller must reconcile after a restart; not arrays' own rows, which are derived), ordered by id. */
export async function activeJobs({ db, exec }: StoreContext, cluster: string): Promise<Job[]> {
  const rows = await exec.read(() =>
    exec.all(
      db
        .selectFrom('jobs')
        .selectAll()
        .where('cluster', '=', cluster)
        .where('state', 'not in', TERMINAL)
        .where('array_counts', 'is', null)
        .orderBy('id'),
    ),
  );
  return rows.map(rowToJob);
}

/** Jobs `pruneFinished` deletes per transaction: a poll's write waits for at most one batch. */
export const PRUNE_BATCH_JOBS = 1_000;

/**
 * Deletes terminal jobs that finished (or, without a finish time, were last
 * updated) before `olderThan`, then queues created before it that have no
 * jobs left and no task still waiting to be submitted. One call deletes at
 * most `batchJobs` jobs in its own transaction and returns how many; the
 * queues go in the call that finds fewer than `batchJobs` jobs left, so
 * calling until it returns less than `batchJobs` prunes everything.
 */
export async function pruneFinished(
  { db, exec }: StoreContext,
  olderThan: Date,
  batchJobs: number = PRUNE_BATCH_JOBS,
): Promise<number> {
  if (!Number.isInteger(batchJobs) || batchJobs < 1) {
    throw new CoreError(
      'INVALID_INPUT',
      `pruneFinished: batchJobs must be a whole number ≥ 1, got ${batchJobs}`,
    );
  }
  const cutoff = olderThan.toISOString();
  return exec.write(async () => {
    const jobs = await exec.run(
      db
        .deleteFrom('jobs')
        .where('id', 'in', (eb) =>
          eb.selectFrom('jobs').select('id').where('finished_at', '<', cutoff).limit(batchJobs),
        ),
    );
    if (jobs >= batchJobs) return jobs;
    await exec.run(
      db
        .deleteFrom('queues')
        .where('created_at', '<', cutoff)
        .where((eb) =>
          eb.and([
            eb.not(
              eb.exists(
                eb.selectFrom('jobs').select('jobs.id').whereRef('jobs.queue_id', '=', 'queues.id'),
              ),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('tasks')
                  .select('tasks.task_id')
                  .whereRef('tasks.queue_id', '=', 'queues.id')
                  .where('tasks.state', 'in', WAITING_TASK_STATES),
              ),
            ),
          ]),
        ),
    );
    return jobs;
  });
}
