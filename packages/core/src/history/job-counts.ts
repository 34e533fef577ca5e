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
 * Jobs matching `input`, counted by cluster and state in one grouped query,
 * ordered by cluster then state. Arrays count as one job unless `arrays` is
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
  const rows = await exec.read(() =>
    exec.all(
      db
        .selectFrom('jobs')
        .select((eb) => ['cluster', 'state', eb.fn.countAll<number>().as('count')])
        .where(jobFilter(parsed.data, exec.kind))
        .groupBy(['cluster', 'state'])
        .orderBy('cluster')
        .orderBy('state'),
    ),
  );
  return rows.map((r) => ({
    cluster: r.cluster,
    state: r.state as JobState,
    count: Number(r.count),
  }));
}
