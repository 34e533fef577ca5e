import type { ClusterStatus, JobState } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { clusterJobFacts, finishedJobsByCluster } from './cluster-job-facts';

/** Counts by cluster and state, as the server's jobs.counts groups them, from one state per job. */
const counted = (jobs: ReadonlyArray<[cluster: string, state: JobState]>) => {
  const byCluster = new Map<string, Map<JobState, number>>();
  for (const [cluster, state] of jobs) {
    const states = byCluster.get(cluster) ?? new Map<JobState, number>();
    states.set(state, (states.get(state) ?? 0) + 1);
    byCluster.set(cluster, states);
  }
  return byCluster;
};

const cluster = (name: string, jobCount: number): ClusterStatus => ({
  name,
  kind: 'local',
  host: 'this machine',
  user: 'alice',
  connection: 'connected',
  healthy: true,
  lastPollAt: null,
  lastPollDurationMs: null,
  nextPollAt: null,
  lastError: null,
  jobCount,
});

describe('cluster card job counts', () => {
  it('counts the ended jobs of each cluster from the server’s counts: completed, failed and unknown', () => {
    const counts = counted([
      ['local', 'completed'],
      ['local', 'failed'],
      ['local', 'unknown'],
      ['local', 'running'],
      ['local', 'pending'],
      ['hpc', 'completed'],
      ['hpc', 'finishing'],
      ['gpu', 'running'],
    ]);
    expect(Object.fromEntries(finishedJobsByCluster(counts))).toEqual({ local: 3, hpc: 1, gpu: 0 });
  });

  it('reads "Active jobs 0" beside "Finished 6" for a cluster whose six listed jobs have all ended', () => {
    const counts = counted(
      ['1', '2', '3', '4', '5', '6'].map((id) => ['local', id === '6' ? 'failed' : 'completed']),
    );
    const finished = finishedJobsByCluster(counts).get('local') ?? 0;
    const facts = clusterJobFacts(cluster('local', 0), finished);
    expect(facts.map((f) => [f.label, f.value])).toEqual([
      ['Active jobs', '0'],
      ['Finished', '6'],
    ]);
  });

  it('says on hover what each number counts, and names its test id after the cluster', () => {
    const [active, finished] = clusterJobFacts(cluster('hpc', 2), 0);
    expect(active).toMatchObject({ value: '2', testId: 'cluster-active-jobs-hpc' });
    expect(active?.title).toMatch(/queued, running or finishing on this cluster/);
    expect(finished).toMatchObject({ value: '0', testId: 'cluster-finished-jobs-hpc' });
    expect(finished?.title).toMatch(/ended, as listed in the Jobs table/);
  });
});
