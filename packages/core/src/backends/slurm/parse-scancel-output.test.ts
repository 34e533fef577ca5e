import { describe, expect, it } from 'vitest';
import { capturedJobIds, loadCapture } from './load-capture';
import { parseScancelOutput } from './parse-scancel-output';

describe('parseScancelOutput', () => {
  it('tells which ids of one scancel were cancelled and why the others were not', () => {
    const ids = capturedJobIds();
    const asked = [
      ids['pending-partition-time-limit'] ?? '',
      ids['other-user-held'] ?? '',
      '67000000',
      `${ids['array-pending'] ?? ''}_[5-9]`,
      `${ids['array-pending'] ?? ''}_99`,
      ids['completed'] ?? '',
    ];
    expect(parseScancelOutput(asked, loadCapture('scancel-mixed'))).toEqual([
      { schedulerJobId: asked[0], ok: true, message: null },
      { schedulerJobId: asked[1], ok: false, message: 'Access/permission denied' },
      { schedulerJobId: '67000000', ok: false, message: 'Invalid job id specified' },
      { schedulerJobId: asked[3], ok: true, message: null },
      { schedulerJobId: asked[4], ok: false, message: 'Invalid job id specified' },
      { schedulerJobId: asked[5], ok: false, message: 'Job/step already completing or completed' },
    ]);
  });

  it('matches an id with a %N throttle to the id scancel echoes', () => {
    const stderr =
      'scancel: Terminating job 5_[1-3]\nscancel: error: Kill job error on job id 5_[1-3]: Invalid job id specified\n';
    expect(
      parseScancelOutput(['5_[1-3%2]'], {
        stdout: '',
        stderr,
        exitCode: 1,
        signal: null,
        durationMs: 1,
      })[0]?.ok,
    ).toBe(false);
  });

  it('fails every id when scancel failed without naming any', () => {
    const outcome = parseScancelOutput(['1', '2'], {
      stdout: '',
      stderr: 'sh: scancel: not found\n',
      exitCode: 127,
      signal: null,
      durationMs: 1,
    });
    expect(outcome).toEqual([
      { schedulerJobId: '1', ok: false, message: 'sh: scancel: not found' },
      { schedulerJobId: '2', ok: false, message: 'sh: scancel: not found' },
    ]);
  });
});
