import type { Backend, SubmitSpec } from '../backends/backend';
import type { Job } from '../domain/job';
import type { CommandRunner } from '../runtime/command-runner';
import type { ClusterSubmitSettings } from './task-record';

/** Renders the job script a backend will run for a spec; each backend brings its own. Pure. */
export type ScriptRenderer = (spec: SubmitSpec) => string;

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
  /** Runs task-source commands and reads logs on the cluster; null: not available (tasks sources on it fail clearly). */
  runner: CommandRunner | null;
  /** Null: this cluster cannot take queues yet. */
  renderScript: ScriptRenderer | null;
  monitor: TaskMonitor;
  settings: ClusterSubmitSettings;
  /** Most ScriptHut tasks in flight at once on the cluster, across queues; null: no cap. */
  maxConcurrent: number | null;
  /** Owner recorded on job rows (the SSH or local user). */
  user: string | null;
}
