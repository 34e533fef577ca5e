import type { ClusterStatus } from '@scripthut/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useTRPC, useTRPCClient } from '../api/trpc';
import { startJobCacheSync } from './job-cache-sync';
import { LiveStore, type LiveEvent, type LiveSnapshot } from './live-store';
import { startLiveSync } from './live-sync';

const LiveStoreContext = createContext<LiveStore | null>(null);

/**
 * Owns the one live store of the page and its one event stream. Job events
 * patch the query cache; a stream reset refetches every job query (and,
 * after the first, every query: the server restarted or events were missed).
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [store] = useState(() => new LiveStore());
  useEffect(() => {
    const jobs = startJobCacheSync(queryClient, {
      list: trpc.jobs.list.pathKey(),
      counts: trpc.jobs.counts.pathKey(),
      get: trpc.jobs.get.pathKey(),
      queue: trpc.queues.get.pathKey(),
    });
    const offEvents = store.onEvent((event) => {
      if (event.type === 'jobs') jobs.onJobs(event.upserted, event.removed);
    });
    const stopSync = startLiveSync(client, store, (first) => {
      void queryClient.invalidateQueries(first ? { queryKey: trpc.jobs.pathKey() } : undefined);
    });
    return () => {
      stopSync();
      offEvents();
      jobs.stop();
    };
  }, [client, trpc, store, queryClient]);
  return <LiveStoreProvider store={store}>{children}</LiveStoreProvider>;
}

/** Gives the components below `store` as their live store, fed by whoever owns it. */
export function LiveStoreProvider({ store, children }: { store: LiveStore; children: ReactNode }) {
  return <LiveStoreContext.Provider value={store}>{children}</LiveStoreContext.Provider>;
}

export function useLiveSnapshot(): LiveSnapshot {
  const store = useContext(LiveStoreContext);
  if (!store) throw new Error('useLiveSnapshot needs a <LiveProvider> above it');
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Calls `listener` with every event of the page's one stream while the component is mounted. */
export function useLiveEvents(listener: (event: LiveEvent) => void): void {
  const store = useContext(LiveStoreContext);
  if (!store) throw new Error('useLiveEvents needs a <LiveProvider> above it');
  useEffect(() => store.onEvent(listener), [store, listener]);
}

export function useClusters(): readonly ClusterStatus[] {
  return useLiveSnapshot().clusters;
}
