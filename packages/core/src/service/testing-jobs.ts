import type { Job } from '../domain/job';

/** Test helper: a complete Job with overrides. */
export function fakeJobFor(overrides: Partial<Job> = {}): Job {
  return {
    id: 'hpc:1', cluster: 'hpc', schedulerJobId: '1', name: 'job', user: 'alice', state: 'running',
    schedulerState: 'RUNNING', outcome: null, exitCode: null, signal: null, reason: null, cancelledBy: null,
    source: 'external', partition: null, cpus: null, memory: null, nodes: null, timeUsed: null, timeLimit: null,
    workDir: null, command: null, stdoutPath: null, stderrPath: null, submitTime: null, startTime: null,
    finishTime: null, queueId: null, taskId: null, error: null, lastSeen: null, stale: false,
    updatedAt: '2026-01-01T00:00:00.000Z', ...overrides,
  };
}
