import type { JobState } from '@scripthut/core/domain';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useSystemInfo } from '../api/use-system-info';
import { useStoredState } from '../ui/use-stored-state';
import { NO_FILTERS, type JobFilters, type JobSort, type UserScope } from './job-query';
import { jobViewParams, parseJobView } from './job-view-params';

export const USER_SCOPE_STORAGE_KEY = 'scripthut.jobs.userScope';
const parseScope = (raw: string | null): UserScope => (raw === 'all' ? 'all' : 'mine');

export interface JobView {
  filters: JobFilters;
  sort: JobSort;
  /** The scope in effect: always `all` when no cluster has a known user. */
  scope: UserScope;
  /** Distinct users "my jobs" means, for the toggle's label; empty when none is known. */
  myUserNames: string[];
  setFilters: (change: Partial<JobFilters>) => void;
  setSort: (sort: JobSort) => void;
  setScope: (scope: UserScope) => void;
  toggleState: (state: JobState) => void;
  clearFilters: () => void;
}

/** Filters and sort from the URL, the user scope from this browser's storage, "me" from the server. */
export function useJobView(): JobView {
  const [params, setParams] = useSearchParams();
  const { filters, sort } = useMemo(() => parseJobView(params), [params]);
  const [storedScope, setScope] = useStoredState(USER_SCOPE_STORAGE_KEY, parseScope);
  const info = useSystemInfo().data;

  const myUserNames = useMemo(() => {
    if (!info) return [];
    if (info.filterUser) return [info.filterUser];
    return [...new Set(Object.values(info.myUserByCluster).filter((u): u is string => !!u))];
  }, [info]);

  const write = useCallback(
    (next: JobFilters, nextSort: JobSort) =>
      setParams(jobViewParams(next, nextSort), { replace: true }),
    [setParams],
  );

  return {
    filters,
    sort,
    scope: myUserNames.length === 0 ? 'all' : storedScope,
    myUserNames,
    setFilters: (change) => write({ ...filters, ...change }, sort),
    setSort: (next) => write(filters, next),
    setScope,
    toggleState: (state) =>
      write(
        {
          ...filters,
          states: filters.states.includes(state)
            ? filters.states.filter((s) => s !== state)
            : [...filters.states, state],
        },
        sort,
      ),
    clearFilters: () => write(NO_FILTERS, sort),
  };
}
