import {
  ArrayCounts,
  isTerminal,
  type Job,
  type JobOutcome,
  type JobSource,
  type JobState,
} from '../domain/job';
import { CoreError } from '../runtime/errors';
import type { JobRow } from './schema';

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * Canonical `toISOString()` form of a timestamp, so that text order in the
 * database is time order. A time without an explicit zone is refused rather
 * than read as server-local time.
 */
export function canonicalTime(value: string, what: string): string {
  // Fast path for what the backends produce; a poll converts tens of thousands of times.
  if (CANONICAL_TIME.test(value)) return value;
  const ms = EXPLICIT_ZONE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CoreError(
      'INVALID_INPUT',
      `${what}: "${value}" is not an ISO-8601 time with a zone`,
      { value },
    );
  }
  return new Date(ms).toISOString();
}

const optionalTime = (value: string | null, what: string): string | null =>
  value === null ? null : canonicalTime(value, what);

export function jobToRow(job: Job): JobRow {
  const at = (field: string): string => `job ${job.id} ${field}`;
  const finishTime = optionalTime(job.finishTime, at('finishTime'));
  const updatedAt = canonicalTime(job.updatedAt, at('updatedAt'));
  return {
    id: job.id,
    cluster: job.cluster,
    scheduler_job_id: job.schedulerJobId,
    name: job.name,
    user: job.user,
    state: job.state,
    scheduler_state: job.schedulerState,
    outcome: job.outcome,
    exit_code: job.exitCode,
    signal: job.signal,
    reason: job.reason,
    cancelled_by: job.cancelledBy,
    source: job.source,
    partition: job.partition,
    cpus: job.cpus,
    memory: job.memory,
    nodes: job.nodes,
    time_used: job.timeUsed,
    time_limit: job.timeLimit,
    work_dir: job.workDir,
    command: job.command,
    stdout_path: job.stdoutPath,
    stderr_path: job.stderrPath,
    submit_time: optionalTime(job.submitTime, at('submitTime')),
    start_time: optionalTime(job.startTime, at('startTime')),
    finish_time: finishTime,
    queue_id: job.queueId,
    task_id: job.taskId,
    error: job.error,
    last_seen: optionalTime(job.lastSeen, at('lastSeen')),
    stale: job.stale ? 1 : 0,
    updated_at: updatedAt,
    finished_at: isTerminal(job.state) ? (finishTime ?? updatedAt) : null,
    array_id: job.arrayId,
    array_tasks: job.arrayTasks,
    array_counts: job.arrayCounts === null ? null : JSON.stringify(job.arrayCounts),
    cpu_seconds: job.efficiency?.cpuSeconds ?? null,
    elapsed_seconds: job.efficiency?.elapsedSeconds ?? null,
    alloc_cpus: job.efficiency?.allocCpus ?? null,
    cpu_efficiency: job.efficiency?.cpuEfficiency ?? null,
    max_rss_bytes: job.efficiency?.maxRssBytes ?? null,
    requested_memory_bytes: job.efficiency?.requestedMemoryBytes ?? null,
    memory_efficiency: job.efficiency?.memoryEfficiency ?? null,
  };
}

/** Every column, in a fixed order: `jobToRow` builds complete rows, so one row's keys are all of them. */
export const jobColumns = (row: JobRow): Array<keyof JobRow> =>
  Object.keys(row) as Array<keyof JobRow>;

/** Rows are only ever written by `jobToRow`, so the text columns hold valid enum values. */
export function rowToJob(row: JobRow): Job {
  return {
    id: row.id,
    cluster: row.cluster,
    schedulerJobId: row.scheduler_job_id,
    name: row.name,
    user: row.user,
    state: row.state as JobState,
    schedulerState: row.scheduler_state,
    outcome: row.outcome as JobOutcome | null,
    exitCode: row.exit_code,
    signal: row.signal,
    reason: row.reason,
    cancelledBy: row.cancelled_by,
    source: row.source as JobSource,
    partition: row.partition,
    cpus: row.cpus,
    memory: row.memory,
    nodes: row.nodes,
    timeUsed: row.time_used,
    timeLimit: row.time_limit,
    workDir: row.work_dir,
    command: row.command,
    stdoutPath: row.stdout_path,
    stderrPath: row.stderr_path,
    submitTime: row.submit_time,
    startTime: row.start_time,
    finishTime: row.finish_time,
    queueId: row.queue_id,
    taskId: row.task_id,
    error: row.error,
    lastSeen: row.last_seen,
    stale: row.stale !== 0,
    updatedAt: row.updated_at,
    arrayId: row.array_id,
    arrayTasks: row.array_tasks,
    arrayCounts: row.array_counts === null ? null : ArrayCounts.parse(JSON.parse(row.array_counts)),
    efficiency: rowEfficiency(row),
  };
}

/** Null when the row has no efficiency figure at all (a job that has not finished, or never ran). */
function rowEfficiency(row: JobRow): Job['efficiency'] {
  const efficiency = {
    cpuSeconds: row.cpu_seconds,
    elapsedSeconds: row.elapsed_seconds,
    allocCpus: row.alloc_cpus,
    cpuEfficiency: row.cpu_efficiency,
    maxRssBytes: row.max_rss_bytes,
    requestedMemoryBytes: row.requested_memory_bytes,
    memoryEfficiency: row.memory_efficiency,
  };
  return Object.values(efficiency).every((v) => v === null) ? null : efficiency;
}
