/** What the dependency view needs of a task. */
export interface LevelTask {
  taskId: string;
  level: number;
  dependsOn: readonly string[];
}

export interface Level<T extends LevelTask> {
  level: number;
  tasks: T[];
}

/** Tasks grouped by dependency level (0: no dependencies), levels ascending, queue order within one. */
export function groupByLevel<T extends LevelTask>(tasks: readonly T[]): Level<T>[] {
  const levels = new Map<number, T[]>();
  for (const t of tasks) levels.set(t.level, [...(levels.get(t.level) ?? []), t]);
  return [...levels.entries()]
    .sort(([a], [b]) => a - b)
    .map(([level, members]) => ({ level, tasks: members }));
}

/** Whether the queue has any dependency at all (otherwise the view is not shown). */
export const hasDependencies = (tasks: readonly LevelTask[]): boolean =>
  tasks.some((t) => t.dependsOn.length > 0);
