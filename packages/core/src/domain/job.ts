import { z } from 'zod';

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
    lastSeen: null,
    stale: false,
    ...fields,
  };
}
