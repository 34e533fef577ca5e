import { closestMatch } from '../config/closest-match';
import type { TaskIssue } from './parse-task-source';

export interface DependencyDeclaration {
  id: string;
  dependsOn: readonly string[];
  /** The field as the source spelled it (`depends_on`, or the original's `deps`), for messages. */
  field: string;
}

/** Above this many tasks an unknown id gets no "did you mean" (a typo search over every id would cost too much). */
const SUGGEST_UP_TO_TASKS = 2_000;
/** Tasks named in one cycle's message; a longer cycle is shortened with "…". */
const CYCLE_SHOWN = 8;

/**
 * Every problem with the dependencies of a task list (ids already unique):
 * an id that names the task itself, an id that is no task of the list, and
 * each cycle (reported once, on its first task in list order). Pure; O(tasks
 * + dependencies), iterative so a long chain cannot overflow the stack.
 */
export function dependencyIssues(tasks: readonly DependencyDeclaration[]): TaskIssue[] {
  const indexOf = new Map(tasks.map((t, i) => [t.id, i]));
  const ids = tasks.length <= SUGGEST_UP_TO_TASKS ? tasks.map((t) => t.id) : [];
  const issues: TaskIssue[] = [];
  tasks.forEach((t, index) => {
    for (const dep of t.dependsOn) {
      if (dep === t.id) {
        issues.push({
          index,
          taskId: t.id,
          field: t.field,
          message: `names the task itself ("${dep}"); a task cannot wait for itself`,
        });
      } else if (!indexOf.has(dep)) {
        const guess = closestMatch(dep, ids);
        issues.push({
          index,
          taskId: t.id,
          field: t.field,
          message: `names "${dep}", which is not a task of this source${guess ? ` (did you mean "${guess}"?)` : ''}`,
        });
      }
    }
  });
  for (const cycle of findCycles(tasks, indexOf)) {
    const first = Math.min(...cycle);
    const start = cycle.indexOf(first);
    const ordered = [...cycle.slice(start), ...cycle.slice(0, start)].map((i) => tasks[i]!.id);
    const shown = ordered.length > CYCLE_SHOWN ? [...ordered.slice(0, CYCLE_SHOWN), '…'] : ordered;
    const t = tasks[first]!;
    issues.push({
      index: first,
      taskId: t.id,
      field: t.field,
      message: `is part of a cycle: ${[...shown, ordered[0]].map((id) => `"${id}"`).join(' → ')}; no task of it could ever start`,
    });
  }
  return issues.sort((a, b) => a.index - b.index);
}

/** Cycles as lists of task indexes, in dependency order (each waits for the next). Self-dependencies are not cycles here. */
function findCycles(
  tasks: readonly DependencyDeclaration[],
  indexOf: ReadonlyMap<string, number>,
): number[][] {
  const edges = tasks.map((t) =>
    t.dependsOn.flatMap((d) => {
      const j = indexOf.get(d);
      return j === undefined || d === t.id ? [] : [j];
    }),
  );
  // 0: not visited, 1: on the current path, 2: done.
  const color = new Uint8Array(tasks.length);
  const cycles: number[][] = [];
  for (let root = 0; root < tasks.length; root++) {
    if (color[root] !== 0) continue;
    const path: number[] = [root];
    const next: number[] = [0];
    color[root] = 1;
    while (path.length > 0) {
      const node = path.at(-1)!;
      const i = next.at(-1)!;
      const out = edges[node]!;
      if (i >= out.length) {
        color[node] = 2;
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const to = out[i]!;
      if (color[to] === 1) cycles.push(path.slice(path.indexOf(to)));
      else if (color[to] === 0) {
        color[to] = 1;
        path.push(to);
        next.push(0);
      }
    }
  }
  return cycles;
}
