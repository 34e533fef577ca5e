import type { Clock } from '../../runtime/clock';
import type { JobLogs, LogChunk, LogKind, LogRead, LogSubject } from '../backend';

/** Where a job's log stream is: `group:stream`, or why there is none (no awslogs driver…); null: not known yet. */
export type EcsLogPlace = { ok: true; location: string } | { ok: false; reason: string } | null;

/**
 * CloudWatch logs of ECS tasks: the stored location when the poll saw one,
 * else one computed from the task and its definition, and a plain reason
 * when the definition does not log to CloudWatch with a stream prefix.
 */
export class EcsLogs implements JobLogs {
  constructor(
    private readonly cloudWatch: JobLogs,
    private readonly locate: (job: LogSubject, signal?: AbortSignal) => Promise<EcsLogPlace>,
  ) {}

  async tail(
    job: LogSubject,
    kind: LogKind,
    lines: number,
    signal?: AbortSignal,
  ): Promise<LogRead> {
    const r = await this.resolve(job, kind, signal);
    return 'refused' in r ? r.refused : this.cloudWatch.tail(r.job, kind, lines, signal);
  }

  async download(job: LogSubject, kind: LogKind, signal?: AbortSignal): Promise<LogRead> {
    const r = await this.resolve(job, kind, signal);
    return 'refused' in r ? r.refused : this.cloudWatch.download(r.job, kind, signal);
  }

  async *follow(
    job: LogSubject,
    kind: LogKind,
    o: { clock: Clock; from: string | null; signal?: AbortSignal },
  ): AsyncGenerator<LogChunk> {
    const r = await this.resolve(job, kind, o.signal);
    if ('refused' in r) {
      yield { kind: 'end', reason: r.refused.available ? 'no log' : r.refused.reason };
      return;
    }
    yield* this.cloudWatch.follow(r.job, kind, o);
  }

  /** The job with its stream location filled in, or why it has none. */
  private async resolve(
    job: LogSubject,
    kind: LogKind,
    signal?: AbortSignal,
  ): Promise<{ job: LogSubject } | { refused: LogRead }> {
    if (kind === 'error' || job.stdoutPath !== null) return { job };
    const place = await this.locate(job, signal);
    if (place === null) return { job };
    if (!place.ok) return { refused: { available: false, reason: place.reason } };
    const located: LogSubject = {
      schedulerJobId: job.schedulerJobId,
      name: job.name,
      user: job.user,
      nodes: job.nodes,
      submittedByScripthut: job.submittedByScripthut,
      stdoutPath: place.location,
      stderrPath: job.stderrPath,
      finished: () => job.finished(),
    };
    return { job: located };
  }
}
