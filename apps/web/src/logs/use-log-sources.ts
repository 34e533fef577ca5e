import { useMemo } from 'react';
import { useTRPCClient } from '../api/trpc';
import type { FollowHandlers, LogKind, LogSource } from './log-types';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The log of a queue task: `queues.log` / `queues.logFollow`, and the REST download. */
export function useTaskLogSource(queueId: string, taskId: string, kind: LogKind): LogSource {
  const client = useTRPCClient();
  return useMemo(
    (): LogSource => ({
      key: `task:${queueId}:${taskId}:${kind}`,
      fetchTail: async (tail) => {
        const log = await client.queues.log.query({ queueId, taskId, kind, tail });
        return {
          path: log.path,
          exists: log.exists,
          content: log.content,
          unavailable: log.unavailable,
          cursor: log.cursor,
        };
      },
      follow: (h: FollowHandlers, from: string | null) => {
        const sub = client.queues.logFollow.subscribe(
          { queueId, taskId, kind, lastEventId: from },
          {
            onStarted: h.onOpen,
            onData: ({ data }) => h.onChunk(data),
            onError: (e) => h.onError(messageOf(e)),
          },
        );
        return () => sub.unsubscribe();
      },
      downloadHref: `/queues/${encodeURIComponent(queueId)}/tasks/${encodeURIComponent(taskId)}/logs/${kind}?download=1`,
    }),
    [client, queueId, taskId, kind],
  );
}

/** The log of any job, read where it ran: `jobs.log` / `jobs.logFollow` (no download endpoint). */
export function useJobLogSource(jobId: string, kind: LogKind): LogSource {
  const client = useTRPCClient();
  return useMemo(
    (): LogSource => ({
      key: `job:${jobId}:${kind}`,
      fetchTail: async (tail) => {
        const log = await client.jobs.log.query({ id: jobId, kind, tail });
        return {
          path: log.path,
          exists: log.exists,
          content: log.content,
          unavailable: log.unavailable,
          cursor: log.cursor,
        };
      },
      follow: (h: FollowHandlers, from: string | null) => {
        const sub = client.jobs.logFollow.subscribe(
          { id: jobId, kind, lastEventId: from },
          {
            onStarted: h.onOpen,
            onData: ({ data }) => h.onChunk(data),
            onError: (e) => h.onError(messageOf(e)),
          },
        );
        return () => sub.unsubscribe();
      },
      downloadHref: null,
    }),
    [client, jobId, kind],
  );
}
