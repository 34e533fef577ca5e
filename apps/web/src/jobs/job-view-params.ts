import type { JobState } from '@scripthut/core/domain';
import { JOB_STATES } from '../format/job-badge';
import { DEFAULT_SORT, SORT_KEYS, type JobFilters, type JobSort, type SortKey } from './job-query';

/**
 * Filters and sort live in the URL (`?q=&state=running,failed&cluster=&sort=name:asc`)
 * so a view can be bookmarked, shared and restored with Back. Unknown values are ignored.
 */
export function parseJobView(params: URLSearchParams): { filters: JobFilters; sort: JobSort } {
  const states = (params.get('state') ?? '')
    .split(',')
    .filter((s): s is JobState => (JOB_STATES as readonly string[]).includes(s));
  const [key, dir] = (params.get('sort') ?? '').split(':');
  const sort: JobSort =
    (SORT_KEYS as readonly string[]).includes(key ?? '') && (dir === 'asc' || dir === 'desc')
      ? { key: key as SortKey, dir }
      : DEFAULT_SORT;
  return {
    filters: {
      text: params.get('q') ?? '',
      states: [...new Set(states)],
      cluster: params.get('cluster') || null,
    },
    sort,
  };
}

export function jobViewParams(filters: JobFilters, sort: JobSort): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.text !== '') params.set('q', filters.text);
  if (filters.states.length > 0) params.set('state', filters.states.join(','));
  if (filters.cluster !== null) params.set('cluster', filters.cluster);
  if (sort.key !== DEFAULT_SORT.key || sort.dir !== DEFAULT_SORT.dir)
    params.set('sort', `${sort.key}:${sort.dir}`);
  return params;
}
