import type { Job } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { job } from '../live/test-jobs';
import { gridModel, windowsFor, type GridLine } from './job-windows';

const counts = {
  pending: 0,
  submitted: 0,
  running: 2,
  finishing: 0,
  completed: 1,
  failed: 0,
  unknown: 0,
  cancelled: 0,
};
const rows = (prefix: string, n: number): Job[] =>
  Array.from({ length: n }, (_, i) => job({ id: `${prefix}${i}` }));
const label = (line: GridLine | undefined): string =>
  line === undefined ? 'none' : line.kind === 'loading' ? `…${line.topIndex}` : line.row.job.id;

describe('windowsFor', () => {
  it('lists the windows the visible rows fall in, clamped to the total', () => {
    expect(windowsFor(0, 30, 10_000, 200)).toEqual([0]);
    expect(windowsFor(190, 230, 10_000, 200)).toEqual([0, 1]);
    expect(windowsFor(9_990, 10_020, 10_000, 200)).toEqual([49]);
    expect(windowsFor(0, 30, 0, 200)).toEqual([0]);
  });
});

describe('gridModel', () => {
  it('has the server total as its length and placeholders where no window is loaded', () => {
    const model = gridModel(25, new Map([[2, rows('w2-', 5)]]), new Set(), () => undefined, [], 10);
    expect(model.count).toBe(25);
    expect(label(model.at(0))).toBe('…0');
    expect(label(model.at(20))).toBe('w2-0');
    expect(label(model.at(24))).toBe('w2-4');
    expect(label(model.at(25))).toBe('none');
    expect(model.indexOf('w2-3')).toBe(23);
    expect(model.indexOf('elsewhere')).toBeUndefined();
  });

  it('puts an expanded array’s tasks under it, in task order, and shifts the lines below', () => {
    const array = job({ id: 'hpc:9_*', arrayCounts: counts, arrayTasks: 3 });
    const top = [job({ id: 'a' }), array, job({ id: 'b' })];
    const tasks = [
      job({ id: 't10', schedulerJobId: '9_10' }),
      job({ id: 't2', schedulerJobId: '9_2', state: 'completed' }),
    ];
    const model = gridModel(3, new Map([[0, top]]), new Set([array.id]), (id) =>
      id === array.id ? tasks : undefined,
    );
    expect(model.count).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => label(model.at(i)))).toEqual([
      'a',
      'hpc:9_*',
      't2',
      't10',
      'b',
    ]);
    const arrayLine = model.at(1);
    expect(arrayLine?.kind === 'row' && arrayLine.row.expanded).toBe(true);
    const taskLine = model.at(2);
    expect(taskLine?.kind === 'row' && taskLine.row.parentId).toBe(array.id);
    expect(model.topIndexAt(3)).toBe(1);
    expect(model.topIndexAt(4)).toBe(2);
    expect(model.indexOf('b')).toBe(4);
    expect(model.indexOf('t10')).toBe(3);
  });

  it('shows only the tasks in the state filter', () => {
    const array = job({ id: 'arr', arrayCounts: counts, arrayTasks: 2 });
    const tasks = [job({ id: 't1', state: 'running' }), job({ id: 't2', state: 'completed' })];
    const model = gridModel(1, new Map([[0, [array]]]), new Set(['arr']), () => tasks, [
      'completed',
    ]);
    expect([0, 1].map((i) => label(model.at(i)))).toEqual(['arr', 't2']);
  });
});
