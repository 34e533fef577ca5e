import type { Job } from '@scripthut/core/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { useTRPC } from '../api/trpc';
import { useLiveSnapshot } from '../live/live-context';
import type { QueueDetail } from './queue-types';
import { useQueueUpdates } from './use-queue-updates';

/** A burst of queue events (one per task change) costs one refetch after this long. */
const REFETCH_AFTER_EVENT_MS = 300;

const newer = (live: Job | undefined, fetched: Job | null): Job | null =>
  live && (!fetched || live.updatedAt >= fetched.updatedAt) ? live : fetched;

/**
 * A queue with its tasks, kept live: the stream's summary replaces the
 * fetched one at once, each queue event schedules one refetch of the tasks,
 * and every task's job is the newer of the fetched copy and the live store's.
 */
export function useQueueDetail(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.queues.get.queryOptions({ id });
  const query = useQuery({ ...options, staleTime: 0, retry: false });
  const update = useQueueUpdates().get(id);
  const { jobs } = useLiveSnapshot();

  const scheduled = useRef<ReturnType<typeof setTimeout> | null>(null);
  const queryKey = useRef(options.queryKey);
  queryKey.current = options.queryKey;
  // Runs once per new summary object, i.e. once per event for this queue.
  useEffect(() => {
    if (!update || scheduled.current) return;
    scheduled.current = setTimeout(() => {
      scheduled.current = null;
      void queryClient.invalidateQueries({ queryKey: queryKey.current });
    }, REFETCH_AFTER_EVENT_MS);
  }, [update, queryClient]);
  useEffect(() => () => clearTimeout(scheduled.current ?? undefined), []);

  const detail = useMemo((): QueueDetail | undefined => {
    const data = query.data;
    if (!data) return undefined;
    return {
      queue: update ?? data.queue,
      tasks: data.tasks.map((t) => {
        const job = newer(t.job ? jobs.get(t.job.id) : undefined, t.job);
        return job === t.job ? t : { ...t, job };
      }),
    };
  }, [query.data, update, jobs]);

  const notFound = query.error?.data?.code === 'NOT_FOUND';
  return { detail, error: query.error, notFound, isPending: query.isPending };
}
