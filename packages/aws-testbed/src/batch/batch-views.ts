import type { ArrayPropertiesDetail, JobDetail, JobSummary } from '@aws-sdk/client-batch';
import type { BatchJob, BatchJobStatus } from './batch-job';

const STATUSES: BatchJobStatus[] = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

type Lookup = (jobId: string) => BatchJob | undefined;

/** The container fields: the attempt in progress if any, else the last attempt. */
function containerState(job: BatchJob) {
  const last = job.attempts.at(-1)?.container;
  const current = job.current;
  if (current) {
    return {
      taskArn: current.taskArn,
      ...(current.logStreamName ? { logStreamName: current.logStreamName } : {}),
    };
  }
  if (!last) return {};
  const { networkInterfaces: _n, ...rest } = last;
  return rest;
}

function arrayProperties(job: BatchJob, lookup: Lookup): ArrayPropertiesDetail | undefined {
  if (job.arrayIndex !== undefined) return { index: job.arrayIndex };
  if (job.arraySize === undefined) return undefined;
  const statusSummary = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const id of job.childIds ?? []) {
    const child = lookup(id);
    if (child) statusSummary[child.status] = (statusSummary[child.status] ?? 0) + 1;
  }
  return { size: job.arraySize, statusSummary, statusSummaryLastUpdatedAt: Date.now() };
}

/** The model (and SDK type) call `startedAt` required; AWS omits it until the job starts. */
export type WireJobDetail = Omit<JobDetail, 'startedAt'> & { startedAt?: number };

export function toJobDetail(job: BatchJob, lookup: Lookup): WireJobDetail {
  const props = job.definition.containerProperties ?? {};
  const array = arrayProperties(job, lookup);
  return {
    jobArn: job.jobArn,
    jobName: job.jobName,
    jobId: job.jobId,
    jobQueue: job.queue.detail.jobQueueArn,
    status: job.status,
    ...(job.statusReason ? { statusReason: job.statusReason } : {}),
    attempts: job.attempts,
    createdAt: job.createdAt,
    ...(job.startedAt !== undefined ? { startedAt: job.startedAt } : {}),
    ...(job.stoppedAt !== undefined ? { stoppedAt: job.stoppedAt } : {}),
    retryStrategy: { attempts: job.retryAttempts, evaluateOnExit: job.evaluateOnExit },
    dependsOn: job.dependsOn,
    jobDefinition: job.definition.jobDefinitionArn,
    ...(job.parameters ? { parameters: job.parameters } : {}),
    container: {
      ...(props.image ? { image: props.image } : {}),
      command: job.command,
      environment: job.environment,
      resourceRequirements: [
        { type: 'VCPU', value: String(job.vcpus) },
        ...(job.memoryMiB !== undefined
          ? [{ type: 'MEMORY' as const, value: String(job.memoryMiB) }]
          : []),
      ],
      ...(props.jobRoleArn ? { jobRoleArn: props.jobRoleArn } : {}),
      ...(props.executionRoleArn ? { executionRoleArn: props.executionRoleArn } : {}),
      ...(props.logConfiguration ? { logConfiguration: props.logConfiguration } : {}),
      volumes: [],
      mountPoints: [],
      ulimits: [],
      networkInterfaces: [],
      secrets: [],
      ...containerState(job),
    },
    ...(array ? { arrayProperties: array } : {}),
    ...(job.timeoutSeconds !== undefined
      ? { timeout: { attemptDurationSeconds: job.timeoutSeconds } }
      : {}),
    ...(job.tags ? { tags: job.tags } : {}),
    ...(job.propagateTags !== undefined ? { propagateTags: job.propagateTags } : {}),
    platformCapabilities: job.definition.platformCapabilities ?? ['EC2'],
    eksAttempts: [],
    ...(job.isCancelled ? { isCancelled: true } : {}),
    ...(job.isTerminated ? { isTerminated: true } : {}),
  };
}

export function toJobSummary(job: BatchJob, lookup: Lookup): JobSummary {
  const last = job.attempts.at(-1)?.container;
  const array = arrayProperties(job, lookup);
  return {
    jobArn: job.jobArn,
    jobId: job.jobId,
    jobName: job.jobName,
    createdAt: job.createdAt,
    status: job.status,
    ...(job.statusReason ? { statusReason: job.statusReason } : {}),
    ...(job.startedAt !== undefined ? { startedAt: job.startedAt } : {}),
    ...(job.stoppedAt !== undefined ? { stoppedAt: job.stoppedAt } : {}),
    ...(last && !job.current
      ? {
          container: {
            ...(last.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
            ...(last.reason ? { reason: last.reason } : {}),
          },
        }
      : {}),
    ...(array ? { arrayProperties: { size: array.size, index: array.index } } : {}),
    jobDefinition: job.definition.jobDefinitionArn,
  };
}
