import type { Job } from '@scripthut/core/domain';
import { keepPreviousData, useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTRPC } from '../api/trpc';

/** The most tasks one expanded array shows (the API's page cap). */
export const ARRAY_TASK_LIMIT = 20_000;

/** Why an open array's tasks could not be fetched, and a way to ask again. */
export interface ArrayTasksProblem {
  message: string;
  /** True while the asking again is under way. */
  retrying: boolean;
  retry: () => void;
}

export interface ArrayTasksLookup {
  /** An open array's tasks; undefined until a fetch of them has succeeded. */
  tasksOf: (arrayId: string) => readonly Job[] | undefined;
  /** Null while the tasks load or once they have; else what went wrong with the last fetch. */
  problemOf: (arrayId: string) => ArrayTasksProblem | null;
}

/**
 * The tasks of each open array: fetched once when it opens, fetched again
 * whenever the array's own row changes (a task started, ended or left the
 * queue); stream events patch the fetched tasks meanwhile (job-cache-sync.ts).
 */
export function useArrayTasks(open: readonly Job[]): ArrayTasksLookup {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { fetched, failures } = useQueries({
    queries: open.map((array) => ({
      ...trpc.jobs.list.queryOptions({ arrayId: array.id, limit: ARRAY_TASK_LIMIT }),
      placeholderData: keepPreviousData,
      staleTime: Number.POSITIVE_INFINITY,
    })),
    // Structurally shared by TanStack Query: `fetched` keeps its identity while no task list changed.
    combine: (results) => ({
      fetched: results.map((r) => r.data?.jobs),
      failures: results.map((r): ArrayTasksProblem | null =>
        r.error
          ? { message: r.error.message, retrying: r.isFetching, retry: () => void r.refetch() }
          : null,
      ),
    }),
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

  const tasksOf = useCallback((arrayId: string) => byArray.get(arrayId), [byArray]);
  const problemOf = useCallback(
    (arrayId: string) => failures[open.findIndex((a) => a.id === arrayId)] ?? null,
    [failures, open],
  );
  return { tasksOf, problemOf };
}
