import type { AttemptDetail, JobDetail } from '@aws-sdk/client-batch';
import { formatLogLocation } from '../aws/log-location';

/** The last attempt, or null before the first attempt ended. */
export const lastAttempt = (d: JobDetail): AttemptDetail | null => d.attempts?.at(-1) ?? null;

/** Exit code of the last attempt (the job's `container.exitCode` mirrors it); null when the container never exited. */
export function exitCodeOf(d: JobDetail): number | null {
  return lastAttempt(d)?.container?.exitCode ?? d.container?.exitCode ?? null;
}

/** `container.reason`: why the container stopped (`OutOfMemoryError: …`, `CannotPullContainerError: …`). */
export function containerReasonOf(d: JobDetail): string | null {
  return lastAttempt(d)?.container?.reason ?? d.container?.reason ?? null;
}

/** AWS's own words for a job, each once: job statusReason, attempt statusReason, container reason. */
export function awsWordsOf(d: JobDetail): string | null {
  const words = [d.statusReason, lastAttempt(d)?.statusReason, containerReasonOf(d)].filter(
    (w): w is string => typeof w === 'string' && w.trim() !== '',
  );
  const unique = [...new Set(words)];
  return unique.length === 0 ? null : unique.join('; ');
}

/**
 * `<log group>:<log stream>` of the job's current or last attempt; null
 * before it runs (AWS names the stream when the job reaches RUNNING). The
 * job definition's awslogs-group option overrides the configured group.
 */
export function logLocationOf(d: JobDetail, defaultGroup: string): string | null {
  const stream = d.container?.logStreamName ?? lastAttempt(d)?.container?.logStreamName;
  if (!stream) return null;
  const group = d.container?.logConfiguration?.options?.['awslogs-group'] ?? defaultGroup;
  return formatLogLocation({ group, stream });
}

/** Attempts allowed (retryStrategy.attempts, default 1). */
export const attemptsAllowed = (d: JobDetail): number => d.retryStrategy?.attempts ?? 1;

/**
 * `RUNNABLE (attempt 2 of 3)` when the job may retry, else the status.
 * attempts[] holds the attempts that ran; one without `stoppedAt` is the
 * current one, otherwise the current attempt is the next.
 */
export function rawStateOf(d: JobDetail): string {
  const status = d.status ?? 'UNKNOWN';
  const allowed = attemptsAllowed(d);
  if (allowed <= 1) return status;
  const attempts = d.attempts ?? [];
  const last = attempts.at(-1);
  const final = status === 'SUCCEEDED' || status === 'FAILED';
  const current = final
    ? Math.max(1, attempts.length)
    : last !== undefined && last.stoppedAt === undefined
      ? attempts.length
      : Math.min(allowed, attempts.length + 1);
  return `${status} (attempt ${current} of ${allowed})`;
}

/** The container resources asked for: VCPU and MEMORY (MiB) requirements, else the deprecated fields. */
export function resourcesOf(d: JobDetail): { vcpus: number | null; memoryMiB: number | null } {
  const req = d.container?.resourceRequirements ?? [];
  const value = (type: string): number | null => {
    const v = req.find((r) => r.type === type)?.value;
    return v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
  };
  return {
    vcpus: value('VCPU') ?? d.container?.vcpus ?? null,
    memoryMiB: value('MEMORY') ?? d.container?.memory ?? null,
  };
}

/** `name:revision` of a job definition ARN (`arn:aws:batch:…:job-definition/name:3`), or the text as is. */
export const jobDefinitionNameOf = (jobDefinition: string | undefined): string | null =>
  jobDefinition === undefined ? null : (jobDefinition.split('/').at(-1) ?? jobDefinition);

/** The name part of a job queue ARN, or the text as is. */
export const jobQueueNameOf = (jobQueue: string): string => jobQueue.split('/').at(-1) ?? jobQueue;
