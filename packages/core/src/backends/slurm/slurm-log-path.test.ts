import { describe, expect, it } from 'vitest';
import { fakeJobFor } from '../../service/testing-jobs';
import { slurmLogPath } from './slurm-log-path';

const jobLogPath = (job: ReturnType<typeof fakeJobFor>, kind: 'output' | 'error') =>
  slurmLogPath({ ...job, submittedByScripthut: false, finished: () => false }, kind);

describe('slurmLogPath', () => {
  it('resolves the output pattern Slurm reported', () => {
    expect(jobLogPath(fakeJobFor({ schedulerJobId: '77', stdoutPath: '/home/a/slurm-%j.out' }), 'output')).toEqual({
      ok: true,
      path: '/home/a/slurm-77.out',
    });
  });

  it('reads stderr from the output file when the job has no separate error file', () => {
    const job = fakeJobFor({ schedulerJobId: '77', stdoutPath: '/home/a/%x.log', stderrPath: null, name: 'train' });
    expect(jobLogPath(job, 'error')).toEqual({ ok: true, path: '/home/a/train.log' });
  });

  it('says why there is no log when the scheduler reported no file', () => {
    const result = jobLogPath(fakeJobFor({ stdoutPath: null }), 'output');
    expect(result.ok).toBe(false);
  });
});
