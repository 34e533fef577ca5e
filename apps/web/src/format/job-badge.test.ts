import type { Job } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { exitOrReason, isTerminalState, jobBadge } from './job-badge';

type BadgeInput = Parameters<typeof jobBadge>[0];

const job = (overrides: Partial<Job>): BadgeInput => ({
  state: 'running',
  outcome: null,
  exitCode: null,
  signal: null,
  reason: null,
  cancelledBy: null,
  schedulerState: null,
  error: null,
  ...overrides,
});

describe('jobBadge', () => {
  it('shows a queued job with its pending reason', () => {
    expect(jobBadge(job({ state: 'submitted', reason: 'Priority' }))).toMatchObject({
      label: 'Queued · Priority',
      tone: 'info',
    });
    expect(jobBadge(job({ state: 'submitted' })).label).toBe('Queued');
  });

  it('never shows a job that left the queue as a success before accounting confirms it', () => {
    const badge = jobBadge(job({ state: 'finishing' }));
    expect(badge.label).toBe('Finishing…');
    expect(badge.tone).not.toBe('success');
  });

  it('names the exit code or the signal of a failed job', () => {
    expect(jobBadge(job({ state: 'failed', outcome: 'FAILED', exitCode: 3 })).label).toBe(
      'Failed · exit 3',
    );
    const killed = jobBadge(job({ state: 'failed', outcome: 'FAILED', exitCode: 0, signal: 9 }));
    expect(killed.label).toBe('Failed · signal 9');
    expect(killed.title).toContain('SIGKILL');
  });

  it('distinguishes out of memory, timeout and node failure', () => {
    expect(
      jobBadge(job({ state: 'failed', outcome: 'OUT_OF_MEMORY', exitCode: 0, signal: 9 })).label,
    ).toBe('Out of memory');
    expect(jobBadge(job({ state: 'failed', outcome: 'TIMEOUT' })).label).toBe('Timed out');
    expect(jobBadge(job({ state: 'failed', outcome: 'NODE_FAIL' })).label).toBe('Node failure');
  });

  it('says who cancelled a job', () => {
    expect(jobBadge(job({ state: 'failed', outcome: 'CANCELLED', cancelledBy: 'bob' })).label).toBe(
      'Cancelled by bob',
    );
    expect(jobBadge(job({ state: 'failed', outcome: 'CANCELLED' })).label).toBe('Cancelled');
  });

  it('marks a lost job with its reason in the tooltip', () => {
    expect(
      jobBadge(job({ state: 'unknown', outcome: 'LOST', reason: 'not in sacct after 5 checks' })),
    ).toEqual({
      label: 'Lost',
      tone: 'warning',
      title: 'not in sacct after 5 checks',
    });
  });

  it('shows an unrecognised raw state instead of hiding it', () => {
    expect(jobBadge(job({ state: 'unknown', schedulerState: 'REVOKED' })).label).toBe(
      'Unknown · REVOKED',
    );
  });

  it('labels the plain states', () => {
    expect(jobBadge(job({ state: 'running' })).label).toBe('Running');
    expect(jobBadge(job({ state: 'completed', outcome: 'COMPLETED', exitCode: 0 })).label).toBe(
      'Completed',
    );
    expect(jobBadge(job({ state: 'pending' })).label).toBe('Pending');
  });
});

describe('exitOrReason', () => {
  it('combines the exit code with the reason', () => {
    expect(exitOrReason(job({ state: 'failed', exitCode: 3, reason: 'NonZeroExitCode' }))).toBe(
      'exit 3 · NonZeroExitCode',
    );
    expect(exitOrReason(job({ state: 'failed', exitCode: 0, signal: 9 }))).toBe(
      'signal 9 (SIGKILL)',
    );
    expect(exitOrReason(job({ state: 'submitted', reason: 'Resources' }))).toBe('Resources');
    expect(exitOrReason(job({ state: 'failed', signal: 40 }))).toBe('signal 40');
    expect(exitOrReason(job({ state: 'running' }))).toBe('');
  });
});

describe('a job that could not start', () => {
  // As the Slurm backend reports a launch failure (sacct `0:53`, slurmd error 4021).
  const launchFailed = job({
    state: 'failed',
    outcome: 'FAILED',
    exitCode: null,
    signal: null,
    reason:
      "Could not start: Slurm could not open the job's output or error file (slurmd error 4021, shown by sacct as signal 53). Check that the directory of --output and --error exists on the node and that the job's user may write to it.",
  });

  it('says what happened in words, with no signal number', () => {
    expect(exitOrReason(launchFailed)).toMatch(
      /^Could not start: Slurm could not open the job's output or error file/,
    );
    expect(jobBadge(launchFailed)).toMatchObject({ label: 'Failed', title: launchFailed.reason });
  });
});

describe('isTerminalState', () => {
  it('agrees with the domain: finishing is not terminal, lost is', () => {
    expect(isTerminalState('finishing')).toBe(false);
    expect(isTerminalState('unknown')).toBe(true);
    expect(isTerminalState('completed')).toBe(true);
  });
});
