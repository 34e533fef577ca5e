import type { Job } from '@scripthut/core/domain';
import { useQueries } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTRPC } from '../api/trpc';
import type { JobListInput } from '../live/job-patch';
import { WINDOW_ROWS, windowsFor } from './job-windows';

/** What the grid shows: the loaded windows of one query and the server's total for it. */
export interface JobWindows {
  windows: ReadonlyMap<number, readonly Job[]>;
  total: number;
  /** False until a first window of some query arrived. */
  shown: boolean;
  /** Why the last fetch failed while it is being retried; null when fine. */
  failure: string | null;
  /** The rows shown are an earlier query's (filters or sort changed, its answer is on the way). */
  previous: boolean;
}

/** Inactive windows leave the cache soon, so scrolling through 10,000 jobs does not keep them all. */
const WINDOW_GC_MS = 30_000;
const retryDelay = (attempt: number): number => Math.min(1_000 * 2 ** attempt, 30_000);

/**
 * The windows of `query` that the visible top-level rows `first..last`
 * fall in, fetched from the server (WINDOW_ROWS rows each, keyed by filters,
 * sort and offset). They change only through the stream (patched in place,
 * refetched when membership may change; see job-cache-sync.ts), so they
 * never go stale on their own. While a new query's first window loads, the
 * previous query's rows stay on screen.
 */
export function useJobWindows(
  query: Omit<JobListInput, 'limit' | 'offset'>,
  visible: { first: number; last: number },
  enabled: boolean,
): JobWindows {
  const trpc = useTRPC();
  const key = JSON.stringify(query);
  const lastTotal = useRef<{ key: string; total: number } | null>(null);
  const knownTotal = lastTotal.current?.key === key ? lastTotal.current.total : Infinity;
  const wanted = windowsFor(visible.first, visible.last, knownTotal);
  const results = useQueries({
    queries: wanted.map((w) => ({
      ...trpc.jobs.list.queryOptions({ ...query, limit: WINDOW_ROWS, offset: w * WINDOW_ROWS }),
      enabled,
      staleTime: Number.POSITIVE_INFINITY,
      gcTime: WINDOW_GC_MS,
      retry: true,
      retryDelay,
    })),
  });

  const windows = new Map<number, readonly Job[]>();
  let total: number | null = null;
  let newest = -1;
  let failure: string | null = null;
  results.forEach((r, i) => {
    failure ??= r.failureReason?.message ?? null;
    if (r.data === undefined) return;
    windows.set(wanted[i] ?? 0, r.data.jobs);
    if (r.dataUpdatedAt > newest) {
      newest = r.dataUpdatedAt;
      total = r.data.total;
    }
  });
  const shownRef = useRef<JobWindows>(NOTHING_SHOWN);
  if (total !== null) {
    lastTotal.current = { key, total };
    const next: JobWindows = { windows, total, shown: true, failure, previous: false };
    // Same windows and total: keep the same object, so the grid's memos hold between renders.
    if (!sameWindows(shownRef.current, next)) shownRef.current = next;
  } else if (
    shownRef.current.failure !== failure ||
    shownRef.current.previous !== shownRef.current.shown
  ) {
    shownRef.current = { ...shownRef.current, failure, previous: shownRef.current.shown };
  }
  return shownRef.current;
}

const NOTHING_SHOWN: JobWindows = {
  windows: new Map(),
  total: 0,
  shown: false,
  failure: null,
  previous: false,
};

function sameWindows(a: JobWindows, b: JobWindows): boolean {
  if (
    a.total !== b.total ||
    a.failure !== b.failure ||
    a.previous !== b.previous ||
    a.windows.size !== b.windows.size
  )
    return false;
  for (const [w, jobs] of b.windows) if (a.windows.get(w) !== jobs) return false;
  return true;
}
