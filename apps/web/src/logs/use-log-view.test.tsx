// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../api/trpc';
import type { FollowHandlers, LogSnapshot, LogSource } from './log-types';
import { useLogView } from './use-log-view';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function View({ source }: { source: LogSource }) {
  const view = useLogView(source, 100, true);
  return (
    <div>
      <span data-testid="path">{view.path ?? 'none'}</span>
      <pre data-testid="lines">{view.lines.join('\n')}</pre>
    </div>
  );
}

/** Appended text is applied on a timer (80 ms), so this waits in real time, up to 2 s. */
async function eventually(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!done() && Date.now() < deadline) {
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
  }
  expect(done()).toBe(true);
}

const snapshot = (o: Partial<LogSnapshot>): LogSnapshot => ({
  path: null,
  exists: false,
  content: '',
  unavailable: null,
  cursor: null,
  ...o,
});

describe('a followed log', () => {
  it('learns where the log is once the job starts writing it, without restarting the follow', async () => {
    // Before the job starts its CloudWatch stream has no name; afterwards the tail names it.
    const tails = [
      snapshot({ unavailable: 'the job has not started: it has no log stream yet' }),
      snapshot({ path: '/aws/batch/job:e2e/default/abc', exists: true, content: 'tick 1\n' }),
    ];
    let tailReads = 0;
    let follows = 0;
    let handlers: FollowHandlers | null = null;
    const source: LogSource = {
      key: 'job-1:output',
      fetchTail: () => Promise.resolve(tails[Math.min(tailReads++, tails.length - 1)]!),
      follow: (h) => {
        follows++;
        handlers = h;
        return () => undefined;
      },
      downloadHref: null,
    };
    act(() =>
      root.render(
        <QueryClientProvider client={createQueryClient()}>
          <View source={source} />
        </QueryClientProvider>,
      ),
    );
    const text = (id: string) => container.querySelector(`[data-testid="${id}"]`)?.textContent;
    await eventually(() => handlers !== null);
    expect(text('path')).toBe('none');

    act(() => {
      handlers!.onOpen();
      handlers!.onChunk({ kind: 'data', offset: 0, text: 'tick 1\n', cursor: 'c1' });
    });
    await eventually(() => text('path') === '/aws/batch/job:e2e/default/abc');
    act(() => handlers!.onChunk({ kind: 'data', offset: 7, text: 'tick 2\n', cursor: 'c2' }));
    await eventually(() => text('lines') === 'tick 1\ntick 2');
    expect(tailReads).toBe(2);
    expect(follows).toBe(1);
  });
});
