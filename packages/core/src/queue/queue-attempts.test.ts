import { describe, expect, it } from 'vitest';
import type { RetryState } from '../domain/retry';
import { planRetry, type RetryCandidate } from './queue-attempts';

/** `a:completed`, `b:out_of_memory<a`: how each task's counted attempt ended, and what it depends on. */
const family = (...specs: string[]): RetryCandidate[] =>
  specs.map((s) => {
    const [head, deps = ''] = s.split('<');
    const [taskId, ended] = head!.split(':') as [string, string];
    return {
      taskId,
      retryState: ended === 'completed' ? null : (ended as RetryState),
      completed: ended === 'completed',
      dependsOn: deps === '' ? [] : deps.split(','),
    };
  });

describe('planRetry', () => {
  it.each<{
    case: string;
    tasks: string[];
    states: RetryState[] | 'all';
    run: string[];
    chosen: string[];
    edges?: Record<string, string[]>;
  }>([
    {
      case: 'retries only the states asked for',
      tasks: ['a:failed', 'b:out_of_memory', 'c:timed_out', 'd:completed'],
      states: ['out_of_memory', 'timed_out'],
      run: ['b', 'c'],
      chosen: ['b', 'c'],
    },
    {
      case: 'retries nothing when no task ended so',
      tasks: ['a:completed', 'b:failed'],
      states: ['lost'],
      run: [],
      chosen: [],
    },
    {
      case: 'brings the dependents of a retried task along, transitively',
      tasks: ['a:out_of_memory', 'b:skipped<a', 'c:skipped<b', 'x:completed'],
      states: ['out_of_memory'],
      run: ['a', 'b', 'c'],
      chosen: ['a'],
      edges: { a: [], b: ['a'], c: ['b'] },
    },
    {
      case: 'brings the dependencies of a retried task that did not complete; completed ones stay done',
      tasks: ['a:failed', 'p:completed', 's:skipped<a,p'],
      states: ['skipped'],
      run: ['a', 's'],
      chosen: ['s'],
      edges: { a: [], s: ['a'] },
    },
    {
      case: 'reruns the other branch of a diamond only when it depends on a retried task',
      tasks: ['a:completed', 'b:completed<a', 'c:failed<a', 'd:skipped<b,c'],
      states: ['failed'],
      run: ['c', 'd'],
      chosen: ['c'],
      edges: { c: [], d: ['c'] },
    },
    {
      case: 'reruns everything for "rerun all"',
      tasks: ['a:completed', 'b:completed<a'],
      states: 'all',
      run: ['a', 'b'],
      chosen: ['a', 'b'],
      edges: { a: [], b: ['a'] },
    },
  ])('$case', ({ tasks, states, run, chosen, edges }) => {
    const plan = planRetry(family(...tasks), states === 'all' ? 'all' : new Set(states));
    expect(plan.taskIds).toEqual(run);
    expect([...plan.chosen].sort()).toEqual(chosen);
    if (edges) expect(Object.fromEntries(plan.dependsOn)).toEqual(edges);
  });
});
