import { newJob, type ClusterStatus, type Job, type JobState } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { clusterJobFacts, finishedJobsByCluster } from './cluster-job-facts';

const job = (id: string, cluster: string, state: JobState): Job =>
  newJob({
    id: `${cluster}:${id}`,
    cluster,
    schedulerJobId: id,
    name: `job-${id}`,
    user: 'alice',
    state,
    schedulerState: state.toUpperCase(),
    source: 'queue',
    partition: null,
    cpus: 1,
    memory: '1G',
    nodes: 'localhost',
    timeUsed: null,
    timeLimit: '10:00',
    submitTime: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
  });

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
  it('counts the ended jobs of each cluster in the list: completed, failed and unknown', () => {
    const jobs = [
      job('1', 'local', 'completed'),
      job('2', 'local', 'failed'),
      job('3', 'local', 'unknown'),
      job('4', 'local', 'running'),
      job('5', 'local', 'pending'),
      job('6', 'hpc', 'completed'),
      job('7', 'hpc', 'finishing'),
    ];
    expect(Object.fromEntries(finishedJobsByCluster(jobs))).toEqual({ local: 3, hpc: 1 });
  });

  it('reads "Active jobs 0" beside "Finished 6" for a cluster whose six listed jobs have all ended', () => {
    const jobs = ['1', '2', '3', '4', '5', '6'].map((id) =>
      job(id, 'local', id === '6' ? 'failed' : 'completed'),
    );
    const finished = finishedJobsByCluster(jobs).get('local') ?? 0;
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
