import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { useTRPC } from '../api/trpc';
import type { QueueDetail, QueueSummary } from './queue-types';
import { useQueueUpdates } from './use-queue-updates';

/** A burst of queue events (one per task change) costs one refetch after this long. */
const REFETCH_AFTER_EVENT_MS = 300;

/**
 * A queue with its tasks, kept live: the stream's summary replaces the
 * fetched one at once, each queue event schedules one refetch of the tasks,
 * and job events patch the tasks' jobs in the cache (job-cache-sync.ts).
 */
export function useQueueDetail(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.queues.get.queryOptions({ id });
  const query = useQuery({ ...options, staleTime: 0, retry: false });
  const updates = useQueueUpdates();
  const update = updates.get(id);

  const scheduled = useRef<ReturnType<typeof setTimeout> | null>(null);
  const queryKey = useRef(options.queryKey);
  queryKey.current = options.queryKey;
  // Other attempts of the family change what this page shows (their states, which attempt counts).
  const family = useRef<readonly string[]>([id]);
  family.current = query.data?.attempts.map((a) => a.id) ?? [id];
  const seen = useRef(new Map<string, QueueSummary>());
  // Runs on every queue event; refetches (once per burst) when one is about this queue or its family.
  useEffect(() => {
    const changed = family.current.filter((member) => {
      const now = updates.get(member);
      if (now === undefined || seen.current.get(member) === now) return false;
      seen.current.set(member, now);
      return true;
    });
    if (changed.length === 0 || scheduled.current) return;
    scheduled.current = setTimeout(() => {
      scheduled.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKey.current });
    }, REFETCH_AFTER_EVENT_MS);
  }, [updates, queryClient]);
  useEffect(() => () => clearTimeout(scheduled.current ?? undefined), []);

  const detail = useMemo((): QueueDetail | undefined => {
    const data = query.data;
    if (!data) return undefined;
    return { ...data, queue: update ?? data.queue };
  }, [query.data, update]);

  const notFound = query.error?.data?.code === 'NOT_FOUND';
  return { detail, error: query.error, notFound, isPending: query.isPending };
}
