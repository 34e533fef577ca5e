import { describe, expect, it } from 'vitest';
import { arrayTaskOutput } from './array-task-output';
import { jobIdOf, loadCapture } from './load-capture';
import { parseSqueue } from './parse-squeue';
import { slurmLogPath } from './slurm-log-path';
import type { SqueueJob } from './parse-squeue';

const base = jobIdOf('array-logs');
const tasks = parseSqueue(loadCapture('squeue-array-logs').stdout).filter(
  (j) => j.arrayJobId === base,
);
/** `slurm-5_2.out: task 2` lines: each file the array's tasks wrote, with its content. */
const written = new Map(
  loadCapture('files-array-logs')
    .stdout.trim()
    .split('\n')
    .map((line) => line.split(': ') as [string, string]),
);
const logOf = (job: SqueueJob, kind: 'output' | 'error') =>
  slurmLogPath(
    {
      schedulerJobId: job.schedulerJobId,
      name: job.name,
      user: job.user,
      nodes: job.nodes,
      submittedByScripthut: false,
      stdoutPath: job.stdoutPath,
      stderrPath: job.stderrPath,
      finished: () => true,
    },
    kind,
  );

describe('the log file of a Slurm array task given no --output', () => {
  it('is the file the task wrote, not the one squeue names', () => {
    expect(tasks.map((t) => t.schedulerJobId).sort()).toEqual([1, 2, 3].map((i) => `${base}_${i}`));
    for (const task of tasks) {
      const index = task.schedulerJobId.split('_')[1];
      const file = `slurm-${base}_${index}.out`;
      expect(written.get(file)).toBe(`task ${index}`);
      expect(logOf(task, 'output')).toEqual({ ok: true, path: `/home/hutuser/${file}` });
      expect(logOf(task, 'error')).toEqual({ ok: true, path: `/home/hutuser/${file}` });
    }
  });

  it('agrees with what scontrol says the task writes to', () => {
    const scontrol = loadCapture('scontrol-array-task').stdout;
    expect(scontrol).toContain(`StdOut=/home/hutuser/slurm-${base}_2.out`);
    expect(scontrol).toContain(`ArrayJobId=${base} ArrayTaskId=2`);
  });
});

describe('arrayTaskOutput', () => {
  it.each([
    [
      'an explicit pattern, which squeue prints unfilled',
      '/w/out-%A_%a.log',
      '5_2',
      '/w',
      '/w/out-%A_%a.log',
    ],
    ['a plain job’s default', '/w/slurm-9.out', '9', '/w', '/w/slurm-9.out'],
    ['a pending range (no file yet)', '/w/slurm-5.out', '5_[3-9]', '/w', '/w/slurm-5.out'],
    [
      'a default in another directory than the work dir',
      '/x/slurm-7.out',
      '5_2',
      '/w',
      '/x/slurm-7.out',
    ],
    ['an array task’s default', '/w/slurm-7.out', '5_2', '/w/', '/w/slurm-%A_%a.out'],
  ])('keeps or corrects %s', (_what, path, id, workDir, expected) => {
    expect(arrayTaskOutput(path, id, workDir)).toBe(expected);
  });

  it('keeps an unknown path unknown', () => {
    expect(arrayTaskOutput(null, '5_2', '/w')).toBeNull();
  });
});
