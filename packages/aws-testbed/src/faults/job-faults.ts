export type JobFaultKind =
  | 'oom'
  /** The reported odd case: OOM reason, exit code 0 (aws/amazon-ecs-agent#1187). */
  | 'oom-exit-0'
  | 'timeout'
  | 'host-terminated'
  | 'spot-interruption'
  | 'failed-to-start';

export interface JobFault {
  kind: JobFaultKind;
  /** A Batch job id (`<id>` or `<id>:<index>`) or an ECS task id or ARN. */
  jobId?: string;
  /** Glob (`*`) matched against a Batch jobName or an ECS task's startedBy or family. */
  namePattern?: string;
  /** Fire this long after the attempt reaches RUNNING (default 0). Ignored for failed-to-start. */
  afterRunningMs?: number;
}

export const HOST_TERMINATED_REASON = 'Host EC2 (instance i-0123456789abcdef0) terminated.';
export const CANNOT_PULL_REASON =
  'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ' +
  'ref docker.io/library/missing:latest: not found';

/**
 * Pending faults, each used once: by the next attempt of the named job, or
 * by the next job whose name matches the pattern.
 */
export class JobFaults {
  private pending: JobFault[] = [];

  add(fault: JobFault): void {
    if (!fault.jobId && !fault.namePattern)
      throw new Error('a job fault needs jobId or namePattern');
    this.pending.push(fault);
  }

  /** Takes the faults of `phase` that target one of `ids` or match one of `names`. */
  take(phase: 'start' | 'running', ids: string[], names: string[]): JobFault[] {
    const taken: JobFault[] = [];
    this.pending = this.pending.filter((f) => {
      if ((f.kind === 'failed-to-start') !== (phase === 'start')) return true;
      const hit =
        (f.jobId !== undefined && ids.includes(f.jobId)) ||
        (f.namePattern !== undefined && names.some((n) => globMatch(f.namePattern ?? '', n)));
      if (hit) taken.push(f);
      return !hit;
    });
    return taken;
  }

  clear(): void {
    this.pending = [];
  }
}

export function globMatch(pattern: string, value: string): boolean {
  const re = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${re.join('.*')}$`).test(value);
}
