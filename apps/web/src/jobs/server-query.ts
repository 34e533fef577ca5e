import type { JobListInput, JobSortField } from '../live/job-patch';
import type { JobFilters, JobSort, SortKey, UserScope } from './job-query';

/** The server's sort field for each column of the Jobs table. */
const SERVER_SORT = {
  id: 'jobNumber',
  name: 'name',
  user: 'user',
  state: 'lifecycle',
  source: 'source',
  cluster: 'cluster',
  partition: 'partition',
  time: 'timeUsed',
  resources: 'cpus',
  submitTime: 'submitTime',
  exit: 'exit',
  cpuEff: 'cpuEfficiency',
  memEff: 'memoryEfficiency',
} as const satisfies Record<SortKey, JobSortField>;

/** Who "my jobs" is, as the server knows it. */
export interface MyUsers {
  /** One user on every cluster (`filter_user`), or null. */
  filterUser: string | null;
  /** The SSH user of each cluster; null where unknown. */
  myUserByCluster: Readonly<Record<string, string | null>>;
}

export type JobFilterInput = Pick<JobListInput, 'cluster' | 'states' | 'user' | 'owners' | 'text'>;

/**
 * The server filters of the Jobs page: what the URL says plus the user
 * scope. "My jobs" is `filter_user` on every cluster when it is set, else
 * each cluster's own user (a cluster without one shows none).
 */
export function jobFilterInput(
  filters: JobFilters,
  scope: UserScope,
  users: MyUsers | undefined,
): JobFilterInput {
  const input: JobFilterInput = {};
  const text = filters.text.trim();
  if (text !== '') input.text = text;
  if (filters.cluster !== null) input.cluster = filters.cluster;
  if (filters.states.length > 0) input.states = [...filters.states];
  if (scope === 'mine' && users) {
    if (users.filterUser) input.user = users.filterUser;
    else
      input.owners = Object.entries(users.myUserByCluster).flatMap(([cluster, user]) =>
        user ? [{ cluster, user }] : [],
      );
  }
  return input;
}

export const serverSort = (sort: JobSort): NonNullable<JobListInput['sort']> => ({
  field: SERVER_SORT[sort.key],
  dir: sort.dir,
});
