import type { Backend, FinalReport, ObservedJob } from '../backends/backend';
import type { Job } from '../domain/job';
import { isTerminal } from '../domain/job';
import type { JobRepository } from './job-repository';

/** Test double: a repository in memory. */
export class MemoryJobRepository implements JobRepository {
  readonly jobs = new Map<string, Job>();
  activeJobs(cluster: string): Job[] {
    return [...this.jobs.values()].filter((j) => j.cluster === cluster && !isTerminal(j.state));
  }
  upsertJobs(jobs: readonly Job[], removed: readonly string[] = []): void {
    for (const j of jobs) this.jobs.set(j.id, j);
    for (const id of removed) this.jobs.delete(id);
  }
}

/** Test double: a scheduler whose queue and accounting the test sets. */
export class ScriptedBackend implements Backend {
  readonly kind = 'slurm' as const;
  queue: ObservedJob[] = [];
  accounting = new Map<string, FinalReport>();
  failNextList: Error | null = null;
  listCalls = 0;
  reportCalls: string[][] = [];

  listJobs(): Promise<ObservedJob[]> {
    this.listCalls++;
    const failure = this.failNextList;
    if (failure) {
      this.failNextList = null;
      return Promise.reject(failure);
    }
    return Promise.resolve(this.queue.map((j) => ({ ...j })));
  }
  finalReports(ids: readonly string[]): Promise<Map<string, FinalReport>> {
    this.reportCalls.push([...ids]);
    return Promise.resolve(new Map(ids.flatMap((id) => (this.accounting.has(id) ? [[id, this.accounting.get(id)!]] : []))));
  }
  submitMany(): Promise<never> {
    return Promise.reject(new Error('not scripted'));
  }
  findByTags(): Promise<never> {
    return Promise.reject(new Error('not scripted'));
  }
  cancel(): Promise<never> {
    return Promise.reject(new Error('not scripted'));
  }
}

export function observed(id: string, overrides: Partial<ObservedJob> = {}): ObservedJob {
  return {
    schedulerJobId: id,
    name: `job-${id}`,
    user: 'alice',
    rawState: 'RUNNING',
    state: 'running',
    reason: null,
    partition: 'debug',
    cpus: 1,
    memory: '100M',
    nodes: 'node1',
    timeUsed: '0:05',
    timeLimit: '10:00',
    submitTime: '2026-01-01T00:00:00.000Z',
    startTime: '2026-01-01T00:00:01.000Z',
    workDir: '/home/alice',
    command: '/home/alice/run.sh',
    stdoutPath: null,
    stderrPath: null,
    ...overrides,
  };
}

export function report(id: string, overrides: Partial<FinalReport> = {}): FinalReport {
  return {
    schedulerJobId: id,
    rawState: 'COMPLETED',
    outcome: 'COMPLETED',
    exitCode: 0,
    signal: null,
    cancelledBy: null,
    reason: null,
    startTime: '2026-01-01T00:00:01.000Z',
    finishTime: '2026-01-01T00:01:00.000Z',
    elapsed: '00:00:59',
    ...overrides,
  };
}
