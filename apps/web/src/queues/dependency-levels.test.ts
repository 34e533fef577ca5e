import { describe, expect, it } from 'vitest';
import { groupByLevel, hasDependencies } from './dependency-levels';

const t = (taskId: string, level: number, dependsOn: string[] = []) => ({
  taskId,
  level,
  dependsOn,
});

describe('groupByLevel', () => {
  it('groups tasks by level, levels ascending, queue order inside a level', () => {
    const groups = groupByLevel([
      t('d', 2, ['b', 'c']),
      t('a', 0),
      t('c', 1, ['a']),
      t('b', 1, ['a']),
      t('x', 0),
    ]);
    expect(groups.map((g) => [g.level, g.tasks.map((x) => x.taskId)])).toEqual([
      [0, ['a', 'x']],
      [1, ['c', 'b']],
      [2, ['d']],
    ]);
  });

  it('shows the view only for a queue with dependencies', () => {
    expect(hasDependencies([t('a', 0), t('b', 0)])).toBe(false);
    expect(hasDependencies([t('a', 0), t('b', 1, ['a'])])).toBe(true);
  });
});
