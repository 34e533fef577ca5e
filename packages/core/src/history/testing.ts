import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '../domain/job';

/** Test-only helpers shared by the history tests. */

export function makeJob(overrides: Partial<Job> & Pick<Job, 'id'>): Job {
  return {
    cluster: 'hpc',
    schedulerJobId: null,
    name: 'job',
    user: 'alice',
    state: 'running',
    schedulerState: null,
    outcome: null,
    exitCode: null,
    signal: null,
    reason: null,
    cancelledBy: null,
    source: 'external',
    partition: null,
    cpus: null,
    memory: null,
    nodes: null,
    timeUsed: null,
    timeLimit: null,
    workDir: null,
    command: null,
    stdoutPath: null,
    stderrPath: null,
    submitTime: null,
    startTime: null,
    finishTime: null,
    queueId: null,
    taskId: null,
    error: null,
    lastSeen: null,
    stale: false,
    updatedAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

/** A fresh directory under the OS temp dir, and its removal. */
export function makeTempDir(prefix = 'scripthut-history-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
