import type { Job } from '../domain/job';

/** Rows a repository derived during a write: written (`upserted`) and deleted (`removed`) ids. */
export interface DerivedJobs {
  upserted: readonly Job[];
  removed: readonly string[];
}

/** What the poller needs from the history store. Sync or async implementations both fit. */
export interface JobRepository {
  /** Jobs of the cluster that are not terminal (to reconcile after a restart). */
  activeJobs(cluster: string): Job[] | Promise<Job[]>;
  /**
   * Write all jobs, and delete `removed` ids, in one transaction. May return
   * rows it derived from them (arrays' own rows), which are published too.
   */
  upsertJobs(
    jobs: readonly Job[],
    removed?: readonly string[],
  ): void | DerivedJobs | Promise<void | DerivedJobs>;
  /** Scheduler ids of the cluster's jobs that reached a final state since `since`. */
  settledSchedulerIds?(cluster: string, since: Date): string[] | Promise<string[]>;
}
