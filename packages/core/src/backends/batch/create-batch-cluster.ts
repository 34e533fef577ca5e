import { BatchClient, DescribeJobsCommand } from '@aws-sdk/client-batch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { BatchClusterConfig } from '../../config/schema';
import type { LogSubject } from '../backend';
import type { ClusterDeps, ClusterRuntime } from '../cluster-runtime';
import {
  awsClientConfig,
  awsSubmitClientConfig,
  describeAwsAccess,
  type AwsAccess,
} from '../aws/aws-access';
import { CloudWatchLogs } from '../aws/cloudwatch-logs';
import { BatchBackend } from './batch-backend';
import { logLocationOf } from './batch-job-detail';
import { resolveBatchTask } from './resolve-batch-task';
import { renderBatchSubmission } from './submit-job-input';

/** Knobs tests turn (a fast test server takes more than the real account's 50 TPS). */
export interface BatchClusterTuning {
  submitsPerSecond?: number;
  throttledSubmitTries?: number;
  logCallsPerSecond?: number;
  followPollMs?: number;
}

/**
 * One AWS Batch job queue: three SDK clients (Batch reads, Batch submits
 * without SDK retries, CloudWatch Logs), created here and destroyed in close().
 * Task-source commands run on this machine; tasks have no home directory.
 */
export function createBatchCluster(
  config: BatchClusterConfig,
  deps: ClusterDeps,
  tuning: BatchClusterTuning = {},
): ClusterRuntime {
  const access: AwsAccess = {
    profile: config.aws.profile,
    region: config.aws.region,
    endpoint: config.aws.endpoint,
  };
  const options = { environment: deps.environment };
  const client = new BatchClient(awsClientConfig(access, options));
  const submitClient = new BatchClient(awsSubmitClientConfig(access, options));
  const logsClient = new CloudWatchLogsClient(awsClientConfig(access, options));
  const jobQueue = config.aws.job_queue;
  const jobDefinition = config.job_definition ?? null;
  const target = {
    jobQueue,
    jobDefinition: jobDefinition ?? '(no job_definition configured)',
    retryAttempts: config.retry_attempts,
    user: deps.localUser,
  };

  // A job whose stream was named after the last poll: ask DescribeJobs, a miss at most once a second per job.
  const found = new Map<string, string>();
  const missedAt = new Map<string, number>();
  const locate = async (job: LogSubject, signal?: AbortSignal): Promise<string | null> => {
    const id = job.schedulerJobId;
    if (job.stdoutPath !== null || id === null) return job.stdoutPath;
    const known = found.get(id);
    if (known !== undefined) return known;
    const now = deps.clock.now().getTime();
    if (now - (missedAt.get(id) ?? Number.NEGATIVE_INFINITY) < 1_000) return null;
    const answer = await client.send(
      new DescribeJobsCommand({ jobs: [id] }),
      signal ? { abortSignal: signal } : {},
    );
    const d = answer.jobs?.[0];
    const location = d === undefined ? null : logLocationOf(d, config.log_group);
    if (found.size + missedAt.size > 1_000) {
      found.clear();
      missedAt.clear();
    }
    if (location === null) missedAt.set(id, now);
    else found.set(id, location);
    return location;
  };
  const logs = new CloudWatchLogs({
    client: logsClient,
    access,
    clock: deps.clock,
    locate,
    ...(tuning.logCallsPerSecond !== undefined ? { callsPerSecond: tuning.logCallsPerSecond } : {}),
    ...(tuning.followPollMs !== undefined ? { pollMs: tuning.followPollMs } : {}),
  });
  const backend = new BatchBackend({
    client,
    submitClient,
    access,
    jobQueue,
    jobDefinition,
    retryAttempts: config.retry_attempts,
    logGroup: config.log_group,
    user: deps.localUser,
    clock: deps.clock,
    logs,
    ...(tuning.submitsPerSecond !== undefined ? { submitsPerSecond: tuning.submitsPerSecond } : {}),
    ...(tuning.throttledSubmitTries !== undefined
      ? { throttledSubmitTries: tuning.throttledSubmitTries }
      : {}),
  });
  return {
    backend,
    host: `AWS Batch job queue ${jobQueue} (${describeAwsAccess(access)})`,
    user: deps.localUser,
    queues: {
      taskRunner: deps.localRunner,
      renderScript: (spec) => renderBatchSubmission(spec, target),
      resolveTask: (task) =>
        resolveBatchTask(task, { cluster: config.name, jobQueue, jobDefinition }),
      maxConcurrent: config.max_concurrent,
      account: null,
    },
    close: () => {
      client.destroy();
      submitClient.destroy();
      logsClient.destroy();
    },
  };
}
