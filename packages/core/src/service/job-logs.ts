import { expandOutputPath } from '../backends/slurm/expand-output-path';
import { isTerminal, type Job } from '../domain/job';
import type { LogChunk, LogKind } from '../queue/queue-types';
import { followLog, tailLog } from '../queue/task-logs';
import type { Clock } from '../runtime/clock';
import type { CommandRunner } from '../runtime/command-runner';

/** A job's log as the dashboard shows it. */
export interface JobLog {
  jobId: string;
  kind: LogKind;
  /** The file read, or null when it cannot be known (see `unavailable`). */
  path: string | null;
  exists: boolean;
  content: string;
  /** Why there is no log to show, in words; null when `path` is known. */
  unavailable: string | null;
}

const DEFAULT_TAIL_LINES = 200;

/**
 * The log file of a job, from what the scheduler reported for it (never from
 * the request). stderr defaults to stdout, as in sbatch.
 */
export function jobLogPath(job: Job, kind: LogKind): { ok: true; path: string } | { ok: false; reason: string } {
  const pattern = kind === 'error' ? (job.stderrPath ?? job.stdoutPath) : job.stdoutPath;
  if (pattern === null) {
    return { ok: false, reason: 'The scheduler reported no output file for this job (it may have ended before ScriptHut first saw it).' };
  }
  const node = job.nodes !== null && /^[A-Za-z0-9._-]+$/.test(job.nodes) ? job.nodes : null;
  return expandOutputPath(pattern, { schedulerJobId: job.schedulerJobId ?? '', user: job.user, name: job.name, node });
}

export async function readJobLog(runner: CommandRunner, job: Job, kind: LogKind, tail?: number): Promise<JobLog> {
  const target = jobLogPath(job, kind);
  if (!target.ok) return { jobId: job.id, kind, path: null, exists: false, content: '', unavailable: target.reason };
  const read = await tailLog(runner, target.path, tail ?? DEFAULT_TAIL_LINES, job.user);
  return { jobId: job.id, kind, path: target.path, ...read, unavailable: null };
}

export async function* followJobLog(
  runner: CommandRunner,
  job: Job,
  kind: LogKind,
  o: { clock: Clock; current: () => Promise<Job | null>; signal?: AbortSignal; fromOffset?: number },
): AsyncGenerator<LogChunk> {
  const target = jobLogPath(job, kind);
  if (!target.ok) {
    yield { kind: 'end', reason: target.reason };
    return;
  }
  let latest: Job | null = job;
  const chunks = followLog(runner, target.path, {
    clock: o.clock,
    owner: job.user,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.fromOffset !== undefined ? { fromOffset: o.fromOffset } : {}),
    finished: () => {
      void o.current().then((j) => (latest = j));
      const done = latest === null || isTerminal(latest.state) || latest.state === 'finishing';
      return { done, reason: latest === null ? 'the job is no longer known' : `the job is ${latest.state}` };
    },
  });
  yield* chunks;
}
