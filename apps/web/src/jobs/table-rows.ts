import type { Job } from '@scripthut/core/domain';

/** One line of the jobs grid: a job or array (depth 0), or a task under an expanded array (depth 1). */
export interface TableRow {
  job: Job;
  depth: 0 | 1;
  /** For an array's own row: whether its tasks are shown. Null for every other row. */
  expanded: boolean | null;
  /** For a task row: its array's row id. */
  parentId: string | null;
}

const collator = new Intl.Collator('en', { numeric: true });

/** Tasks in task-id order (`_2` before `_10`), pending ranges (`_[…]`) after the tasks. */
export function sortTasks(tasks: readonly Job[]): Job[] {
  const key = (j: Job) => j.schedulerJobId ?? j.id;
  return [...tasks].sort((a, b) => {
    const ra = key(a).includes('[');
    const rb = key(b).includes('[');
    return ra === rb ? collator.compare(key(a), key(b)) : ra ? 1 : -1;
  });
}

/**
 * `task 7` for `123_7` (Slurm) or `<id>:7` (AWS Batch); `tasks 5-20 (at most 4
 * at once)` for the pending range `123_[5-20%4]`, `tasks 0-9` for `<id>:[0-9]`.
 */
export function taskLabel(job: Pick<Job, 'schedulerJobId' | 'name'>): string {
  const id = job.schedulerJobId ?? '';
  const range = /[_:]\[([^\]%]+)(?:%(\d+))?\]$/.exec(id);
  if (range) return `tasks ${range[1]}${range[2] ? ` (at most ${range[2]} at once)` : ''}`;
  const task = /[_:](\d+)$/.exec(id);
  return task ? `task ${task[1]}` : job.name;
}
