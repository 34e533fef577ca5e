import { describe, expect, it } from 'vitest';
import { JobState } from '../../domain/job';
import { jobStateOf, SLURM_STATE_TO_JOB_STATE, SLURM_STATES, slurmStateOf } from './slurm-state';

describe('SLURM_STATE_TO_JOB_STATE', () => {
  it('maps every Slurm 22.05 state to a dashboard state', () => {
    for (const state of SLURM_STATES)
      expect(JobState.options).toContain(SLURM_STATE_TO_JOB_STATE[state]);
    expect(Object.keys(SLURM_STATE_TO_JOB_STATE).sort()).toEqual([...SLURM_STATES].sort());
  });

  it.each([
    ['PENDING', 'submitted'],
    ['REQUEUED', 'submitted'],
    ['CONFIGURING', 'running'],
    ['RUNNING', 'running'],
    ['SUSPENDED', 'running'],
    ['COMPLETING', 'finishing'],
    ['COMPLETED', 'finishing'],
    ['FAILED', 'failed'],
    ['OUT_OF_MEMORY', 'failed'],
    ['TIMEOUT', 'failed'],
    ['CANCELLED by 1001', 'failed'],
    ['CANCELLED+', 'failed'],
    ['OUT_OF_ME+', 'failed'],
    ['REVOKED', 'unknown'],
    ['SOMETHING_NEW', 'unknown'],
    ['', 'unknown'],
  ])('maps %j to %s', (raw, state) => {
    expect(jobStateOf(raw)).toBe(state);
  });
});

describe('slurmStateOf', () => {
  it('reads the state word of sacct texts and truncated spellings', () => {
    expect(slurmStateOf('CANCELLED by 1001')).toBe('CANCELLED');
    expect(slurmStateOf('OUT_OF_ME+')).toBe('OUT_OF_MEMORY');
    expect(slurmStateOf('RESV_DEL_+')).toBe('RESV_DEL_HOLD');
    expect(slurmStateOf('running')).toBeNull();
    expect(slurmStateOf('toString')).toBeNull();
  });
});
