import type { Job } from '@scripthut/core/domain';
import { keepPreviousData, useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTRPC } from '../api/trpc';

/** The most tasks one expanded array shows (the API's page cap). */
export const ARRAY_TASK_LIMIT = 20_000;

/**
 * The tasks of each open array: fetched once when it opens, fetched again
 * whenever the array's own row changes (a task started, ended or left the
 * queue); stream events patch the fetched tasks meanwhile (job-cache-sync.ts).
 * Returns a lookup: undefined while an array's first fetch is under way.
 */
export function useArrayTasks(
  open: readonly Job[],
): (arrayId: string) => readonly Job[] | undefined {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fetched = useQueries({
    queries: open.map((array) => ({
      ...trpc.jobs.list.queryOptions({ arrayId: array.id, limit: ARRAY_TASK_LIMIT }),
      placeholderData: keepPreviousData,
      staleTime: Number.POSITIVE_INFINITY,
    })),
    combine: (results) => results.map((r) => r.data?.jobs),
  });

  // Refetch an open array's tasks when its own row changes after it was opened.
  const seen = useRef(new Map<string, string>());
  useEffect(() => {
    const next = new Map<string, string>();
    for (const array of open) {
      const before = seen.current.get(array.id);
      if (before !== undefined && before !== array.updatedAt) {
        void queryClient.invalidateQueries({
          queryKey: trpc.jobs.list.queryKey({ arrayId: array.id, limit: ARRAY_TASK_LIMIT }),
        });
      }
      next.set(array.id, array.updatedAt);
    }
    seen.current = next;
  }, [open, queryClient, trpc]);

  const byArray = useMemo(() => {
    const map = new Map<string, readonly Job[]>();
    open.forEach((array, i) => {
      const tasks = fetched[i];
      if (tasks !== undefined) map.set(array.id, tasks);
    });
    return map;
  }, [open, fetched]);

  return useCallback((arrayId: string) => byArray.get(arrayId), [byArray]);
}
