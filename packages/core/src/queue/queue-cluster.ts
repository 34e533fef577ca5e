import type { Backend } from '../backends/backend';
import type { QueueSupport } from '../backends/cluster-runtime';
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
}
