import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../api/trpc';
import type { QueueSummary } from './queue-types';
import { useQueueUpdates } from './use-queue-updates';

/** All queues, newest first: the fetched list with the stream's newer summaries (and new queues) on top. */
export function useQueues() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.queues.list.queryOptions(), staleTime: 0 });
  const updates = useQueueUpdates();
  const queues = useMemo((): QueueSummary[] | undefined => {
    if (!list.data) return undefined;
    const byId = new Map<string, QueueSummary>(list.data.map((q) => [q.id, q]));
    for (const [id, q] of updates) byId.set(id, q);
    return [...byId.values()].sort((a, b) =>
      a.createdAt === b.createdAt
        ? b.id.localeCompare(a.id)
        : b.createdAt.localeCompare(a.createdAt),
    );
  }, [list.data, updates]);
  return { queues, error: list.error, isPending: list.isPending };
}
