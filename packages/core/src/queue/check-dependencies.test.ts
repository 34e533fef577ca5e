import { describe, expect, it } from 'vitest';
import { CoreError } from '../runtime/errors';
import { parseTaskSourceOutput } from './parse-task-source';
import type { TaskIssue } from './parse-task-source';

const task = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Task ${id}`,
  command: `echo ${id}`,
  ...extra,
});
const parse = (tasks: unknown[]) => parseTaskSourceOutput(JSON.stringify(tasks), 'exp');

function refusal(tasks: unknown[]): { message: string; issues: TaskIssue[] } {
  try {
    parse(tasks);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'TASK_SOURCE_INVALID')
      return { message: e.message, issues: e.details?.issues as TaskIssue[] };
    throw e;
  }
  throw new Error('expected the source to be refused');
}

describe('task dependencies in a task source', () => {
  it.each([
    { case: 'depends_on', tasks: [task('a'), task('b', { depends_on: ['a'] })] },
    { case: "the original's deps spelling", tasks: [task('a'), task('b', { deps: ['a'] })] },
  ])('are read from $case', ({ tasks }) => {
    expect(parse(tasks).map((t) => [t.id, t.depends_on])).toEqual([
      ['a', []],
      ['b', ['a']],
    ]);
  });

  it('accept a dependency listed after its dependent, and a diamond', () => {
    const tasks = [
      task('d', { depends_on: ['b', 'c'] }),
      task('b', { depends_on: ['a'] }),
      task('c', { depends_on: ['a'] }),
      task('a'),
    ];
    expect(parse(tasks).map((t) => t.depends_on)).toEqual([['b', 'c'], ['a'], ['a'], []]);
  });

  it.each<{ case: string; tasks: unknown[]; issues: Partial<TaskIssue>[]; message: RegExp }>([
    {
      case: 'a task that depends on itself',
      tasks: [task('a', { depends_on: ['a'] })],
      issues: [{ index: 0, taskId: 'a', field: 'depends_on' }],
      message: /tasks\[0\] \(id "a"\) field "depends_on" names the task itself \("a"\)/,
    },
    {
      case: 'an unknown id, with a suggestion',
      tasks: [task('prepare'), task('fit', { depends_on: ['prepair'] })],
      issues: [{ index: 1, taskId: 'fit', field: 'depends_on' }],
      message:
        /tasks\[1\] \(id "fit"\) field "depends_on" names "prepair", which is not a task of this source \(did you mean "prepare"\?\)/,
    },
    {
      case: 'an unknown id given as deps, named with the field as written',
      tasks: [task('a', { deps: ['zzz'] })],
      issues: [{ index: 0, taskId: 'a', field: 'deps' }],
      message:
        /tasks\[0\] \(id "a"\) field "deps" names "zzz", which is not a task of this source$/,
    },
    {
      case: 'a cycle of three, reported once on its first task',
      tasks: [
        task('x'),
        task('a', { depends_on: ['c'] }),
        task('b', { depends_on: ['a'] }),
        task('c', { depends_on: ['b'] }),
      ],
      issues: [{ index: 1, taskId: 'a', field: 'depends_on' }],
      message: /tasks\[1\] \(id "a"\) field "depends_on" is part of a cycle: "a" → "c" → "b" → "a"/,
    },
    {
      case: 'two tasks waiting for each other',
      tasks: [task('a', { deps: ['b'] }), task('b', { deps: ['a'] })],
      issues: [{ index: 0, taskId: 'a', field: 'deps' }],
      message: /tasks\[0\] \(id "a"\) field "deps" is part of a cycle: "a" → "b" → "a"/,
    },
    {
      case: 'both spellings at once',
      tasks: [task('a'), task('b', { deps: ['a'], depends_on: ['a'] })],
      issues: [{ index: 1, taskId: 'b', field: 'deps' }],
      message: /tasks\[1\] \(id "b"\) field "deps" and "depends_on" are the same field/,
    },
    {
      case: 'a pattern instead of ids',
      tasks: [task('build.x'), task('merge', { deps: ['build.*'] })],
      issues: [{ index: 1, taskId: 'merge', field: 'deps.0' }],
      message:
        /field "deps.0" cannot hold a pattern \(got "build\.\*" \(string\)\); list the task ids/,
    },
    {
      case: 'an id listed twice',
      tasks: [task('a'), task('b', { depends_on: ['a', 'a'] })],
      issues: [{ index: 1, taskId: 'b', field: 'depends_on' }],
      message: /field "depends_on" each id at most once/,
    },
    {
      case: 'not a list',
      tasks: [task('a'), task('b', { depends_on: 'a' })],
      issues: [{ index: 1, taskId: 'b', field: 'depends_on' }],
      message: /field "depends_on" expected array, got "a" \(string\)/,
    },
  ])(
    'refuse $case, naming the task, the field and the id, before anything runs',
    ({ tasks, issues, message }) => {
      const e = refusal(tasks);
      expect(e.message).toMatch(message);
      expect(e.issues).toEqual(issues.map((i) => expect.objectContaining(i) as unknown));
    },
  );

  it('report every self-dependency, unknown id and cycle of a source in one error', () => {
    const e = refusal([
      task('a', { depends_on: ['a', 'nope'] }),
      task('b', { depends_on: ['c'] }),
      task('c', { depends_on: ['b'] }),
    ]);
    expect(e.issues.map((i) => [i.taskId, i.message.split(' ')[0]])).toEqual([
      ['a', 'names'],
      ['a', 'names'],
      ['b', 'is'],
    ]);
  });

  it('check a long chain without exhausting the stack', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) =>
      task(`t${i}`, i === 0 ? {} : { depends_on: [`t${i - 1}`] }),
    );
    expect(parse(tasks)).toHaveLength(20_000);
    tasks[0] = task('t0', { depends_on: ['t19999'] });
    expect(refusal(tasks).message).toMatch(
      /is part of a cycle: "t0" → "t19999" → "t19998" → .* → "…" → "t0"/,
    );
  });
});
