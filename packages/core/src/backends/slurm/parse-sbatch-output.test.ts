import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../runtime/command-runner';
import { loadCapture } from './load-capture';
import { parseSbatchOutput, toSubmitOutcome } from './parse-sbatch-output';

const result = (
  stdout: string,
  stderr: string,
  exitCode: number | null,
  signal: string | null = null,
): CommandResult => ({
  stdout,
  stderr,
  exitCode,
  signal,
  durationMs: 1,
});

describe('parseSbatchOutput on captured replies', () => {
  it('reads the job id of an accepted job', () => {
    const capture = loadCapture('sbatch-ok');
    expect(parseSbatchOutput(capture)).toEqual({
      kind: 'submitted',
      schedulerJobId: capture.stdout.trim(),
      cluster: null,
      warnings: null,
    });
  });

  it('keeps a warning on stderr and still counts the job as submitted', () => {
    const outcome = parseSbatchOutput(loadCapture('sbatch-warning'));
    expect(outcome).toMatchObject({
      kind: 'submitted',
      warnings: "sbatch: Warning: can't run 1 processes on 2 nodes, setting nnodes to 1",
    });
  });

  it.each([
    [
      'sbatch-bad-partition',
      1,
      'invalid partition specified: nope\nBatch job submission failed: Invalid partition name specified',
    ],
    [
      'sbatch-mem-too-large',
      1,
      'Memory specification can not be satisfied\nBatch job submission failed: Requested node configuration is not available',
    ],
    [
      'sbatch-bad-account',
      1,
      'Batch job submission failed: Invalid account or account/partition combination specified',
    ],
    ['sbatch-bad-time', 255, 'Invalid --time specification'],
  ])('reads %s as a rejection with Slurm message', (name, exitCode, message) => {
    expect(parseSbatchOutput(loadCapture(name))).toEqual({ kind: 'rejected', exitCode, message });
  });
});

describe('parseSbatchOutput edge cases', () => {
  it('reads the cluster of a federated reply', () => {
    expect(parseSbatchOutput(result('123;hut\n', '', 0))).toMatchObject({
      schedulerJobId: '123',
      cluster: 'hut',
    });
  });

  it('never takes a word of warning text as the job id', () => {
    expect(parseSbatchOutput(result('Submitted batch job 5\n', '', 0)).kind).toBe('unknown');
    expect(parseSbatchOutput(result('sbatch: Warning: x 12\n', '', 0)).kind).toBe('unknown');
    expect(parseSbatchOutput(result('', '', 0)).kind).toBe('unknown');
  });

  it('tells a controller that is not accepting jobs apart from a rejection', () => {
    const stderr = 'sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying\n';
    expect(parseSbatchOutput(result('', stderr, null, 'TERM'))).toEqual({
      kind: 'busy',
      message: 'Slurm temporarily unable to accept job, sleeping and retrying',
    });
    expect(
      parseSbatchOutput(
        result(
          '',
          `${stderr}sbatch: error: Batch job submission failed: Resource temporarily unavailable\n`,
          1,
        ),
      ).kind,
    ).toBe('busy');
  });

  it('counts a job accepted after retries as submitted, with the retry text as warning', () => {
    const stderr = 'sbatch: error: Slurm temporarily unable to accept job, sleeping and retrying\n';
    expect(parseSbatchOutput(result('77\n', stderr, 0))).toMatchObject({
      kind: 'submitted',
      schedulerJobId: '77',
    });
  });

  it('reads a controller that cannot be reached as unreachable (nothing queued), never as a rejection', () => {
    // sbatch 22.05 against a stopped slurmctld, after ~9 s of connect retries (exit 1).
    const stderr = 'sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n';
    expect(parseSbatchOutput(result('', stderr, 1))).toEqual({
      kind: 'unreachable',
      message: 'Batch job submission failed: Unable to contact slurm controller (connect failure)',
    });
  });

  it('reports a lost controller reply as unknown: the job may have been created', () => {
    const stderr = 'sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n';
    expect(parseSbatchOutput(result('', stderr, 1)).kind).toBe('unknown');
  });

  it('reports an sbatch that ended without an exit status as unknown, never as rejected', () => {
    expect(parseSbatchOutput(result('', '', null, 'KILL'))).toEqual({
      kind: 'unknown',
      message: 'sbatch ended by signal KILL',
    });
  });
});

describe('toSubmitOutcome', () => {
  it('maps outcomes onto the Backend contract: a busy controller may have queued the job, an unreachable one did not', () => {
    expect(
      toSubmitOutcome({ kind: 'submitted', schedulerJobId: '5', cluster: null, warnings: 'w' }),
    ).toEqual({ kind: 'submitted', schedulerJobId: '5', warnings: 'w' });
    expect(toSubmitOutcome({ kind: 'rejected', message: 'no', exitCode: 1 })).toEqual({
      kind: 'rejected',
      error: 'no',
    });
    expect(toSubmitOutcome({ kind: 'busy', message: 'm' })).toEqual({
      kind: 'uncertain',
      message: 'Slurm is not accepting jobs right now: m',
    });
    expect(toSubmitOutcome({ kind: 'unreachable', message: 'down' })).toMatchObject({
      kind: 'notSubmitted',
    });
  });
});
