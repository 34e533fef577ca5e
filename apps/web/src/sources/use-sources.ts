import type { SourceStatus } from '@scripthut/core/domain';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTRPC } from '../api/trpc';
import { useLiveEvents } from '../live/live-context';
import type { LiveEvent } from '../live/live-store';
import { withStatus } from './source-view';

/**
 * The git sources: loaded once, then kept current by the `source` events of
 * the page's one live stream. (A stream reset invalidates every query, which
 * reloads this list too.)
 */
export function useSources() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = useMemo(() => trpc.sources.list.queryKey(), [trpc]);
  const query = useQuery(trpc.sources.list.queryOptions());
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type !== 'source') return;
      const current = queryClient.getQueryData<SourceStatus[]>(queryKey);
      // An event that beats the first load: load again so it is not lost.
      if (current === undefined) void queryClient.invalidateQueries({ queryKey });
      else queryClient.setQueryData<SourceStatus[]>(queryKey, withStatus(current, event.status));
    },
    [queryClient, queryKey],
  );
  useLiveEvents(onEvent);
  return query;
}
