import { isTerminal, type ClusterStatus, type Job } from '@scripthut/core/domain';

export interface ClusterJobFact {
  label: string;
  /** What the number counts, shown on hover. */
  title: string;
  value: string;
  testId: string;
}

/** Jobs in the loaded list that have ended (completed, failed or unknown), per cluster. */
export function finishedJobsByCluster(jobs: Iterable<Job>): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const job of jobs) {
    if (isTerminal(job.state)) counts.set(job.cluster, (counts.get(job.cluster) ?? 0) + 1);
  }
  return counts;
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
