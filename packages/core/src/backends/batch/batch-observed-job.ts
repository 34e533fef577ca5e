import type { JobDetail, JobSummary } from '@aws-sdk/client-batch';
import type { ObservedJob } from '../backend';
import { formatDuration, isoTime } from '../aws/format-duration';
import { commandOf } from './batch-command';
import {
  attemptsAllowed,
  jobDefinitionNameOf,
  jobQueueNameOf,
  lastAttempt,
  logLocationOf,
  rawStateOf,
  resourcesOf,
} from './batch-job-detail';
import { batchJobStateOf } from './batch-state';

/** Tags ScriptHut puts on its jobs (SubmitJob `tags`). */
export const TAG_KEYS = { tag: 'scripthut:tag', user: 'scripthut:user' } as const;
/** Tag keys other tools commonly use for a job's owner, tried in order after ours. */
const OWNER_TAG_KEYS = [
  TAG_KEYS.user,
  'owner',
  'Owner',
  'user',
  'User',
  'created-by',
  'CreatedBy',
  'createdBy',
];

/** The job's owner: our tag, a common owner tag, else the job definition (all AWS says about who runs it). */
export function ownerOf(d: Pick<JobDetail, 'tags' | 'jobDefinition'>): string {
  for (const key of OWNER_TAG_KEYS) {
    const v = d.tags?.[key];
    if (v) return v;
  }
  return jobDefinitionNameOf(d.jobDefinition) ?? 'unknown';
}

/**
 * Why a queued job waits, in plain words with AWS's own text kept: the
 * RUNNABLE reasons Batch writes for a job blocking its queue, the array
 * children's states, dependencies, or the previous attempt's failure.
 */
export function waitingReasonOf(d: JobDetail): string | null {
  const parts: string[] = [];
  const reason = d.statusReason?.trim();
  if (reason) {
    if (reason.startsWith('CAPACITY:')) parts.push(`waiting for capacity: ${reason}`);
    else if (reason.startsWith('MISCONFIGURATION:'))
      parts.push(`misconfigured, will never start: ${reason}`);
    else if (reason.startsWith('UNDETERMINED'))
      parts.push(`blocked, AWS cannot say why: ${reason}`);
    else parts.push(reason);
  }
  const summary = d.arrayProperties?.statusSummary;
  if (d.arrayProperties?.size !== undefined && summary !== undefined) {
    const counts = Object.entries(summary)
      .filter(([, n]) => n > 0)
      .map(([status, n]) => `${n} ${status}`);
    parts.push(
      `array of ${d.arrayProperties.size}${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`,
    );
  }
  const deps = d.dependsOn?.length ?? 0;
  if (d.status === 'PENDING' && deps > 0)
    parts.push(`waiting for ${deps} job${deps === 1 ? '' : 's'} it depends on`);
  const previous = lastAttempt(d);
  if (previous?.stoppedAt !== undefined && d.status !== 'SUCCEEDED' && d.status !== 'FAILED') {
    const code = previous.container?.exitCode;
    const why =
      previous.container?.reason ??
      previous.statusReason ??
      (code !== undefined ? `exit code ${code}` : 'no reason given');
    parts.push(
      `attempt ${d.attempts?.length ?? 1} of ${attemptsAllowed(d)} failed (${why}); retrying`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

export interface ObserveContext {
  jobQueue: string;
  logGroup: string;
  nowMs: number;
}

/** One job of the live queue, from DescribeJobs. */
export function batchObservedJobOf(d: JobDetail, c: ObserveContext): ObservedJob {
  const { vcpus, memoryMiB } = resourcesOf(d);
  const { command, workDir } = commandOf(d.container?.command);
  const running = d.status === 'RUNNING' && d.startedAt !== undefined;
  const limitS = d.timeout?.attemptDurationSeconds;
  return {
    schedulerJobId: d.jobId ?? '',
    name: d.jobName ?? '',
    user: ownerOf(d),
    rawState: rawStateOf(d),
    state: batchJobStateOf(d.status),
    reason: waitingReasonOf(d),
    partition: d.jobQueue !== undefined ? jobQueueNameOf(d.jobQueue) : c.jobQueue,
    // Job.cpus is a whole number; Fargate's fractional vCPUs (0.25, 0.5) are not shown as more.
    cpus: vcpus !== null && Number.isInteger(vcpus) ? vcpus : null,
    memory: memoryMiB !== null ? `${memoryMiB}M` : null,
    nodes: null,
    timeUsed: running ? formatDuration((c.nowMs - d.startedAt!) / 1000) : null,
    timeLimit: limitS !== undefined ? formatDuration(limitS) : null,
    submitTime: isoTime(d.createdAt),
    startTime: isoTime(d.startedAt),
    workDir,
    command,
    stdoutPath: logLocationOf(d, c.logGroup),
    stderrPath: null,
  };
}

/** A listed job DescribeJobs did not return (it answered between the two calls): what the summary says. */
export function batchObservedSummaryOf(s: JobSummary, c: ObserveContext): ObservedJob {
  const exit = s.container?.exitCode;
  return {
    schedulerJobId: s.jobId ?? '',
    name: s.jobName ?? '',
    user: jobDefinitionNameOf(s.jobDefinition) ?? 'unknown',
    rawState: s.status ?? 'UNKNOWN',
    state: batchJobStateOf(s.status),
    reason: s.statusReason ?? (exit !== undefined ? `exit code ${exit}` : null),
    partition: c.jobQueue,
    cpus: null,
    memory: null,
    nodes: null,
    timeUsed:
      s.status === 'RUNNING' && s.startedAt !== undefined
        ? formatDuration((c.nowMs - s.startedAt) / 1000)
        : null,
    timeLimit: null,
    submitTime: isoTime(s.createdAt),
    startTime: isoTime(s.startedAt),
    workDir: null,
    command: null,
    stdoutPath: null,
    stderrPath: null,
  };
}
