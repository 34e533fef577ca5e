import type { Clock } from '../../runtime/clock';
import type { CommandRunner } from '../../runtime/command-runner';
import type { JobLogs, LogChunk, LogKind, LogRead, LogSubject } from '../backend';
import { LOG_LIMITS } from '../log-limits';
import { followLog, readWholeLog, tailLog } from './file-log-reads';

/** The file a job's log is in, or why it cannot be known. */
export type LocateLog = (
  job: LogSubject,
  kind: LogKind,
) => { ok: true; path: string } | { ok: false; reason: string };

/** stderr defaults to stdout, as in sbatch; paths are used as recorded. */
export const recordedLogPath: LocateLog = (job, kind) => {
  const path = kind === 'error' ? (job.stderrPath ?? job.stdoutPath) : job.stdoutPath;
  return path === null
    ? {
        ok: false,
        reason:
          'The scheduler reported no output file for this job (it may have ended before ScriptHut first saw it).',
      }
    : { ok: true, path };
};

/**
 * Logs of backends whose jobs write files (Slurm, local): read over the
 * backend's CommandRunner where the files are. The file must be a regular
 * file; for jobs ScriptHut did not submit, one owned by the job's user.
 */
export class FileLogs implements JobLogs {
  constructor(
    private readonly runner: CommandRunner,
    private readonly locate: LocateLog = recordedLogPath,
  ) {}

  async tail(job: LogSubject, kind: LogKind, lines: number): Promise<LogRead> {
    const target = this.locate(job, kind);
    if (!target.ok) return { available: false, reason: target.reason };
    const read = await tailLog(this.runner, target.path, lines, owner(job));
    return {
      available: true,
      location: target.path,
      exists: read.exists,
      content: read.content,
      cursor: read.size === undefined ? null : String(read.size),
    };
  }

  async download(job: LogSubject, kind: LogKind): Promise<LogRead> {
    const target = this.locate(job, kind);
    if (!target.ok) return { available: false, reason: target.reason };
    const read = await readWholeLog(this.runner, target.path);
    return {
      available: true,
      location: target.path,
      exists: read.exists,
      content: read.content,
      cursor: read.size === undefined ? null : String(read.size),
    };
  }

  async *follow(
    job: LogSubject,
    kind: LogKind,
    o: { clock: Clock; from: string | null; signal?: AbortSignal },
  ): AsyncGenerator<LogChunk> {
    const target = this.locate(job, kind);
    if (!target.ok) {
      yield { kind: 'end', reason: target.reason };
      return;
    }
    const fromOffset = o.from !== null && /^\d{1,15}$/.test(o.from) ? Number(o.from) : 0;
    let finished = false;
    yield* followLog(this.runner, target.path, {
      clock: o.clock,
      fromOffset,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(owner(job) === undefined ? {} : { owner: owner(job)! }),
      finished: () => {
        void Promise.resolve(job.finished()).then((done) => (finished = done));
        return { done: finished, reason: 'the job has ended' };
      },
    });
  }
}

const owner = (job: LogSubject): string | undefined =>
  job.submittedByScripthut ? undefined : job.user;

export { LOG_LIMITS };
