import type { TaskState } from '../history/types';
import { TERMINAL_TASK_STATES } from './queue-status';

/** What the dependency planner needs to know about one task of a queue. */
export interface DependencyNode {
  taskId: string;
  state: TaskState;
  /** Ids of tasks of the same queue that must complete first. */
  dependsOn: readonly string[];
}

/** A pending task that can never run: `dependency` ended without completing (reached through the skipped `via`, if any). */
export interface PlannedSkip {
  taskId: string;
  dependency: string;
  /** The skipped dependency of this task through which `dependency` was reached; null when it is a direct one. */
  via: string | null;
}

export interface DependencyPlan {
  /** Pending tasks whose dependencies have all completed, in the order given: the only ones that may be submitted. */
  ready: string[];
  /** Pending tasks to mark skipped now, dependents of dependents included. */
  skip: PlannedSkip[];
}

const endedBadly = (state: TaskState | undefined): boolean =>
  state !== undefined && state !== 'completed' && TERMINAL_TASK_STATES.has(state);

/**
 * Decides, for the pending tasks of one queue, which may be submitted (every
 * dependency completed) and which can never run (a dependency, directly or
 * through skipped tasks, ended failed, lost, cancelled or skipped). Others
 * wait. Pure; O(tasks + dependencies): tasks are visited in dependency
 * order, so a whole chain below a failure is skipped in one call. A
 * dependency that is not a task of the queue counts as ended badly (it can
 * never complete); tasks on a cycle (refused when a source is read) are
 * never visited and stay pending.
 *
 * The skip names the task that really failed: a direct dependency that
 * ended badly, else the root failure behind the first skipped dependency.
 */
export function planDependencies(tasks: readonly DependencyNode[]): DependencyPlan {
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const state = new Map<string, TaskState>(tasks.map((t) => [t.taskId, t.state]));
  /** For every skipped task (stored or planned now): the failed task behind it. */
  const rootOf = new Map<string, string>();
  const skip: PlannedSkip[] = [];
  const ready = new Set<string>();

  for (const t of dependencyOrder(tasks, byId)) {
    const direct = t.dependsOn.find(
      (d) => !byId.has(d) || (endedBadly(state.get(d)) && state.get(d) !== 'skipped'),
    );
    const skippedDep =
      direct === undefined ? t.dependsOn.find((d) => state.get(d) === 'skipped') : undefined;
    if (t.state === 'skipped') {
      const root = direct ?? (skippedDep === undefined ? undefined : rootOf.get(skippedDep));
      if (root !== undefined) rootOf.set(t.taskId, root);
      continue;
    }
    if (t.state !== 'pending') continue;
    if (direct !== undefined) {
      skip.push({ taskId: t.taskId, dependency: direct, via: null });
      rootOf.set(t.taskId, direct);
      state.set(t.taskId, 'skipped');
    } else if (skippedDep !== undefined) {
      const root = rootOf.get(skippedDep);
      skip.push({
        taskId: t.taskId,
        dependency: root ?? skippedDep,
        via: root === undefined ? null : skippedDep,
      });
      rootOf.set(t.taskId, root ?? skippedDep);
      state.set(t.taskId, 'skipped');
    } else if (t.dependsOn.every((d) => state.get(d) === 'completed')) {
      ready.add(t.taskId);
    }
  }
  return { ready: tasks.filter((t) => ready.has(t.taskId)).map((t) => t.taskId), skip };
}

/** Tasks with every dependency before them (Kahn's algorithm); tasks on a cycle are left out. */
function dependencyOrder(
  tasks: readonly DependencyNode[],
  byId: ReadonlyMap<string, DependencyNode>,
): DependencyNode[] {
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    const known = t.dependsOn.filter((d) => byId.has(d));
    waitingOn.set(t.taskId, known.length);
    for (const d of known) {
      const list = dependents.get(d);
      if (list) list.push(t.taskId);
      else dependents.set(d, [t.taskId]);
    }
  }
  const order = tasks.filter((t) => waitingOn.get(t.taskId) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const next of dependents.get(order[i]!.taskId) ?? []) {
      const left = waitingOn.get(next)! - 1;
      waitingOn.set(next, left);
      if (left === 0) order.push(byId.get(next)!);
    }
  }
  return order;
}

/**
 * Level of every task in its queue's dependency graph: 0 without
 * dependencies, else one more than its deepest dependency. Tasks on a cycle
 * (never accepted) get no level.
 */
export function dependencyLevels(
  tasks: readonly Pick<DependencyNode, 'taskId' | 'dependsOn'>[],
): Map<string, number> {
  const nodes = tasks.map((t) => ({ ...t, state: 'pending' as const }));
  const byId = new Map(nodes.map((t) => [t.taskId, t]));
  const levels = new Map<string, number>();
  for (const t of dependencyOrder(nodes, byId)) {
    levels.set(t.taskId, Math.max(-1, ...t.dependsOn.map((d) => levels.get(d) ?? -1)) + 1);
  }
  return levels;
}

/** The stored reason of a skipped task: "dependency prep failed (exit 3)", "…, via align". */
export function skipReason(dependency: string, ended: string, via: string | null): string {
  return `dependency ${dependency} ${ended}${via === null ? '' : `, via ${via}`}`;
}
