import type { StreamMessage } from '@scripthut/api';
import type { ClusterStatus, Job } from '@scripthut/core/domain';

/** One event of the server's multiplexed stream. Kinds this store does not hold (queues) are ignored. */
export type LiveEvent = Extract<StreamMessage, { kind: 'event' }>['event'];

/**
 * `connecting`: never connected yet. `live`: the stream is open.
 * `reconnecting`: it was open (or tried) and is being re-established.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting';

export type LoadPhase =
  { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

export interface LiveSnapshot {
  /** All jobs known to the browser, by id. Replaced (never mutated) on change. */
  jobs: ReadonlyMap<string, Job>;
  /** Total the server reported on the last full load; more than `jobs.size` when the list was capped. */
  serverTotal: number;
  /** Clusters in configuration order. */
  clusters: readonly ClusterStatus[];
  phase: LoadPhase;
  stream: StreamState;
  /** Bumps on every change; cheap identity for memoisation. */
  version: number;
}

const EMPTY: LiveSnapshot = {
  jobs: new Map(),
  serverTotal: 0,
  clusters: [],
  phase: { kind: 'loading' },
  stream: 'connecting',
  version: 0,
};

/** True when `incoming` is at least as new as `current` (ISO UTC strings compare lexically). */
const isNewer = (incoming: Job, current: Job | undefined): boolean =>
  current === undefined || incoming.updatedAt >= current.updatedAt;

/**
 * The browser's copy of jobs and clusters: a full load, then diffs from the
 * event stream. Framework-free; React reads it through useSyncExternalStore.
 * Events that arrive while a full load is in flight are held and applied on
 * top of it; an upsert never replaces a newer copy of the same job, so a
 * held event that the loaded list already includes cannot roll it back.
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

  loaded(jobs: readonly Job[], serverTotal: number, clusters: readonly ClusterStatus[]): void {
    const map = new Map<string, Job>();
    for (const job of jobs) map.set(job.id, job);
    const held = this.held ?? [];
    this.held = null;
    let next: Partial<LiveSnapshot> = {
      jobs: map,
      serverTotal,
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
   * Every stream event as it arrives (also during a reload), for pages that
   * keep their own copy of something this store does not hold (git sources).
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
    case 'jobs':
      return reduceJobs(snap, event);
    default:
      return null;
  }
}

function reduceJobs(
  snap: LiveSnapshot,
  event: Extract<LiveEvent, { type: 'jobs' }>,
): Partial<LiveSnapshot> | null {
  const fresh = event.upserted.filter((job) => isNewer(job, snap.jobs.get(job.id)));
  const gone = event.removed.filter((id) => snap.jobs.has(id));
  if (fresh.length === 0 && gone.length === 0) return null;
  const jobs = new Map(snap.jobs);
  for (const job of fresh) jobs.set(job.id, job);
  for (const id of gone) jobs.delete(id);
  return { jobs };
}
