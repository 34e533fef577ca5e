import type { Job, JobOutcome, JobState } from '../domain/job';
import type { QueueRecord, QueueStatus, TaskRecord } from './types';

/** A job as it was before a write (null: the write created it) and as written. */
export interface JobTransition {
  previous: { state: JobState; outcome: JobOutcome | null; reason: string | null } | null;
  job: Job;
}

/**
 * Observers called inside the write transaction of the change they observe,
 * after the rows are written, so whatever they write through the store (the
 * notification outbox) commits or rolls back together with that change. An
 * observer that throws rolls the write back: keep them small and total.
 */
export interface StoreWriteHooks {
  /** Every job of an `upsertJobs` call (and of a submission outcome that carries a job). */
  jobsWritten?(transitions: readonly JobTransition[]): Promise<void> | void;
  /** `updateQueue` changed the status; `tasks` as stored in the same transaction. */
  queueStatusChanged?(
    queue: QueueRecord,
    previous: QueueStatus,
    tasks: readonly TaskRecord[],
  ): Promise<void> | void;
}

/** The store's one hook slot, shared by its query modules through the StoreContext. */
export interface HookSlot {
  current: StoreWriteHooks | null;
}
