import type { JobState } from '../domain/job';
import { CoreError } from '../runtime/errors';
import { jobFilter } from './job-filters';
import type { StoreContext } from './store-context';
import { ListJobsQuery } from './types';

/** The filters a count takes: a job list's, without `states` (the counts are by state), sort or page. */
export const CountJobsQuery = ListJobsQuery.omit({
  states: true,
  sort: true,
  limit: true,
  offset: true,
});
export type CountJobsQuery = Parameters<typeof CountJobsQuery.parse>[0];

/** How many jobs of one cluster are in one state; only pairs with at least one job are listed. */
export interface JobCount {
  cluster: string;
  state: JobState;
  count: number;
}

/**
 * Jobs matching `input`, counted by cluster and state in one grouped query
 * (one per owner pair when there are several), ordered by cluster then state. Arrays count as one job unless `arrays` is
 * `tasks`, exactly as in the list, so the counts add up to its `total`.
 */
export async function countJobs(
  { db, exec }: Pick<StoreContext, 'db' | 'exec'>,
  input: CountJobsQuery,
): Promise<JobCount[]> {
  const parsed = CountJobsQuery.safeParse(input);
  if (!parsed.success) {
    throw new CoreError('INVALID_INPUT', `Invalid job count query: ${parsed.error.message}`, {
      issues: parsed.error.issues,
    });
  }
  const filter = parsed.data;
  // One grouped query per (cluster, user) pair of "my jobs", summed: for several pairs at
  // once SQLite walks every job in (cluster, state) order rather than each pair's index
  // (jobs_cluster_user_state, schema v7). The pairs, once deduplicated, never share a job.
  const owners =
    filter.owners === undefined || filter.owners.length < 2
      ? [filter.owners]
      : [...new Map(filter.owners.map((o) => [`${o.cluster}\u0000${o.user}`, o])).values()].map(
          (o) => [o],
        );
  const rows = await exec.read(async () => {
    const all = [];
    for (const pair of owners) {
      all.push(
        ...(await exec.all(
          db
            .selectFrom('jobs')
            .select((eb) => ['cluster', 'state', eb.fn.countAll<number>().as('count')])
            .where(jobFilter({ ...filter, owners: pair }, exec.kind))
            .groupBy(['cluster', 'state']),
        )),
      );
    }
    return all;
  });
  const summed = new Map<string, JobCount>();
  for (const r of rows) {
    const key = `${r.cluster}\u0000${r.state}`;
    const found = summed.get(key);
    if (found) found.count += Number(r.count);
    else
      summed.set(key, { cluster: r.cluster, state: r.state as JobState, count: Number(r.count) });
  }
  // Ordered by cluster then state, as SQLite's binary text order (not the database's collation).
  return [...summed.values()].sort((a, b) =>
    a.cluster === b.cluster ? compareText(a.state, b.state) : compareText(a.cluster, b.cluster),
  );
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
