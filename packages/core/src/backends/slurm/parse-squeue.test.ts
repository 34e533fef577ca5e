import { describe, expect, it } from 'vitest';
import { jobIdOf, loadCapture } from './load-capture';
import { parseSqueue, type SqueueJob } from './parse-squeue';

const live = parseSqueue(loadCapture('squeue-live').stdout);
const finished = parseSqueue(loadCapture('squeue-finished').stdout);
const afterCancel = parseSqueue(loadCapture('squeue-after-cancel').stdout);

function find(jobs: SqueueJob[], schedulerJobId: string): SqueueJob {
  const job = jobs.find((j) => j.schedulerJobId === schedulerJobId);
  if (job === undefined) throw new Error(`job ${schedulerJobId} not in capture`);
  return job;
}

describe('parseSqueue on the live queue', () => {
  it.each([
    ['cancel-pending', 'BeginTime'],
    ['pending-dependency', 'Dependency'],
    ['pending-partition-time-limit', 'PartitionTimeLimit'],
    ['held-cancelled', 'JobHeldUser'],
    ['other-user-held', 'JobHeldUser'],
  ])('reads %s as submitted with reason %s', (scenario, reason) => {
    expect(find(live, jobIdOf(scenario))).toMatchObject({
      rawState: 'PENDING',
      state: 'submitted',
      reason,
      startTime: null,
      nodes: null,
    });
  });

  it('reads the reasons Priority and Resources of jobs waiting for the node', () => {
    const reasons = new Set(live.filter((j) => j.state === 'submitted').map((j) => j.reason));
    expect(reasons).toContain('Priority');
    expect(reasons).toContain('Resources');
  });

  it('keeps pending array ranges collapsed as <id>_[range]', () => {
    expect(find(live, `${jobIdOf('array-pending')}_[5-9]`)).toMatchObject({
      state: 'submitted',
      reason: 'JobHeldUser',
    });
    expect(find(live, `${jobIdOf('array-one-fails')}_[1-3]`).state).toBe('submitted');
  });

  it('reads a running job of another user with every field the dashboard shows', () => {
    expect(find(live, jobIdOf('other-user'))).toEqual({
      schedulerJobId: jobIdOf('other-user'),
      name: 'sbatch',
      user: 'hutuser2',
      rawState: 'RUNNING',
      state: 'running',
      reason: null,
      partition: 'debug',
      cpus: 1,
      memory: '100M',
      nodes: 'vm',
      timeUsed: expect.stringMatching(/^\d+:\d\d$/) as string,
      timeLimit: '5:00',
      submitTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as string,
      startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as string,
      workDir: '/home/hutuser2',
      command: null,
      stdoutPath: '/dev/null',
      stderrPath: '/dev/null',
      comment: 'scripthut-fixture:other-user',
      tag: null,
      arrayJobId: null,
      arrayTasks: null,
    });
  });

  it.each([
    ['name-pipe-quotes', 'a|b "c" $(x) `y`'],
    ['name-unicode', '日本語 ünïcödé ✓'],
    ['name-newline-ctl', 'two\nlines\x1fus\x1ers'],
  ])('keeps the job name of %s exactly, and the fields after it intact', (scenario, name) => {
    expect(find(live, jobIdOf(scenario))).toMatchObject({
      name,
      user: 'hutuser',
      reason: 'JobHeldUser',
    });
  });

  it('keeps an output path with no directory as given (Slurm reports it, the job fails at launch)', () => {
    expect(find(live, jobIdOf('missing-output-dir')).stdoutPath).toBe('/nonexistent/dir/x.out');
  });

  it('reads a dependency that can never be satisfied once its parent is cancelled', () => {
    expect(find(afterCancel, jobIdOf('pending-dependency')).reason).toBe(
      'DependencyNeverSatisfied',
    );
  });
});

describe('parseSqueue on finished jobs (--states=all)', () => {
  it.each([
    ['completed', 'COMPLETED', 'finishing'],
    ['exit-3', 'FAILED', 'failed'],
    ['oom', 'OUT_OF_MEMORY', 'failed'],
    ['timeout', 'TIMEOUT', 'failed'],
    ['cancel-running', 'CANCELLED', 'failed'],
  ] as const)('maps %s (%s) to %s', (scenario, rawState, state) => {
    expect(find(finished, jobIdOf(scenario))).toMatchObject({ rawState, state });
  });

  it('lists finished array tasks one by one', () => {
    const base = jobIdOf('array-one-fails');
    expect(find(finished, `${base}_2`).rawState).toBe('FAILED');
    expect(find(finished, `${base}_1`).rawState).toBe('COMPLETED');
  });
});

describe('parseSqueue on array jobs', () => {
  const running = parseSqueue(loadCapture('squeue-array-running').stdout);
  const cancelled = parseSqueue(loadCapture('squeue-array-cancelled').stdout);
  const throttled = jobIdOf('array-throttled');
  const cancel = jobIdOf('array-cancel');

  it.each([
    ['a pending %4-throttled array', live, `${throttled}_[1-8%4]`, throttled, 8, 'submitted'],
    ['the pending rest behind the throttle', running, `${cancel}_[3-6%4]`, cancel, 4, 'submitted'],
    ['a running task', running, `${cancel}_1`, cancel, 1, 'running'],
    ['a cancelled range with a gap', cancelled, `${cancel}_[4,6%4]`, cancel, 2, 'failed'],
    ['a finished task', finished, `${throttled}_8`, throttled, 1, 'finishing'],
  ] as const)('reads %s as part of its array', (_what, jobs, id, arrayJobId, arrayTasks, state) => {
    expect(find(jobs, id)).toMatchObject({ arrayJobId, arrayTasks, state });
  });

  it('sees no array in the bare id squeue shows for an array cancelled before any task started', () => {
    expect(find(finished, jobIdOf('array-pending'))).toMatchObject({
      rawState: 'CANCELLED',
      arrayJobId: null,
      arrayTasks: null,
    });
  });

  it('keeps the time used and limit of running tasks', () => {
    expect(find(running, `${cancel}_2`)).toMatchObject({
      timeUsed: expect.stringMatching(/^0:\d\d$/) as string,
      timeLimit: '5:00',
    });
  });
});

describe('parseSqueue on bad output', () => {
  it('throws on an empty stdout instead of returning an empty queue', () => {
    expect(() => parseSqueue('')).toThrow(/separator line is missing/);
  });

  it('throws on an error message instead of returning an empty queue', () => {
    expect(() => parseSqueue('squeue: error: Unable to contact slurm controller\n')).toThrow(
      /unexpected squeue output/,
    );
  });

  it('returns no jobs for an empty queue', () => {
    expect(parseSqueue('@0123456789abcdef@\n')).toEqual([]);
  });

  it('throws when the last record was cut off', () => {
    const stdout = loadCapture('squeue-live').stdout;
    expect(() => parseSqueue(stdout.slice(0, -3))).toThrow(/incomplete/);
  });

  it('marks a ScriptHut submission by its tag', () => {
    const sep = '@0123456789abcdef@';
    const fields = [
      '9',
      'u',
      'PENDING',
      'None',
      'debug',
      '1',
      '1G',
      '',
      '0:00',
      '1:00:00',
      'N/A',
      'N/A',
      '/h',
      '/o',
      '/e',
      '(null)',
      'scripthut:q1-t2',
      'n',
    ];
    const [job] = parseSqueue(`${sep}\n${fields.map((f) => f + sep).join('')}\n`);
    expect(job).toMatchObject({
      tag: 'q1-t2',
      comment: 'scripthut:q1-t2',
      submitTime: null,
      reason: null,
    });
  });
});
