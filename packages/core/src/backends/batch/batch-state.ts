import type { JobState } from '../../domain/job';

/** Every AWS Batch job status (model `JobStatus`). */
export const BATCH_STATUSES = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** The statuses ListJobs is asked for on every poll: all but the two final ones. */
export const LIVE_BATCH_STATUSES = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
] as const satisfies readonly BatchStatus[];

/**
 * Raw Batch status -> dashboard state. Choices:
 * - SUBMITTED, PENDING (dependencies, array parents), RUNNABLE (waiting for
 *   capacity, possibly forever) -> `submitted`: queued at the scheduler;
 * - STARTING (image pull) and RUNNING -> `running`;
 * - SUCCEEDED -> `finishing`, not `completed`: only the final report decides
 *   (an OutOfMemoryError can come with exit 0);
 * - FAILED -> `failed`: no later record turns it into a success.
 * A job between attempts is back in RUNNABLE, so it is never final.
 */
export const BATCH_STATUS_TO_JOB_STATE = {
  SUBMITTED: 'submitted',
  PENDING: 'submitted',
  RUNNABLE: 'submitted',
  STARTING: 'running',
  RUNNING: 'running',
  SUCCEEDED: 'finishing',
  FAILED: 'failed',
} as const satisfies Record<BatchStatus, JobState>;

const KNOWN = new Set<string>(BATCH_STATUSES);
export const isBatchStatus = (raw: string | undefined): raw is BatchStatus =>
  raw !== undefined && KNOWN.has(raw);

/** Dashboard state of raw status text; `unknown` for text that is no Batch status. */
export function batchJobStateOf(raw: string | undefined): JobState {
  return isBatchStatus(raw) ? BATCH_STATUS_TO_JOB_STATE[raw] : 'unknown';
}
