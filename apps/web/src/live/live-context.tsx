import type { ClusterStatus, Job } from '@scripthut/core/domain';
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useTRPCClient } from '../api/trpc';
import { LiveStore, type LiveEvent, type LiveSnapshot } from './live-store';
import { startLiveSync } from './live-sync';

const LiveStoreContext = createContext<LiveStore | null>(null);

/** Owns the one live store of the page and its one event stream. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [store] = useState(() => new LiveStore());
  useEffect(
    () => startLiveSync(client, store, () => void queryClient.invalidateQueries()),
    [client, store, queryClient],
  );
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

export function useLiveJob(id: string): Job | undefined {
  return useLiveSnapshot().jobs.get(id);
}

export function useClusters(): readonly ClusterStatus[] {
  return useLiveSnapshot().clusters;
}
