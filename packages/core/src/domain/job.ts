import { z } from 'zod';
import { JobEfficiency } from './efficiency';

/**
 * Lifecycle state of a job as the dashboard shows it. The seed's five states
 * plus two that keep the dashboard honest:
 * - `finishing`: the job left the scheduler's active queue and its final state
 *   has not been confirmed by accounting yet. Never shown as success.
 * - `unknown`: the scheduler has no record of the job (lost), or reported a
 *   raw state we cannot map. `outcome`/`reason` say which.
 */
export const JobState = z.enum([
  'pending',
  'submitted',
  'running',
  'finishing',
  'completed',
  'failed',
  'unknown',
]);
export type JobState = z.infer<typeof JobState>;

export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set([
  'completed',
  'failed',
  'unknown',
]);
export const isTerminal = (state: JobState): boolean => TERMINAL_JOB_STATES.has(state);

/**
 * How a job ended, in the scheduler-neutral vocabulary. `LOST` means neither
 * the live queue nor accounting knew the job for long enough.
 */
export const JobOutcome = z.enum([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
  'LOST',
]);
export type JobOutcome = z.infer<typeof JobOutcome>;

/** Outcomes that count as success. Everything else is a failure of some kind. */
export const outcomeToState = (outcome: JobOutcome): JobState =>
  outcome === 'COMPLETED' ? 'completed' : outcome === 'LOST' ? 'unknown' : 'failed';

export const JobSource = z.enum(['queue', 'external']);
export type JobSource = z.infer<typeof JobSource>;

/**
 * An array's tasks by state, as its own row counts them: a pending range
 * (`123_[5-20%4]`) counts as the tasks it holds. `cancelled` is the part of
 * `failed` that was cancelled, so a cancelled array does not read as failed.
 */
export const ArrayCounts = z.object({
  ...(Object.fromEntries(
    JobState.options.map((s) => [s, z.number().int().nonnegative()]),
  ) as Record<JobState, z.ZodNumber>),
  cancelled: z.number().int().nonnegative(),
});
export type ArrayCounts = z.infer<typeof ArrayCounts>;

/** ISO-8601 UTC timestamp string (always with `Z`). */
export const IsoTime = z.string();

/** The unified job model shared by external and ScriptHut-submitted jobs. */
export const Job = z.object({
  /** Stable id: `<cluster>:<schedulerJobId>` for external jobs, `q:<queueId>:<taskId>` for queue tasks. */
  id: z.string(),
  cluster: z.string(),
  /** Scheduler's id (`123`, `123_4` for an array task). Null before submission. */
  schedulerJobId: z.string().nullable(),
  name: z.string(),
  user: z.string(),
  state: JobState,
  /** Raw scheduler state text as last seen (`PENDING`, `CANCELLED by 1001`, `OUT_OF_MEMORY`). */
  schedulerState: z.string().nullable(),
  outcome: JobOutcome.nullable(),
  exitCode: z.number().int().nullable(),
  /** Signal that killed the job, if any (sacct `ExitCode` `0:9` -> 9). */
  signal: z.number().int().nullable(),
  /** Pending reason (Priority, Resources, JobHeldUser…) or the reason a job failed/was lost. */
  reason: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  source: JobSource,
  partition: z.string().nullable(),
  cpus: z.number().int().nullable(),
  memory: z.string().nullable(),
  nodes: z.string().nullable(),
  timeUsed: z.string().nullable(),
  timeLimit: z.string().nullable(),
  workDir: z.string().nullable(),
  command: z.string().nullable(),
  stdoutPath: z.string().nullable(),
  stderrPath: z.string().nullable(),
  submitTime: IsoTime.nullable(),
  startTime: IsoTime.nullable(),
  finishTime: IsoTime.nullable(),
  queueId: z.string().nullable(),
  taskId: z.string().nullable(),
  error: z.string().nullable(),
  /**
   * For a task of a scheduler array, or a pending range of its tasks: the id
   * of the array's own row (`arrayRowId`). Null on every other row.
   */
  arrayId: z.string().nullable(),
  /**
   * How many tasks the row stands for: 1 for an array task, the size of a
   * pending range (`123_[5-20%4]` -> 16), all of them on the array's own row.
   * Null outside arrays.
   */
  arrayTasks: z.number().int().nonnegative().nullable(),
  /** On an array's own row only: its tasks by state. Null on every other row. */
  arrayCounts: ArrayCounts.nullable(),
  /** Finished jobs: what they used of what they asked (see JobEfficiency). */
  efficiency: JobEfficiency.nullable(),
  /** Last time the scheduler listed this job in its live queue. */
  lastSeen: IsoTime.nullable(),
  /** True when the last poll of its cluster failed: the state shown is the last known one. */
  stale: z.boolean(),
  updatedAt: IsoTime,
});
export type Job = z.infer<typeof Job>;

/** The fields every job has from the start; everything else starts unknown (null). */
export type NewJobFields = Pick<
  Job,
  'id' | 'cluster' | 'name' | 'user' | 'state' | 'source' | 'updatedAt'
> &
  Partial<Job>;

/** A complete Job from its known fields, the rest null (and not stale). */
export function newJob(fields: NewJobFields): Job {
  return {
    schedulerJobId: null,
    schedulerState: null,
    outcome: null,
    exitCode: null,
    signal: null,
    reason: null,
    cancelledBy: null,
    partition: null,
    cpus: null,
    memory: null,
    nodes: null,
    timeUsed: null,
    timeLimit: null,
    workDir: null,
    command: null,
    stdoutPath: null,
    stderrPath: null,
    submitTime: null,
    startTime: null,
    finishTime: null,
    queueId: null,
    taskId: null,
    error: null,
    arrayId: null,
    arrayTasks: null,
    arrayCounts: null,
    efficiency: null,
    lastSeen: null,
    stale: false,
    ...fields,
  };
}

/**
 * Id of an array's own row: `<cluster>:<array job id>_*`. Distinct from
 * `<cluster>:<id>`, which Slurm uses for the array's pending remainder once
 * it is cancelled (squeue then lists it by the bare array id).
 */
export const arrayRowId = (cluster: string, arrayJobId: string): string =>
  `${cluster}:${arrayJobId}_*`;

/** True for an array's own row (it has counts); false for its tasks and every other job. */
export const isArrayRow = (job: Pick<Job, 'arrayCounts'>): boolean => job.arrayCounts !== null;
