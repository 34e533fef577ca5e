// @vitest-environment happy-dom
import { TaskSpec } from '@scripthut/core/domain';
import { QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueryClient, createTrpcClient, TRPCProvider } from '../api/trpc';
import type { QueueTask } from './queue-types';
import { TASK_ROW_HEIGHT_PX, TasksTable } from './tasks-table';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** happy-dom lays nothing out: the scroll box says it is as tall as a browser would make it. */
const VIEWPORT_PX = 600;
const task = (i: number): QueueTask => {
  const spec = TaskSpec.parse({ id: `t${i}`, name: `Task ${i}`, command: `echo ${i}` });
  return {
    taskId: spec.id,
    position: i,
    name: spec.name,
    state: 'pending',
    reason: null,
    dependsOn: [],
    level: 0,
    attempts: [],
    spec,
    submit: {
      name: spec.name,
      command: spec.command,
      workingDir: '/home/me',
      cpus: spec.cpus,
      memory: spec.memory,
      timeLimit: spec.time_limit,
      partition: null,
      account: null,
      stdoutPath: `/home/me/logs/t${i}.out`,
      stderrPath: `/home/me/logs/t${i}.err`,
    },
    job: null,
  };
};
const TASKS = Array.from({ length: 5_000 }, (_, i) => task(i));

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'tasks-scroll' ? VIEWPORT_PX : 0;
    },
  });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});

function renderTable(tasks: readonly QueueTask[]): void {
  act(() =>
    root.render(
      <QueryClientProvider client={createQueryClient()}>
        <TRPCProvider trpcClient={createTrpcClient()} queryClient={createQueryClient()}>
          <MemoryRouter>
            <TasksTable queueId="q1" owner={null} kind="local" tasks={tasks} />
          </MemoryRouter>
        </TRPCProvider>
      </QueryClientProvider>,
    ),
  );
}

const rows = () => [...container.querySelectorAll<HTMLElement>('[data-testid^="task-row-"]')];
const scrollBox = () => container.querySelector<HTMLElement>('[data-testid="tasks-scroll"]')!;

describe('the tasks table of a 5,000-task queue', () => {
  it('puts only the rows in view (and a few around them) in the DOM, and says how many there are', () => {
    renderTable(TASKS);
    const shown = rows();
    // 600 px of 44 px rows is 14 in view; 10 more below as overscan.
    expect(shown.length).toBeGreaterThanOrEqual(Math.ceil(VIEWPORT_PX / TASK_ROW_HEIGHT_PX));
    expect(shown.length).toBeLessThan(40);
    expect(shown[0]?.dataset.testid).toBe('task-row-t0');
    expect(shown[0]?.getAttribute('aria-rowindex')).toBe('2');
    expect(container.querySelector('table')?.getAttribute('aria-rowcount')).toBe('5001');
    expect(container.querySelector('h2')?.textContent).toBe('Tasks (5000)');
  });

  it('keeps the scroll height of every row, so the scrollbar is true to the queue', () => {
    renderTable(TASKS);
    const spacer = container.querySelector<HTMLElement>('.tasks-table__spacer');
    const rendered = rows().length * TASK_ROW_HEIGHT_PX;
    expect(spacer?.style.height).toBe(`${5_000 * TASK_ROW_HEIGHT_PX - rendered}px`);
  });

  it('renders the rows around the scroll position, the last ones at the bottom', () => {
    renderTable(TASKS);
    const box = scrollBox();
    const scrollTo = (px: number) =>
      act(() => {
        box.scrollTop = px;
        box.dispatchEvent(new Event('scroll'));
      });
    scrollTo(2_500 * TASK_ROW_HEIGHT_PX);
    let ids = rows().map((r) => r.dataset.testid);
    expect(ids).toContain('task-row-t2500');
    expect(ids).not.toContain('task-row-t0');
    expect(rows().length).toBeLessThan(50);
    scrollTo(5_000 * TASK_ROW_HEIGHT_PX - VIEWPORT_PX);
    ids = rows().map((r) => r.dataset.testid);
    expect(ids.at(-1)).toBe('task-row-t4999');
    expect(rows().at(-1)?.getAttribute('aria-rowindex')).toBe('5001');
    expect(rows().length).toBeLessThan(50);
  });

  it('shows every row of a small queue, with no spacer', () => {
    renderTable(TASKS.slice(0, 4));
    expect(rows().map((r) => r.dataset.testid)).toEqual([
      'task-row-t0',
      'task-row-t1',
      'task-row-t2',
      'task-row-t3',
    ]);
    expect(container.querySelector('.tasks-table__spacer')).toBeNull();
  });
});
