import { z } from 'zod';
import { isTerminal, JobState, type Job } from '../domain/job';
import type { QueueRecord, QueueStatus } from './types';

/**
 * Reading the original ScriptHut v0.1 `job_history.json`
 * (`{version: 1, saved_at, jobs: [UnifiedJob], queues: [QueueMetadata]}`,
 * snake_case, naive datetimes). Every field is optional and unknown fields
 * are ignored; an entry that cannot become a job or queue is skipped and
 * counted, never guessed at.
 */

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null || v === '' ? null : String(v)));
const int = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v) => {
    const n = typeof v === 'string' ? Number.parseInt(v, 10) : v;
    return n == null || !Number.isFinite(n) ? null : Math.trunc(n);
  });

const LegacyJob = z.looseObject({
  id: text,
  slurm_job_id: text,
  name: text,
  user: text,
  cluster_name: text,
  state: text,
  source: text,
  partition: text,
  cpus: int,
  memory: text,
  nodes: text,
  time_used: text,
  time_limit: text,
  created_at: text,
  submit_time: text,
  start_time: text,
  finish_time: text,
  queue_id: text,
  task_id: text,
  error: text,
  last_seen: text,
});
type LegacyJob = z.infer<typeof LegacyJob>;

const LegacyQueue = z.looseObject({
  id: text,
  source_name: text,
  cluster_name: text,
  created_at: text,
  max_concurrent: int,
  log_dir: text,
  account: text,
});

export const LegacyHistoryFile = z.looseObject({
  version: z.literal(1),
  saved_at: text,
  jobs: z.array(z.unknown()).default([]),
  queues: z.array(z.unknown()).default([]),
});
export type LegacyHistoryFile = z.infer<typeof LegacyHistoryFile>;

const NAIVE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * v0.1 wrote naive datetimes. They are read as UTC: the original mixed local
 * and cluster times (trap #7), so no single zone is right for every value and
 * UTC is at least the one the new model uses. Unparseable -> null.
 */
export function legacyTime(value: string | null): string | null {
  if (value === null) return null;
  const iso = NAIVE.test(value) ? `${value.replace(' ', 'T')}Z` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const NEVER_SUBMITTED =
  'Imported from ScriptHut v0.1 before it was submitted; v0.1 did not store task commands, so it cannot be submitted.';
const UNCONFIRMED_COMPLETION =
  'Imported from ScriptHut v0.1, which marked jobs completed when they left squeue without checking accounting.';

const legacyState = (state: string | null): JobState => {
  const parsed = JobState.safeParse(state);
  return parsed.success ? parsed.data : 'unknown';
};

/** The new id scheme: `q:<queueId>:<taskId>` and `<cluster>:<schedulerJobId>`. Null when the entry lacks what it needs. */
function identify(
  raw: LegacyJob,
): Pick<Job, 'id' | 'cluster' | 'source' | 'schedulerJobId' | 'queueId' | 'taskId'> | null {
  const cluster = raw.cluster_name;
  if (cluster === null) return null;
  const isQueue =
    raw.source === 'queue' ||
    (raw.source === null && (raw.queue_id !== null || raw.id?.startsWith('q-') === true));
  if (isQueue) {
    if (raw.queue_id === null || raw.task_id === null) return null;
    return {
      id: `q:${raw.queue_id}:${raw.task_id}`,
      cluster,
      source: 'queue',
      schedulerJobId: raw.slurm_job_id,
      queueId: raw.queue_id,
      taskId: raw.task_id,
    };
  }
  const prefix = `ext-${cluster}-`;
  const schedulerJobId =
    raw.slurm_job_id ?? (raw.id?.startsWith(prefix) === true ? raw.id.slice(prefix.length) : null);
  if (schedulerJobId === null || schedulerJobId === '') return null;
  return {
    id: `${cluster}:${schedulerJobId}`,
    cluster,
    source: 'external',
    schedulerJobId,
    queueId: null,
    taskId: null,
  };
}

/**
 * One legacy job as a Job, or null to skip it. Non-terminal jobs keep their
 * state (marked stale) so the poller reconciles them; a job that was never
 * submitted becomes `unknown` because nothing could ever submit it.
 */
export function legacyJobToJob(entry: unknown, fallbackTime: string): Job | null {
  const parsed = LegacyJob.safeParse(entry);
  if (!parsed.success) return null;
  const raw = parsed.data;
  const identity = identify(raw);
  if (identity === null) return null;

  let state = legacyState(raw.state);
  let reason: string | null = null;
  if (!isTerminal(state) && identity.schedulerJobId === null) {
    state = 'unknown';
    reason = NEVER_SUBMITTED;
  } else if (state === 'completed') {
    reason = UNCONFIRMED_COMPLETION;
  }
  const finishTime = legacyTime(raw.finish_time);
  const lastSeen = legacyTime(raw.last_seen);
  const submitTime = legacyTime(raw.submit_time);
  const startTime = legacyTime(raw.start_time);
  return {
    ...identity,
    name: raw.name ?? '',
    user: raw.user ?? '',
    state,
    schedulerState: null,
    outcome: null,
    exitCode: null,
    signal: null,
    reason,
    cancelledBy: null,
    partition: raw.partition,
    cpus: raw.cpus,
    memory: raw.memory,
    nodes: raw.nodes,
    timeUsed: raw.time_used,
    timeLimit: raw.time_limit,
    workDir: null,
    command: null,
    stdoutPath: null,
    stderrPath: null,
    submitTime,
    startTime,
    finishTime,
    error: raw.error,
    arrayId: null,
    arrayTasks: null,
    arrayCounts: null,
    efficiency: null,
    lastSeen,
    stale: !isTerminal(state),
    updatedAt:
      lastSeen ??
      finishTime ??
      startTime ??
      submitTime ??
      legacyTime(raw.created_at) ??
      fallbackTime,
  };
}

/** Status from the queue's imported jobs: active while any is unfinished, failed if any did not complete. */
function deriveStatus(jobs: readonly Job[]): QueueStatus {
  if (jobs.some((job) => !isTerminal(job.state))) return 'active';
  return jobs.some((job) => job.state !== 'completed') ? 'failed' : 'completed';
}

export function legacyQueueToRecord(
  entry: unknown,
  jobs: readonly Job[],
  fallbackTime: string,
): QueueRecord | null {
  const parsed = LegacyQueue.safeParse(entry);
  if (!parsed.success) return null;
  const { id, cluster_name: cluster, ...raw } = parsed.data;
  if (id === null || cluster === null) return null;
  return {
    id,
    sourceName: raw.source_name ?? '',
    cluster,
    createdAt: legacyTime(raw.created_at) ?? fallbackTime,
    maxConcurrent: raw.max_concurrent,
    logDir: raw.log_dir ?? '',
    account: raw.account,
    status: deriveStatus(jobs.filter((job) => job.queueId === id)),
    cancelledAt: null,
    sourceCommit: null,
    error: null,
    originalId: id,
    retryOf: null,
    attempt: 1,
    origin: null,
    owner: null,
  };
}
