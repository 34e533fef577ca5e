import { sql } from 'kysely';
import { arrayOutcome, arrayState, arrayTaskTotal, emptyArrayCounts } from '../domain/job-array';
import { JobState, newJob, type Job, type JobOutcome } from '../domain/job';
import { rowToJob } from './job-rows';
import type { StoreContext } from './store-context';

/** Array rows a write created, changed or removed; the poller publishes them with the rest. */
export interface DerivedRows {
  upserted: Job[];
  removed: string[];
}

type Ctx = Pick<StoreContext, 'db' | 'exec'>;

/**
 * Recomputes the own row of each array in `arrayIds` from the rows that
 * point at it (tasks and pending ranges), inside the caller's transaction:
 * counts per state (a range counts as its size), the state and outcome they
 * add up to, the earliest submit and start, the latest finish, and the
 * efficiency over the tasks that have figures. An array with no member left
 * loses its row. Returns the rows to write and the ids removed; the caller
 * writes the rows.
 */
export async function deriveArrayRows(
  ctx: Ctx,
  arrayIds: ReadonlySet<string>,
): Promise<{ rows: Job[]; removed: string[] }> {
  const rows: Job[] = [];
  const removed: string[] = [];
  for (const arrayId of arrayIds) {
    const row = await deriveArrayRow(ctx, arrayId);
    if (row === null) removed.push(arrayId);
    else rows.push(row);
  }
  return { rows, removed };
}

async function deriveArrayRow({ db, exec }: Ctx, arrayId: string): Promise<Job | null> {
  const members = db.selectFrom('jobs').where('array_id', '=', arrayId);
  const representative = await exec.first(
    members.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(1),
  );
  if (representative === undefined) return null;

  const counts = emptyArrayCounts();
  const outcomes = new Set<JobOutcome | null>();
  const byState = await exec.all(
    members
      .select(['state', 'outcome'])
      .select(sql<number>`sum(coalesce(array_tasks, 1))`.as('tasks'))
      .groupBy(['state', 'outcome']),
  );
  for (const { state, outcome, tasks } of byState) {
    const known = JobState.safeParse(state);
    counts[known.success ? known.data : 'unknown'] += Number(tasks);
    if (known.success && known.data === 'failed' && outcome === 'CANCELLED')
      counts.cancelled += Number(tasks);
    outcomes.add(outcome as JobOutcome | null);
  }

  const totals = await exec.first(
    members.select([
      sql<string | null>`min(submit_time)`.as('submit'),
      sql<string | null>`min(start_time)`.as('start'),
      sql<string | null>`max(finish_time)`.as('finish'),
      sql<string>`max(updated_at)`.as('updated'),
      sql<string | null>`max(last_seen)`.as('seen'),
      sql<number>`max(stale)`.as('stale'),
      // CPU figures only from tasks that have all three, so the ratio compares like with like.
      sql<
        number | null
      >`sum(case when cpu_seconds is not null and elapsed_seconds is not null and alloc_cpus is not null then cpu_seconds end)`.as(
        'cpu',
      ),
      sql<
        number | null
      >`sum(case when cpu_seconds is not null then elapsed_seconds * alloc_cpus end)`.as(
        'allocated',
      ),
      sql<number | null>`sum(elapsed_seconds)`.as('elapsed'),
      sql<number | null>`max(alloc_cpus)`.as('cpus'),
      sql<number | null>`max(max_rss_bytes)`.as('rss'),
      sql<number | null>`max(requested_memory_bytes)`.as('asked'),
    ]),
  );
  const first = rowToJob(representative);
  const state = arrayState(counts);
  const outcome = arrayOutcome(counts, outcomes);
  const cpu = totals?.cpu ?? null;
  const allocated = totals?.allocated ?? null;
  const rss = totals?.rss ?? null;
  const asked = totals?.asked ?? null;
  const hasFigures = [cpu, totals?.elapsed, totals?.cpus, rss, asked].some((v) => v != null);
  return newJob({
    id: arrayId,
    cluster: first.cluster,
    schedulerJobId: arrayJobIdOf(arrayId, first.cluster),
    name: first.name,
    user: first.user,
    state,
    outcome,
    source: first.source,
    partition: first.partition,
    cpus: first.cpus,
    memory: first.memory,
    timeLimit: first.timeLimit,
    workDir: first.workDir,
    command: first.command,
    queueId: first.queueId,
    submitTime: totals?.submit ?? null,
    startTime: totals?.start ?? null,
    finishTime: outcome === null ? null : (totals?.finish ?? null),
    lastSeen: totals?.seen ?? null,
    stale: Number(totals?.stale ?? 0) !== 0,
    updatedAt: totals?.updated ?? first.updatedAt,
    arrayTasks: arrayTaskTotal(counts),
    arrayCounts: counts,
    efficiency: hasFigures
      ? {
          cpuSeconds: cpu,
          elapsedSeconds: totals?.elapsed ?? null,
          allocCpus: totals?.cpus ?? null,
          cpuEfficiency:
            cpu !== null && allocated !== null && allocated > 0 ? cpu / allocated : null,
          maxRssBytes: rss,
          requestedMemoryBytes: asked,
          memoryEfficiency: rss !== null && asked !== null && asked > 0 ? rss / asked : null,
        }
      : null,
  });
}

/** The scheduler's id of the array itself (`123`, a Batch parent's id) from its row id `<cluster>:<id>_*`. */
function arrayJobIdOf(arrayId: string, cluster: string): string | null {
  const prefix = `${cluster}:`;
  return arrayId.startsWith(prefix) && arrayId.endsWith('_*')
    ? arrayId.slice(prefix.length, -'_*'.length)
    : null;
}

/** Distinct array ids of the stored rows among `ids` (read before they are deleted). */
export async function arrayIdsOf({ db, exec }: Ctx, ids: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await exec.all(
      db
        .selectFrom('jobs')
        .select('array_id')
        .where('id', 'in', ids.slice(start, start + 500))
        .where('array_id', 'is not', null),
    );
    for (const r of rows) if (r.array_id !== null) found.add(r.array_id);
  }
  return [...found];
}
