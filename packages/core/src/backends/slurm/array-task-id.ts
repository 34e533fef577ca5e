/** An array task or pending range as squeue's JobArrayID names it. */
export interface ArrayTaskId {
  /** The whole array's id: `123` for `123_7` and `123_[5-20%4]`. */
  arrayJobId: string;
  /** 1 for a task, the number of task ids in a range. */
  tasks: number;
}

const TASK = /^(\d+)_(\d+)$/;
const RANGE = /^(\d+)_\[([0-9,:%-]+)\]$/;

/**
 * Reads `123_7`, `123_[5-20%4]`, `123_[4,6%4]`, `123_[1-9:2]`; null for
 * anything else (plain jobs, hetjob components `123+1`, and the bare `123`
 * that squeue shows for an array cancelled before any task started).
 */
export function arrayTaskId(jobArrayId: string): ArrayTaskId | null {
  const task = TASK.exec(jobArrayId);
  if (task) return { arrayJobId: task[1]!, tasks: 1 };
  const range = RANGE.exec(jobArrayId);
  if (!range) return null;
  const tasks = rangeSize(range[2]!);
  return tasks === null ? null : { arrayJobId: range[1]!, tasks };
}

/** `5-20%4` -> 16, `4,6` -> 2, `1-9:2` -> 5; null when a part is unreadable. */
function rangeSize(spec: string): number | null {
  const [ids = ''] = spec.split('%', 1);
  let total = 0;
  for (const part of ids.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (!m) return null;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (last < first || step < 1) return null;
    total += Math.floor((last - first) / step) + 1;
  }
  return total;
}
