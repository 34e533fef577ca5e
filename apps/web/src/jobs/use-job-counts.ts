import type { JobState } from '@scripthut/core/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../api/trpc';
import type { JobFilterInput } from './server-query';

export interface JobCounts {
  /** Jobs matching the filters, arrays counted once. */
  total: number;
  byState: ReadonlyMap<JobState, number>;
  byCluster: ReadonlyMap<string, ReadonlyMap<JobState, number>>;
}

/**
 * Jobs matching `filter` (states aside: the counts are by state), counted
 * on the server by cluster and state. Refetched after job events (see
 * job-cache-sync.ts); undefined until the first answer.
 */
export function useJobCounts(
  filter: Omit<JobFilterInput, 'states'>,
  enabled = true,
): JobCounts | undefined {
  const trpc = useTRPC();
  const { data } = useQuery({
    ...trpc.jobs.counts.queryOptions(filter),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
  });
  return useMemo(() => {
    if (data === undefined) return undefined;
    const byState = new Map<JobState, number>();
    const byCluster = new Map<string, Map<JobState, number>>();
    let total = 0;
    for (const { cluster, state, count } of data) {
      total += count;
      byState.set(state, (byState.get(state) ?? 0) + count);
      const states = byCluster.get(cluster) ?? new Map<JobState, number>();
      states.set(state, (states.get(state) ?? 0) + count);
      byCluster.set(cluster, states);
    }
    return { total, byState, byCluster };
  }, [data]);
}
