import { isTerminal, type ClusterStatus, type JobState } from '@scripthut/core/domain';

export interface ClusterJobFact {
  label: string;
  /** What the number counts, shown on hover. */
  title: string;
  value: string;
  testId: string;
}

/** Jobs that have ended (completed, failed or unknown) per cluster, from the server's counts by cluster and state. */
export function finishedJobsByCluster(
  byCluster: ReadonlyMap<string, ReadonlyMap<JobState, number>>,
): ReadonlyMap<string, number> {
  const finished = new Map<string, number>();
  for (const [cluster, states] of byCluster) {
    let n = 0;
    for (const [state, count] of states) if (isTerminal(state)) n += count;
    finished.set(cluster, n);
  }
  return finished;
}

/**
 * The two job counts of a cluster card. The active count is the cluster's own
 * (from its last poll); the finished count is of the Jobs table's rows, so a
 * cluster whose jobs have all ended reads "0 active, 6 finished" beside a
 * table of six, never a bare 0.
 */
export function clusterJobFacts(cluster: ClusterStatus, finished: number): ClusterJobFact[] {
  return [
    {
      label: 'Active jobs',
      title: 'Jobs queued, running or finishing on this cluster, as of its last poll',
      value: cluster.jobCount.toLocaleString(),
      testId: `cluster-active-jobs-${cluster.name}`,
    },
    {
      label: 'Finished',
      title: 'Jobs of this cluster that have ended, as listed in the Jobs table (before filters)',
      value: finished.toLocaleString(),
      testId: `cluster-finished-jobs-${cluster.name}`,
    },
  ];
}
