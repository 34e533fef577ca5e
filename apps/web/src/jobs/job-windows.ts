import type { Job, JobState } from '@scripthut/core/domain';
import { sortTasks, type TableRow } from './table-rows';

/** Top-level rows fetched per request; the grid asks for the windows its visible rows fall in. */
export const WINDOW_ROWS = 200;

/** Windows (0-based) holding top-level rows `first..last` of a list of `total` rows. */
export function windowsFor(
  first: number,
  last: number,
  total: number,
  size = WINDOW_ROWS,
): number[] {
  if (total <= 0) return [0];
  const lo = Math.max(0, Math.min(first, total - 1));
  const hi = Math.max(lo, Math.min(last, total - 1));
  const out: number[] = [];
  for (let w = Math.floor(lo / size); w <= Math.floor(hi / size); w++) out.push(w);
  return out;
}

/** A line of the grid: a loaded row, or a placeholder for a top-level row whose window is not loaded yet. */
export type GridLine = { kind: 'row'; row: TableRow } | { kind: 'loading'; topIndex: number };

/** The grid as the virtual list sees it: every line by index, without building them all. */
export interface GridModel {
  /** Lines: the list's total plus the shown tasks of expanded arrays. */
  count: number;
  at(index: number): GridLine | undefined;
  /** The top-level row a line belongs to (a task's array row), to know which window it needs. */
  topIndexAt(index: number): number;
  /** The line of a loaded job; undefined when its window is not loaded. */
  indexOf(jobId: string): number | undefined;
}

interface Expansion {
  topIndex: number;
  array: Job;
  tasks: readonly Job[];
}

/**
 * The lines of a server-paged list: `total` top-level rows, of which the
 * windows in `windows` are loaded, each expanded array followed by its
 * loaded tasks (only those in `states` when it is not empty). Lines of
 * windows not loaded are `loading` placeholders, so the scroll height is the
 * server's total from the start.
 */
export function gridModel(
  total: number,
  windows: ReadonlyMap<number, readonly Job[]>,
  expanded: ReadonlySet<string>,
  tasksOf: (arrayId: string) => readonly Job[] | undefined,
  states: readonly JobState[] = [],
  size = WINDOW_ROWS,
): GridModel {
  const wanted = states.length > 0 ? new Set(states) : null;
  const expansions: Expansion[] = [];
  for (const [w, jobs] of [...windows].sort(([x], [y]) => x - y)) {
    jobs.forEach((job, k) => {
      if (job.arrayCounts === null || !expanded.has(job.id)) return;
      const tasks = sortTasks(tasksOf(job.id) ?? []).filter(
        (t) => wanted === null || wanted.has(t.state),
      );
      expansions.push({ topIndex: w * size + k, array: job, tasks });
    });
  }
  const count = total + expansions.reduce((sum, e) => sum + e.tasks.length, 0);

  /** Top-level index of line `index`, or the expansion and task position it falls in. */
  const locate = (index: number): { top: number; task?: { e: Expansion; k: number } } => {
    let offset = 0;
    for (const e of expansions) {
      const arrayLine = e.topIndex + offset;
      if (index <= arrayLine) break;
      if (index <= arrayLine + e.tasks.length)
        return { top: e.topIndex, task: { e, k: index - arrayLine - 1 } };
      offset += e.tasks.length;
    }
    return { top: index - offset };
  };
  const topRow = (top: number): Job | undefined =>
    windows.get(Math.floor(top / size))?.[top % size];

  let ids: Map<string, number> | null = null;
  return {
    count,
    topIndexAt: (index) => locate(index).top,
    at(index) {
      if (index < 0 || index >= count) return undefined;
      const { top, task } = locate(index);
      if (task) {
        const job = task.e.tasks[task.k];
        return (
          job && { kind: 'row', row: { job, depth: 1, expanded: null, parentId: task.e.array.id } }
        );
      }
      const job = topRow(top);
      if (job === undefined) return { kind: 'loading', topIndex: top };
      const isArray = job.arrayCounts !== null;
      return {
        kind: 'row',
        row: { job, depth: 0, expanded: isArray ? expanded.has(job.id) : null, parentId: null },
      };
    },
    indexOf(jobId) {
      ids ??= lineIds(windows, expansions, size);
      return ids.get(jobId);
    },
  };
}

/** The line of every loaded job: its top-level index shifted by the tasks shown above it. */
function lineIds(
  windows: ReadonlyMap<number, readonly Job[]>,
  expansions: readonly Expansion[],
  size: number,
): Map<string, number> {
  const tasksAbove = (top: number): number =>
    expansions.reduce((sum, e) => (e.topIndex < top ? sum + e.tasks.length : sum), 0);
  const ids = new Map<string, number>();
  for (const [w, jobs] of windows) {
    jobs.forEach((job, k) => {
      const top = w * size + k;
      ids.set(job.id, top + tasksAbove(top));
    });
  }
  for (const e of expansions) {
    const line = e.topIndex + tasksAbove(e.topIndex);
    e.tasks.forEach((task, k) => ids.set(task.id, line + 1 + k));
  }
  return ids;
}
