import type { StreamMessage } from '@scripthut/api';
import type { ClusterStatus } from '@scripthut/core/domain';

/**
 * One event of the server's multiplexed stream. This store holds clusters
 * only; job events go to the query cache (see use-job-cache-sync.ts), which
 * holds just the jobs pages have asked for.
 */
export type LiveEvent = Extract<StreamMessage, { kind: 'event' }>['event'];

/**
 * `connecting`: never connected yet. `live`: the stream is open.
 * `reconnecting`: it was open (or tried) and is being re-established.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting';

export type LoadPhase =
  { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

export interface LiveSnapshot {
  /** Clusters in configuration order. */
  clusters: readonly ClusterStatus[];
  phase: LoadPhase;
  stream: StreamState;
  /** Bumps on every change; cheap identity for memoisation. */
  version: number;
}

const EMPTY: LiveSnapshot = {
  clusters: [],
  phase: { kind: 'loading' },
  stream: 'connecting',
  version: 0,
};

/**
 * The browser's copy of the clusters and of the stream's state: a full load,
 * then changes from the event stream. Framework-free; React reads it through
 * useSyncExternalStore. Events that arrive while a full load is in flight
 * are held and applied on top of it.
 */
export class LiveStore {
  private snap: LiveSnapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private held: LiveEvent[] | null = null;
  private readonly eventListeners = new Set<(event: LiveEvent) => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveSnapshot => this.snap;

  /** A full reload started: hold events until `loaded` or `failed`. */
  beginLoad(): void {
    this.held ??= [];
    if (this.snap.phase.kind === 'error') this.update({ phase: { kind: 'loading' } });
  }

  loaded(clusters: readonly ClusterStatus[]): void {
    const held = this.held ?? [];
    this.held = null;
    let next: Partial<LiveSnapshot> = {
      clusters,
      phase: { kind: 'ready' },
    };
    for (const event of held) next = { ...next, ...reduce({ ...this.snap, ...next }, event) };
    this.update(next);
  }

  failed(message: string): void {
    this.held = null;
    this.update({ phase: { kind: 'error', message } });
  }

  /**
   * Every stream event as it arrives (also during a reload), for what keeps
   * its own copy of something this store does not hold (jobs, git sources).
   */
  readonly onEvent = (listener: (event: LiveEvent) => void): (() => void) => {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  };

  apply(event: LiveEvent): void {
    for (const listener of this.eventListeners) listener(event);
    if (this.held) {
      this.held.push(event);
      return;
    }
    const change = reduce(this.snap, event);
    if (change) this.update(change);
  }

  setStream(stream: StreamState): void {
    if (stream !== this.snap.stream) this.update({ stream });
  }

  private update(change: Partial<LiveSnapshot>): void {
    this.snap = { ...this.snap, ...change, version: this.snap.version + 1 };
    for (const listener of this.listeners) listener();
  }
}

/** The part of the snapshot an event changes, or null when it changes nothing. */
function reduce(snap: LiveSnapshot, event: LiveEvent): Partial<LiveSnapshot> | null {
  switch (event.type) {
    case 'cluster': {
      const i = snap.clusters.findIndex((c) => c.name === event.status.name);
      return {
        clusters: i === -1 ? [...snap.clusters, event.status] : snap.clusters.with(i, event.status),
      };
    }
    default:
      return null;
  }
}
