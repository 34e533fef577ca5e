import type { TrpcClient } from '../api/trpc';
import type { LiveStore } from './live-store';

const RELOAD_RETRY_MS = [2_000, 5_000, 10_000, 30_000] as const;
const RESUBSCRIBE_MS = 3_000;
/** Without a first stream message by then (SSE blocked by a proxy?), load anyway so the page is not empty. */
const FIRST_LOAD_FALLBACK_MS = 5_000;

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Keeps `store` in step with the server: one SSE subscription to
 * `events.stream`; a `reset` message (always the first one, and again after
 * missed events or a server restart) triggers a full reload of the clusters.
 * The link resumes with the last tracked id on reconnect, so a short outage
 * replays the missed events instead of reloading. `onReset` runs on every
 * reset, with `first` false after the first one (a restarted server or
 * missed events: every cached fact may be stale). Returns `stop`.
 */
export function startLiveSync(
  client: TrpcClient,
  store: LiveStore,
  onReset?: (first: boolean) => void,
): () => void {
  let stopped = false;
  let resets = 0;
  let loadToken = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let wasLive = false;

  const reload = async (attempt = 0): Promise<void> => {
    const token = ++loadToken;
    clearTimeout(retryTimer);
    store.beginLoad();
    try {
      const clusters = await client.clusters.list.query();
      if (stopped || token !== loadToken) return;
      store.loaded(clusters);
    } catch (e) {
      if (stopped || token !== loadToken) return;
      store.failed(messageOf(e));
      const delayMs = RELOAD_RETRY_MS[Math.min(attempt, RELOAD_RETRY_MS.length - 1)];
      retryTimer = setTimeout(() => void reload(attempt + 1), delayMs);
    }
  };

  let subscription: { unsubscribe(): void } | null = null;
  const subscribe = (): void => {
    subscription = client.events.stream.subscribe(
      {},
      {
        onData: ({ data }) => {
          if (data.kind === 'reset') {
            onReset?.(resets++ === 0);
            void reload();
          } else store.apply(data.event);
        },
        onConnectionStateChange: (state) => {
          if (state.state === 'pending') {
            wasLive = true;
            store.setStream('live');
          } else if (state.state === 'connecting') {
            store.setStream(wasLive || state.error ? 'reconnecting' : 'connecting');
          }
        },
        // A terminal error (the link gave up): start a fresh subscription, which begins with a reset.
        onError: () => {
          store.setStream('reconnecting');
          subscription?.unsubscribe();
          if (!stopped) retryTimer = setTimeout(subscribe, RESUBSCRIBE_MS);
        },
      },
    );
  };
  subscribe();
  const fallbackTimer = setTimeout(() => {
    if (resets === 0) void reload();
  }, FIRST_LOAD_FALLBACK_MS);

  return () => {
    stopped = true;
    clearTimeout(fallbackTimer);
    clearTimeout(retryTimer);
    subscription?.unsubscribe();
  };
}
