import { z } from 'zod';
import { JobSource, JobState, type Job } from '../domain/job';
import type { AttemptOrigin } from '../domain/retry';

export const JOB_SORT_FIELDS = [
  'submitTime',
  'startTime',
  'finishTime',
  'name',
  'user',
  'state',
  'cluster',
  'schedulerJobId',
  'updatedAt',
  'cpuEfficiency',
  'memoryEfficiency',
  'maxRss',
  'source',
  'partition',
  'cpus',
  'timeUsed',
  'exit',
  'lifecycle',
  'jobNumber',
] as const;
export const JobSortField = z.enum(JOB_SORT_FIELDS);
export type JobSortField = z.infer<typeof JobSortField>;

/** A cluster and the user whose jobs "my jobs" means there. */
export const JobOwner = z.object({ cluster: z.string(), user: z.string() });
export type JobOwner = z.infer<typeof JobOwner>;

/**
 * One page of the job list. Filters combine with AND; `text` is split on
 * white space and every word must be a case-insensitive substring of one of
 * name, id, scheduler id, user, cluster, partition, nodes, queue id, state or
 * reason. `owners` keeps the jobs of any of the (cluster, user) pairs; an
 * empty list matches nothing. Ordering: the sort field with nulls last in
 * both directions, then id in the same direction, so paging is stable (`timeUsed` orders Slurm's
 * `[D-][HH:]MM:SS` by length, then text; `source` by source, then queue id;
 * `exit` by exit code, then reason; `lifecycle` by state in lifecycle order,
 * pending first; `jobNumber` by scheduler id as a number, so 9 before 10).
 *
 * Arrays: `grouped` (the default) lists an array as its own row (counts,
 * aggregate state and efficiency) in place of its tasks, so paging and
 * sorting count arrays as one job; `tasks` lists every task and pending
 * range and no array rows (what the poller reconciles). `arrayId` lists the
 * tasks of one array, whatever `arrays` says.
 */
export const ListJobsQuery = z.object({
  cluster: z.string().optional(),
  states: z.array(JobState).optional(),
  user: z.string().optional(),
  owners: z.array(JobOwner).optional(),
  queueId: z.string().optional(),
  text: z.string().optional(),
  source: JobSource.optional(),
  arrays: z.enum(['grouped', 'tasks']).default('grouped'),
  arrayId: z.string().optional(),
  sort: z
    .object({ field: JobSortField, dir: z.enum(['asc', 'desc']) })
    .default({ field: 'submitTime', dir: 'desc' }),
  limit: z.number().int().min(1).default(100),
  offset: z.number().int().min(0).default(0),
});
export type ListJobsQuery = z.input<typeof ListJobsQuery>;

export interface JobPage {
  jobs: Job[];
  /** Rows matching the filters, ignoring limit/offset. */
  total: number;
}

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** `active` until the queue manager decides otherwise; the store never derives it. */
export type QueueStatus = 'active' | 'completed' | 'failed' | 'cancelled';

export interface QueueRecord {
  id: string;
  sourceName: string;
  cluster: string;
  createdAt: string;
  /** Null: only the cluster's own cap applies. */
  maxConcurrent: number | null;
  logDir: string;
  account: string | null;
  status: QueueStatus;
  cancelledAt: string | null;
  /** Git commit the task source was read at; null for non-git sources. */
  sourceCommit: string | null;
  error: string | null;
  /** Id of the family's first attempt; the queue's own id when it is one. */
  originalId: string;
  /** The queue this attempt was made from; null for a first attempt. */
  retryOf: string | null;
  /** 1 for a first attempt, then 2, 3… within the family. */
  attempt: number;
  /** What this attempt repeats; null for a first attempt. */
  origin: AttemptOrigin | null;
  /** The ScriptHut user who started the family; null: the shared account (or before named users, schema v10). */
  owner: string | null;
}

/**
 * A task's place in its queue's lifecycle. `submitting` means an intent is
 * recorded and its outcome is not; the job states take over once submitted.
 */
export type TaskState = JobState | 'submitting' | 'cancelled' | 'skipped';
/** Tasks still waiting for the queue manager; a queue holding any is never pruned. */
export const WAITING_TASK_STATES: readonly TaskState[] = ['pending', 'submitting'];

export interface TaskRecord {
  queueId: string;
  taskId: string;
  /** Order within the queue, from 0. */
  position: number;
  name: string;
  /** The task exactly as the source gave it (command, working_dir, partition…); the queue manager owns its schema. */
  spec: JsonObject;
  /** Rendered job script; null until rendered. */
  script: string | null;
  state: TaskState;
  /** The task's row in `jobs` once one exists. */
  jobId: string | null;
  /** Ids of tasks of the same queue that must complete first. */
  dependsOn: string[];
  /** Why the task ended without a job of its own (skipped); null otherwise. */
  reason: string | null;
}

/** A first attempt unless `originalId`, `retryOf`, `attempt` and `origin` say otherwise. */
export type NewQueue = Omit<
  QueueRecord,
  'status' | 'cancelledAt' | 'error' | 'originalId' | 'retryOf' | 'attempt' | 'origin' | 'owner'
> &
  Partial<Pick<QueueRecord, 'status' | 'originalId' | 'retryOf' | 'attempt' | 'origin' | 'owner'>>;
export type NewTask = Omit<TaskRecord, 'queueId' | 'state' | 'jobId' | 'dependsOn' | 'reason'> &
  Partial<Pick<TaskRecord, 'state' | 'jobId' | 'dependsOn' | 'reason'>>;

export interface QueueWithTasks {
  queue: QueueRecord;
  /** Ordered by position. */
  tasks: TaskRecord[];
}

export type QueuePatch = Partial<
  Pick<QueueRecord, 'status' | 'cancelledAt' | 'error' | 'sourceCommit'>
>;
export type TaskPatch = Partial<Pick<TaskRecord, 'state' | 'jobId' | 'script' | 'reason'>>;

/**
 * - `intent`: recorded before the scheduler is asked; the only state written before submit.
 * - `submitted` / `rejected`: the scheduler answered.
 * - `unknown`: it did not answer in time; the job may exist and must be looked up by tag.
 */
export type SubmissionState = 'intent' | 'submitted' | 'rejected' | 'unknown';

export interface SubmissionRecord {
  id: string;
  queueId: string;
  taskId: string;
  /** Unique; also given to the scheduler so the job can be found after a crash. */
  tag: string;
  cluster: string;
  state: SubmissionState;
  schedulerJobId: string | null;
  message: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SubmissionIntent {
  queueId: string;
  taskId: string;
  tag: string;
  cluster: string;
}

export interface SubmissionOutcome {
  tag: string;
  state: Exclude<SubmissionState, 'intent'>;
  schedulerJobId?: string | null;
  message?: string | null;
  /** Job row to write in the same transaction; the task is linked to it. */
  job?: Job;
}
