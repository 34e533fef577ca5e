import type { Job } from '../domain/job';

/** What the poller needs from the history store. Sync or async implementations both fit. */
export interface JobRepository {
  /** Jobs of the cluster that are not terminal (to reconcile after a restart). */
  activeJobs(cluster: string): Job[] | Promise<Job[]>;
  /** Write all jobs, and delete `removed` ids, in one transaction. */
  upsertJobs(jobs: readonly Job[], removed?: readonly string[]): void | Promise<void>;
  /** Scheduler ids of the cluster's jobs that reached a final state since `since`. */
  settledSchedulerIds?(cluster: string, since: Date): string[] | Promise<string[]>;
}
