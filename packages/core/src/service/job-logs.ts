import type { Backend, LogChunk, LogKind, LogRead, LogSubject } from '../backends/backend';
import { isTerminal, type Job } from '../domain/job';
import type { Clock } from '../runtime/clock';
import { CoreError } from '../runtime/errors';

/** A job's log as the dashboard shows it (jobs and queue tasks alike). */
export interface JobLog {
  jobId: string;
  kind: LogKind;
  /** Where it was read (a file path, `group:stream`), or null when it cannot be known (see `unavailable`). */
  path: string | null;
  /** False: the file or stream does not exist (yet); distinct from an empty one. */
  exists: boolean;
  content: string;
  /** Why there is no log to show, in words; null when `path` is known. */
  unavailable: string | null;
  /** Where a follow continues after `content`, so nothing is shown twice; null: from the start. */
  cursor: string | null;
  /** True when `content` is only the last lines. */
  partial: boolean;
}

export const DEFAULT_TAIL_LINES = 200;

/**
 * The one place logs are read: through the job's backend (files over its
 * runner, CloudWatch…), from what the scheduler reported for the job, never
 * from the request.
 */
export async function readJobLog(
  backend: Backend,
  job: Job,
  kind: LogKind,
  o: { tail?: number; whole?: boolean } = {},
): Promise<JobLog> {
  const logs = backend.logs;
  if (!logs)
    return unavailable(job, kind, `${backend.kind} clusters keep no logs ScriptHut can read`);
  const subject = logSubject(job, () => Promise.resolve(true));
  const read = o.whole
    ? await logs.download(subject, kind)
    : await logs.tail(subject, kind, o.tail ?? DEFAULT_TAIL_LINES);
  return fromRead(job, kind, read, !o.whole);
}

/**
 * Appended text while the job runs, from `from` (a cursor of a read or chunk;
 * null: the start); ends once the job has ended and its log stopped growing.
 * `current` reads the job's latest state (the poller updates it).
 */
export async function* followJobLog(
  backend: Backend,
  job: Job,
  kind: LogKind,
  o: {
    clock: Clock;
    current: () => Promise<Job | null>;
    from: string | null;
    signal?: AbortSignal;
  },
): AsyncGenerator<LogChunk> {
  const logs = backend.logs;
  if (!logs) {
    yield { kind: 'end', reason: `${backend.kind} clusters keep no logs ScriptHut can read` };
    return;
  }
  let latest: Job | null = job;
  const subject = logSubject(job, async () => {
    latest = await o.current();
    return latest === null || isTerminal(latest.state) || latest.state === 'finishing';
  });
  for await (const chunk of logs.follow(subject, kind, {
    clock: o.clock,
    from: o.from,
    ...(o.signal ? { signal: o.signal } : {}),
  })) {
    if (chunk.kind !== 'end') yield chunk;
    else
      yield {
        kind: 'end',
        reason: latest === null ? 'the job is no longer known' : `the job is ${latest.state}`,
      };
  }
}

export function requireJob(job: Job | null, id: string): Job {
  if (!job) throw new CoreError('NOT_FOUND', `No job with id ${id}`);
  return job;
}

function logSubject(job: Job, finished: () => Promise<boolean>): LogSubject {
  return {
    schedulerJobId: job.schedulerJobId,
    name: job.name,
    user: job.user,
    nodes: job.nodes,
    submittedByScripthut: job.source === 'queue',
    stdoutPath: job.stdoutPath,
    stderrPath: job.stderrPath,
    finished,
  };
}

function fromRead(job: Job, kind: LogKind, read: LogRead, partial: boolean): JobLog {
  if (!read.available) return unavailable(job, kind, read.reason);
  return {
    jobId: job.id,
    kind,
    path: read.location,
    exists: read.exists,
    content: read.content,
    unavailable: null,
    cursor: read.cursor,
    partial,
  };
}

const unavailable = (job: Job, kind: LogKind, reason: string): JobLog => ({
  jobId: job.id,
  kind,
  path: null,
  exists: false,
  content: '',
  unavailable: reason,
  cursor: null,
  partial: false,
});
