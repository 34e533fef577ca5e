import type { Backend } from '../backends/backend';
import type { IdentityRuntime, QueueSupport } from '../backends/cluster-runtime';
import type { Job } from '../domain/job';

/** What the queue manager needs of a cluster's monitor. */
export interface TaskMonitor {
  /** Registers a ScriptHut-submitted job so polls reconcile it to its real final state. */
  track(job: Job): Promise<void>;
  /** track() for many jobs at once (one store write); monitors without it get one track() per job. */
  trackMany?(jobs: readonly Job[]): Promise<void>;
  requestRefresh(): unknown;
  /** The cluster as its last poll found it; `lastPollAt` null: not polled yet. */
  status(): { healthy: boolean; lastPollAt: string | null; lastError: string | null };
}

/** One cluster as the queue manager sees it. */
export interface QueueCluster {
  name: string;
  backend: Backend;
  /** What this kind of cluster brings to queues (task-source runner, script renderer, task fields, log directory). */
  support: QueueSupport;
  monitor: TaskMonitor;
  /** Owner recorded on job rows (the SSH or local user). */
  user: string | null;
  /** The cluster through ScriptHut user `user`'s own login; null (or absent) when they have none there. */
  identity?: (user: string) => IdentityRuntime | null;
}

/**
 * The cluster as a queue owned by `owner` uses it: through the owner's own
 * login when they have one there (task source, home, submissions, cancels
 * run as them), else through the shared account.
 */
export function asOwner(cluster: QueueCluster, owner: string | null): QueueCluster {
  const own = owner === null ? null : (cluster.identity?.(owner) ?? null);
  if (own === null) return cluster;
  return { name: cluster.name, monitor: cluster.monitor, backend: own.backend, support: own.queues, user: own.user };
}
