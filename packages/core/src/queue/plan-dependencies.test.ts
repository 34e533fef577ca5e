import { describe, expect, it } from 'vitest';
import type { TaskState } from '../history/types';
import {
  dependencyLevels,
  planDependencies,
  skipReason,
  type DependencyNode,
} from './plan-dependencies';

/** `a:completed` or `c:pending<a,b` (c waits for a and b). */
const graph = (...specs: string[]): DependencyNode[] =>
  specs.map((s) => {
    const [head, deps = ''] = s.split('<');
    const [taskId, state] = head!.split(':') as [string, TaskState];
    return { taskId, state, dependsOn: deps === '' ? [] : deps.split(',') };
  });

describe('planDependencies', () => {
  it.each<{
    case: string;
    tasks: string[];
    ready: string[];
    skip?: [string, string, string | null][];
  }>([
    {
      case: 'submits tasks without dependencies',
      tasks: ['a:pending', 'b:pending'],
      ready: ['a', 'b'],
    },
    {
      case: 'holds a task until its dependency completed',
      tasks: ['a:running', 'b:pending<a'],
      ready: [],
    },
    {
      case: 'does not count a finishing dependency as completed (accounting has not confirmed it)',
      tasks: ['a:finishing', 'b:pending<a'],
      ready: [],
    },
    {
      case: 'submits a task once every dependency completed',
      tasks: ['a:completed', 'b:completed', 'c:pending<a,b'],
      ready: ['c'],
    },
    {
      case: 'holds a task while one of its dependencies still runs',
      tasks: ['a:completed', 'b:submitted', 'c:pending<a,b'],
      ready: [],
    },
    {
      case: 'lets independent work go on beside a failure',
      tasks: ['a:failed', 'b:pending<a', 'x:pending', 'y:completed', 'z:pending<y'],
      ready: ['x', 'z'],
      skip: [['b', 'a', null]],
    },
    {
      case: 'skips a whole chain below a failure in one pass, naming the failed task and the skipped one it comes through',
      tasks: ['d:pending<c', 'c:pending<b', 'b:pending<a', 'a:unknown'],
      ready: [],
      skip: [
        ['b', 'a', null],
        ['c', 'a', 'b'],
        ['d', 'a', 'c'],
      ],
    },
    {
      case: 'skips the bottom of a diamond when one branch failed, the other completed',
      tasks: ['a:completed', 'b:completed<a', 'c:failed<a', 'd:pending<b,c'],
      ready: [],
      skip: [['d', 'c', null]],
    },
    {
      case: 'names a direct failure before one reached through a skipped dependency',
      tasks: ['a:failed', 's:skipped<a', 'b:cancelled', 'c:pending<s,b'],
      ready: [],
      skip: [['c', 'b', null]],
    },
    {
      case: 'finds the failure behind a dependency skipped in an earlier pass',
      tasks: ['a:failed', 'b:skipped<a', 'c:pending<b'],
      ready: [],
      skip: [['c', 'a', 'b']],
    },
    {
      case: 'skips a task whose dependency is no task of the queue',
      tasks: ['b:pending<gone'],
      ready: [],
      skip: [['b', 'gone', null]],
    },
    {
      case: 'leaves tasks on a cycle pending (sources with one are refused)',
      tasks: ['a:pending<b', 'b:pending<a', 'c:pending'],
      ready: ['c'],
    },
    {
      case: 'plans nothing for tasks that are not pending',
      tasks: ['a:completed', 'b:failed<a', 'c:running<a'],
      ready: [],
    },
  ])('$case', ({ tasks, ready, skip = [] }) => {
    const plan = planDependencies(graph(...tasks));
    expect(plan.ready).toEqual(ready);
    expect(plan.skip.map((s) => [s.taskId, s.dependency, s.via])).toEqual(skip);
  });

  it('keeps the queue order for ready tasks, whatever the dependency order', () => {
    expect(
      planDependencies(graph('z:pending<a', 'a:completed', 'm:pending', 'b:pending<a')).ready,
    ).toEqual(['z', 'm', 'b']);
  });

  it('plans a 20,000-task chain in linear time', () => {
    const tasks = Array.from({ length: 20_000 }, (_, i): DependencyNode => ({
      taskId: `t${i}`,
      state: i === 0 ? 'failed' : 'pending',
      dependsOn: i === 0 ? [] : [`t${i - 1}`],
    }));
    const started = performance.now();
    const plan = planDependencies(tasks);
    expect(plan.skip).toHaveLength(19_999);
    expect(plan.skip.at(-1)).toEqual({ taskId: 't19999', dependency: 't0', via: 't19998' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('dependencyLevels', () => {
  it('puts tasks without dependencies at level 0 and others one below their deepest dependency', () => {
    const levels = dependencyLevels(
      graph('d:pending<b,c', 'b:pending<a', 'c:pending<a,b', 'a:pending', 'x:pending'),
    );
    expect(Object.fromEntries(levels)).toEqual({ a: 0, x: 0, b: 1, c: 2, d: 3 });
  });
});

describe('skipReason', () => {
  it('says which dependency ended how, and through which skipped task', () => {
    expect(skipReason('prep', 'failed (exit 3)', null)).toBe('dependency prep failed (exit 3)');
    expect(skipReason('prep', 'ran out of memory', 'align')).toBe(
      'dependency prep ran out of memory, via align',
    );
  });
});
