import { describe, expect, it } from 'vitest';
import { TaskSpec, type TaskSpecInput } from '../../domain/task';
import { PARTITION_REFUSAL, resolveEcsTask, type EcsTaskRules } from './resolve-ecs-task';

const FARGATE: EcsTaskRules = { cluster: 'jobs', taskDefinition: 'worker', fargate: true };
const EC2: EcsTaskRules = { cluster: 'jobs', taskDefinition: 'worker', fargate: false };
const t = (over: Partial<TaskSpecInput> = {}): TaskSpec =>
  TaskSpec.parse({ id: 't1', name: 'T 1', command: 'echo hi', ...over });

describe('resolveEcsTask', () => {
  it("runs a default task in the image's working directory, with no log files", () => {
    expect(resolveEcsTask(t(), FARGATE)).toEqual({
      ok: true,
      resolved: {
        workingDir: null,
        partition: null,
        account: null,
        stdoutPath: null,
        stderrPath: null,
      },
    });
  });

  it('takes an absolute working directory', () => {
    expect(resolveEcsTask(t({ working_dir: '/work/a b' }), EC2)).toMatchObject({
      ok: true,
      resolved: { workingDir: '/work/a b' },
    });
  });

  it.each([
    ['a partition', { partition: 'gpu' }, 'partition', PARTITION_REFUSAL],
    [
      'a home-relative working_dir',
      { working_dir: '~/data' },
      'working_dir',
      "containers have no home directory: give an absolute path instead of ~/data, or leave working_dir out for the image's working directory",
    ],
    [
      'a relative working_dir',
      { working_dir: 'data' },
      'working_dir',
      'give an absolute path (such as /work) instead of data: a container has no directory to resolve a relative one against',
    ],
    [
      '3 vCPUs on Fargate',
      { cpus: 3 },
      'cpus',
      'Fargate runs tasks with 1, 2, 4, 8 or 16 vCPUs, not 3',
    ],
    [
      'too much memory for 1 vCPU on Fargate',
      { memory: '16G' },
      'memory',
      'Fargate gives a 1 vCPU task at most 8 GB of memory, not 16384 MiB; ask for more cpus or less memory',
    ],
  ] as const)('refuses %s', (_what, over, field, message) => {
    expect(resolveEcsTask(t(over), FARGATE)).toEqual({ ok: false, problems: [{ field, message }] });
  });

  it('leaves sizing to ECS on EC2 (container instances of any size)', () => {
    expect(resolveEcsTask(t({ cpus: 3, memory: '16G' }), EC2).ok).toBe(true);
  });

  it('refuses every task on a cluster without task_definition, saying how to fix it', () => {
    const r = resolveEcsTask(t(), { ...EC2, taskDefinition: null });
    expect(r).toEqual({
      ok: false,
      problems: [
        {
          field: 'command',
          message:
            'ECS cluster jobs has no task_definition in its config, so it is monitored only and cannot run tasks: add task_definition',
        },
      ],
    });
  });

  it('reports every refused field at once', () => {
    const r = resolveEcsTask(t({ partition: 'gpu', working_dir: '~/x' }), FARGATE);
    expect(r.ok === false && r.problems.map((p) => p.field)).toEqual(['partition', 'working_dir']);
  });
});
