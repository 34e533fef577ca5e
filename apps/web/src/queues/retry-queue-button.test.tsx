// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient, createTrpcClient, TRPCProvider } from '../api/trpc';
import { stubTrpcFetch, type StubAnswer } from '../api/stub-trpc-fetch';
import type { QueueDetail } from './queue-types';
import { waitFor } from '../test-dom';
import { RetryQueueButton } from './retry-queue-button';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const GiB = 1024 ** 3;
const summary = {
  jobs: 3,
  cpuEfficiency: 0.5,
  minCpuEfficiency: 0.4,
  maxCpuEfficiency: 0.6,
  maxAllocCpus: 1,
  busyCpus: 0.5,
  maxRssBytes: 1.1 * GiB,
  maxRequestedMemoryBytes: 4 * GiB,
};
const memoryHint = {
  usedBytes: 1.1 * GiB,
  askedBytes: 4 * GiB,
  suggested: '2G',
  suggestedBytes: 2 * GiB,
};
// The dialog reads only the queue's id and how many tasks ended in each way.
const detail = {
  queue: { id: 'q-1' },
  retryable: {
    failed: 2,
    timed_out: 0,
    out_of_memory: 1,
    lost: 0,
    cancelled: 0,
    skipped: 0,
  },
} as unknown as QueueDetail;

let container: HTMLDivElement;
let root: Root;
let stub: ReturnType<typeof stubTrpcFetch>;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  stub.restore();
});

async function openDialog(hint: StubAnswer): Promise<HTMLDialogElement> {
  stub = stubTrpcFetch((path) => {
    if (path === 'jobs.queueEfficiency') return hint;
    if (path === 'queues.retry') return { error: 'the test server starts no attempt' };
    return undefined;
  });
  const queryClient = createQueryClient();
  act(() =>
    root.render(
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={createTrpcClient()} queryClient={queryClient}>
          <MemoryRouter>
            <RetryQueueButton detail={detail} />
          </MemoryRouter>
        </TRPCProvider>
      </QueryClientProvider>,
    ),
  );
  act(() => byTestId<HTMLButtonElement>('retry-queue').click());
  await waitFor(() => stub.calls.some((c) => c.path === 'jobs.queueEfficiency'));
  return container.querySelector('dialog')!;
}

const byTestId = <T extends HTMLElement>(id: string): T => {
  const found = container.querySelector<T>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`no element with data-testid="${id}" in:\n${container.innerHTML}`);
  return found;
};

/** Types into a controlled input the way React listens for it. */
function type(input: HTMLInputElement, value: string): void {
  // React tracks the value it set; the prototype's setter changes it behind React's back, as typing does.
  const descriptor = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
  act(() => {
    descriptor?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('the "Retry failed" dialog', () => {
  it('shows the queue’s right-size hint and fills the memory override with it in one click', async () => {
    await openDialog({
      data: { queueId: 'q-1', summary, hint: { memory: memoryHint, cpus: null } },
    });
    await waitFor(() => container.querySelector('[data-testid="retry-size-hint"]') !== null);
    expect(byTestId('retry-size-hint').textContent).toContain(
      'Finished tasks used at most 1.1 GB of 4 GB asked; 2G would do.',
    );
    const memory = byTestId<HTMLInputElement>('retry-memory');
    expect(memory.value).toBe('');

    act(() => byTestId<HTMLButtonElement>('retry-apply-hint').click());
    expect(memory.value).toBe('2G');
    expect(byTestId<HTMLInputElement>('retry-time-limit').value).toBe('');

    // Still the user's field: an edit replaces the hint, and that is what the retry asks for.
    type(memory, '3G');
    expect(memory.value).toBe('3G');
    act(() => byTestId<HTMLButtonElement>('confirm-retry-queue').click());
    await waitFor(() => stub.calls.some((c) => c.path === 'queues.retry'));
    expect(stub.calls.find((c) => c.path === 'queues.retry')?.input).toEqual({
      id: 'q-1',
      states: ['failed', 'out_of_memory'],
      overrides: { memory: '3G' },
    });
  });

  it('shows no hint when the tasks’ figures suggest no smaller request', async () => {
    const dialog = await openDialog({
      data: { queueId: 'q-1', summary, hint: { memory: null, cpus: null } },
    });
    await waitFor(() => stub.calls.length > 0);
    expect(dialog.textContent).toContain('Retry the tasks that ended');
    expect(container.querySelector('[data-testid="retry-size-hint"]')).toBeNull();
    expect(container.querySelector('[data-testid="retry-apply-hint"]')).toBeNull();
  });
});
