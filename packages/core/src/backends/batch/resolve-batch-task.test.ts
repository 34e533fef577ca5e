import { describe, expect, it } from 'vitest';
import { TaskSpec, type TaskSpecInput } from '../../domain/task';
import { resolveBatchTask, type BatchTaskTarget } from './resolve-batch-task';
import { submitJobInput } from './submit-job-input';

const target: BatchTaskTarget = { cluster: 'aws', jobQueue: 'research', jobDefinition: 'jd:3' };
const task = (over: Partial<TaskSpecInput> = {}): TaskSpec =>
  TaskSpec.parse({ id: 't1', name: 'train', command: 'python train.py', ...over });
const problems = (over: Partial<TaskSpecInput>, t = target) => {
  const r = resolveBatchTask(task(over), t);
  return r.ok ? [] : r.problems;
};

describe('resolveBatchTask', () => {
  it("takes the defaults: the image's working directory, the job queue", () => {
    expect(resolveBatchTask(task(), target)).toEqual({
      ok: true,
      resolved: {
        workingDir: null,
        partition: 'research',
        account: null,
        stdoutPath: null,
        stderrPath: null,
      },
    });
    expect(
      resolveBatchTask(
        task({ working_dir: '/work', partition: 'research', time_limit: 'UNLIMITED' }),
        target,
      ),
    ).toMatchObject({ ok: true, resolved: { workingDir: '/work' } });
  });

  it.each([
    [
      { time_limit: '0:30' },
      'time_limit',
      'time_limit 0:30 is 30 s; AWS Batch needs at least 60 s',
    ],
    [
      { partition: 'gpu' },
      'partition',
      'AWS Batch has no partitions; this cluster submits to job queue research: remove partition, or set it to research',
    ],
    [
      { working_dir: '~/data' },
      'working_dir',
      "~/data: containers have no home directory; give an absolute path such as /work, or leave working_dir out for the image's own",
    ],
    [
      { working_dir: 'data' },
      'working_dir',
      'data is relative; give an absolute path inside the container',
    ],
    [{ memory: '2M' }, 'memory', 'memory 2M is below the 4 MiB AWS Batch needs'],
    [
      { command: 'x'.repeat(40_000) },
      'command',
      expect.stringMatching(
        /^the command is 40000 bytes; AWS Batch takes at most 30 KiB/,
      ) as unknown as string,
    ],
  ])('refuses %j', (over, field, message) => {
    expect(problems(over)).toEqual([{ field, message }]);
  });

  it('refuses every task of a cluster without a job definition', () => {
    expect(problems({}, { ...target, jobDefinition: null })).toEqual([
      {
        field: 'command',
        message:
          'cluster aws has no job_definition: set job_definition in its configuration to run tasks on it',
      },
    ]);
  });

  it('lists every problem at once', () => {
    expect(
      problems({ time_limit: '0:10', partition: 'gpu', working_dir: '~/x' }).map((p) => p.field),
    ).toEqual(['partition', 'working_dir', 'time_limit']);
  });
});

describe('submitJobInput', () => {
  const spec = {
    tag: 'sh-q-1-ab',
    name: 'train',
    command: 'python train.py',
    workingDir: null,
    cpus: 2,
    memory: '4G',
    timeLimit: '1:00:00',
    partition: 'research',
    account: null,
    stdoutPath: null,
    stderrPath: null,
  };
  const t = { jobQueue: 'research', jobDefinition: 'jd:3', retryAttempts: 2, user: 'ada' };

  it('sends resources as resourceRequirements, the tag as a tag and in the environment', () => {
    expect(submitJobInput(spec, t)).toEqual({
      ok: true,
      input: {
        jobName: 'sh-q-1-ab_train',
        jobQueue: 'research',
        jobDefinition: 'jd:3',
        containerOverrides: {
          command: ['bash', '-c', 'python train.py'],
          resourceRequirements: [
            { type: 'VCPU', value: '2' },
            { type: 'MEMORY', value: '4096' },
          ],
          environment: [
            { name: 'SCRIPTHUT_TAG', value: 'sh-q-1-ab' },
            { name: 'SCRIPTHUT_JOB_NAME', value: 'train' },
          ],
        },
        retryStrategy: { attempts: 2 },
        timeout: { attemptDurationSeconds: 3600 },
        tags: { 'scripthut:tag': 'sh-q-1-ab', 'scripthut:user': 'ada' },
      },
    });
  });

  it('sets no timeout for UNLIMITED and refuses less than 60 s', () => {
    const r = submitJobInput({ ...spec, timeLimit: 'UNLIMITED' }, t);
    expect(r.ok && r.input.timeout).toBeUndefined();
    expect(submitJobInput({ ...spec, timeLimit: '0:59' }, t)).toEqual({
      ok: false,
      error: 'time_limit 0:59 is 59 s; AWS Batch needs at least 60 s',
    });
  });
});
