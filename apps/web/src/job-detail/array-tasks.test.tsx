// @vitest-environment happy-dom
import { newJob, type Job } from '@scripthut/core/domain';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stubTrpcFetch } from '../api/stub-trpc-fetch';
import { createTrpcClient, TRPCProvider } from '../api/trpc';
import { LiveStoreProvider } from '../live/live-context';
import { LiveStore } from '../live/live-store';
import { waitFor } from '../test-dom';
import { ArrayTasks } from './array-tasks';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const at = '2026-01-01T00:00:00.000Z';
const array = newJob({
  id: 'testbed:123_*',
  cluster: 'testbed',
  schedulerJobId: '123',
  name: 'sweep',
  user: 'me',
  state: 'running',
  source: 'external',
  updatedAt: at,
  arrayTasks: 2,
  arrayCounts: {
    pending: 0,
    submitted: 0,
    running: 2,
    finishing: 0,
    completed: 0,
    failed: 0,
    unknown: 0,
    cancelled: 0,
  },
});
const task = (i: number): Job =>
  newJob({
    id: `testbed:123_${i}`,
    cluster: 'testbed',
    schedulerJobId: `123_${i}`,
    arrayId: array.id,
    name: 'sweep',
    user: 'me',
    state: 'running',
    source: 'external',
    updatedAt: at,
  });

let container: HTMLDivElement;
let root: Root;
let stub: ReturnType<typeof stubTrpcFetch> | undefined;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  stub?.restore();
});

const alert = () => container.querySelector<HTMLElement>('[role="alert"]');
const retryButton = () =>
  container.querySelector<HTMLButtonElement>('[data-testid="array-tasks-retry"]');

describe('the tasks of an array on its page', () => {
  it('shows why its task list failed to load, with a Retry that loads it', async () => {
    let down = true;
    stub = stubTrpcFetch((path) => {
      if (path !== 'jobs.list') return undefined;
      return down
        ? { error: 'the history store is busy, try again' }
        : { data: { jobs: [task(1), task(2)], total: 2 } };
    });
    // The app's client retries a failed query once after a second; this test asks for no wait.
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    act(() =>
      root.render(
        <QueryClientProvider client={queryClient}>
          <TRPCProvider trpcClient={createTrpcClient()} queryClient={queryClient}>
            <LiveStoreProvider store={new LiveStore()}>
              <MemoryRouter>
                <ArrayTasks array={array} />
              </MemoryRouter>
            </LiveStoreProvider>
          </TRPCProvider>
        </QueryClientProvider>,
      ),
    );
    expect(container.textContent).toContain('Loading tasks…');

    await waitFor(() => alert() !== null);
    expect(alert()?.textContent).toContain(
      'Could not load the tasks of array 123: the history store is busy, try again',
    );
    expect(container.textContent).not.toContain('Loading tasks…');
    expect(retryButton()?.textContent).toBe('Retry');

    down = false;
    act(() => retryButton()?.click());
    await waitFor(() => container.querySelector('[data-testid="array-task-123_2"]') !== null);
    expect(alert()).toBeNull();
    expect(container.querySelector('[data-testid="array-task-123_1"]')).not.toBeNull();
    expect(stub.calls.filter((c) => c.path === 'jobs.list')).toHaveLength(2);
  });
});
