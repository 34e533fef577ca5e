import { describe, expect, it } from 'vitest';
import { newJob, type ArrayCounts, type Job } from '@scripthut/core/domain';
import { gridModel } from './job-windows';
import { sortTasks, taskLabel, type TableRow } from './table-rows';

const fakeJob = (overrides: Partial<Job> & Pick<Job, 'id'>): Job =>
  newJob({
    cluster: 'hpc',
    name: 'sweep',
    user: 'alice',
    state: 'running',
    source: 'external',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });

const counts = (over: Partial<ArrayCounts>): ArrayCounts => ({
  pending: 0,
  submitted: 0,
  running: 0,
  finishing: 0,
  completed: 0,
  failed: 0,
  unknown: 0,
  cancelled: 0,
  ...over,
});

const array = fakeJob({
  id: 'hpc:5_*',
  schedulerJobId: '5',
  arrayCounts: counts({ running: 1, submitted: 18, failed: 1 }),
  arrayTasks: 20,
});
const plain = fakeJob({ id: 'hpc:9', schedulerJobId: '9' });
const task = (id: string, state: Job['state'] = 'running'): Job =>
  fakeJob({ id: `hpc:${id}`, schedulerJobId: id, arrayId: 'hpc:5_*', arrayTasks: 1, state });
const tasks = [
  task('5_10', 'failed'),
  task('5_[11-20%4]', 'submitted'),
  task('5_2'),
  task('5_1', 'completed'),
];

/** The loaded lines of a one-window grid of `top`, as the Jobs table lays them out. */
const tableRows = (
  top: readonly Job[],
  expanded: ReadonlySet<string>,
  tasksOf: (id: string) => readonly Job[] | undefined,
  states: Job['state'][] = [],
): TableRow[] => {
  const model = gridModel(top.length, new Map([[0, top]]), expanded, tasksOf, states);
  return Array.from({ length: model.count }, (_, i) => model.at(i)).flatMap((line) =>
    line?.kind === 'row' ? [line.row] : [],
  );
};

describe('grid lines of arrays', () => {
  it('shows an array as one row until it is expanded', () => {
    const rows = tableRows([array, plain], new Set(), () => tasks);
    expect(rows.map((r) => [r.job.id, r.depth, r.expanded])).toEqual([
      ['hpc:5_*', 0, false],
      ['hpc:9', 0, null],
    ]);
  });

  it('puts the tasks of an expanded array under it, in task order, ranges last', () => {
    const rows = tableRows([array, plain], new Set(['hpc:5_*']), () => tasks);
    expect(rows.map((r) => r.job.schedulerJobId)).toEqual([
      '5',
      '5_1',
      '5_2',
      '5_10',
      '5_[11-20%4]',
      '9',
    ]);
    expect(rows.slice(1, 5).every((r) => r.depth === 1 && r.parentId === 'hpc:5_*')).toBe(true);
  });

  it('shows only the tasks in the chosen states', () => {
    const rows = tableRows([array], new Set(['hpc:5_*']), () => tasks, ['failed']);
    expect(rows.map((r) => r.job.schedulerJobId)).toEqual(['5', '5_10']);
  });

  it('shows an expanded array alone while its tasks load', () => {
    expect(tableRows([array], new Set(['hpc:5_*']), () => undefined)).toHaveLength(1);
  });
});

describe('task labels', () => {
  it.each([
    ['5_7', 'task 7'],
    ['5_[11-20%4]', 'tasks 11-20 (at most 4 at once)'],
    ['5_[4,6]', 'tasks 4,6'],
    ['12', 'job'],
    ['5b2d6a9e-21c4-4c5e-9f0e-0a1b2c3d4e5f:3', 'task 3'],
    ['5b2d6a9e-21c4-4c5e-9f0e-0a1b2c3d4e5f:[0-9]', 'tasks 0-9'],
    ['5b2d6a9e-21c4-4c5e-9f0e-0a1b2c3d4e5f', 'job'],
  ])('names %s %j', (schedulerJobId, label) => {
    expect(taskLabel({ schedulerJobId, name: 'job' })).toBe(label);
  });

  it('sorts numerically', () => {
    expect(sortTasks([task('5_10'), task('5_9')]).map((t) => t.schedulerJobId)).toEqual([
      '5_9',
      '5_10',
    ]);
  });
});
