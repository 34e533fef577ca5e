import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { EcsClusterConfig } from '../../config/schema';
import type { ClusterDeps, ClusterRuntime } from '../cluster-runtime';
import {
  awsClientConfig,
  awsSubmitClientConfig,
  CloudWatchLogs,
  ConnectionTracker,
  describeAwsAccess,
} from '../aws';
import { DefinitionCache } from './definition-cache';
import { ecsApiOf } from './ecs-api';
import { EcsBackend, type EcsBackendOptions } from './ecs-backend';
import { EcsCalls } from './ecs-calls';
import { EcsLogs } from './ecs-logs';
import { renderEcsTask } from './render-ecs-task';
import { resolveEcsTask } from './resolve-ecs-task';
import type { RunTaskSettings } from './run-task-input';

/** Test knobs (rates, retries); production uses the defaults. */
export type EcsTuning = Pick<
  EcsBackendOptions,
  'runTaskPerSecond' | 'submitConcurrency' | 'submitAttempts' | 'submitRetryBaseMs'
> & {
  logCallsPerSecond?: number;
  logPollMs?: number;
};

/**
 * One `type: ecs` cluster: an ECS client for reads (bounded standard
 * retries) and one for RunTask (never retried by the SDK), a CloudWatch Logs
 * client, all destroyed by `close()`. Task sources run on this machine.
 */
export function createEcsCluster(
  config: EcsClusterConfig,
  deps: ClusterDeps,
  tuning: EcsTuning = {},
): ClusterRuntime {
  const access = config.aws;
  const options = { environment: deps.environment };
  const reads = new ECSClient(awsClientConfig(access, options));
  const submits = new ECSClient(awsSubmitClientConfig(access, options));
  const logsClient = new CloudWatchLogsClient(awsClientConfig(access, options));
  const tracker = new ConnectionTracker('Amazon ECS', access);
  const api = ecsApiOf(reads, submits);
  const calls = new EcsCalls(api, tracker, access.cluster_name, access.region);
  const definitions = new DefinitionCache({
    api,
    tracker,
    clock: deps.clock,
    taskDefinition: config.task_definition ?? null,
    overrides: {
      container: config.container,
      logGroup: config.log_group,
      logStreamPrefix: config.log_stream_prefix,
    },
  });
  const fargate = isFargate(config);
  const run: Omit<RunTaskSettings, 'container'> | null =
    config.task_definition === undefined
      ? null
      : {
          cluster: access.cluster_name,
          taskDefinition: config.task_definition,
          launchType:
            config.capacity_provider_strategy !== undefined ? null : (config.launch_type ?? null),
          capacityProviderStrategy: config.capacity_provider_strategy ?? null,
          network: config.network ?? null,
          fargate,
          user: deps.localUser,
        };
  const cloudWatch = new CloudWatchLogs({
    client: logsClient,
    access,
    clock: deps.clock,
    ...(tuning.logCallsPerSecond !== undefined ? { callsPerSecond: tuning.logCallsPerSecond } : {}),
    ...(tuning.logPollMs !== undefined ? { pollMs: tuning.logPollMs } : {}),
  });
  const backend = new EcsBackend({
    calls,
    definitions,
    clock: deps.clock,
    log: (m) => deps.log(`[${config.name}] ${m}`),
    user: deps.localUser,
    run,
    container: config.container ?? null,
    logs: (locate) => new EcsLogs(cloudWatch, locate),
    ...tuning,
  });
  const rules = { cluster: config.name, taskDefinition: config.task_definition ?? null, fargate };
  return {
    backend,
    host: `ECS cluster ${access.cluster_name} (${describeAwsAccess(access)})`,
    user: deps.localUser,
    queues: {
      taskRunner: deps.localRunner,
      renderScript: (spec) =>
        run === null
          ? `# ECS cluster ${config.name} has no task_definition: it cannot run tasks\n`
          : renderEcsTask(spec, {
              ...run,
              container: config.container ?? `<first essential container of ${run.taskDefinition}>`,
            }),
      resolveTask: (task) => resolveEcsTask(task, rules),
      maxConcurrent: config.max_concurrent,
      account: null,
    },
    close: () => {
      reads.destroy();
      submits.destroy();
      logsClient.destroy();
    },
  };
}

/** Fargate sizes apply with launch type FARGATE or a FARGATE / FARGATE_SPOT capacity provider. */
function isFargate(config: EcsClusterConfig): boolean {
  if (config.capacity_provider_strategy !== undefined) {
    return config.capacity_provider_strategy.some(
      (c) => c.capacity_provider === 'FARGATE' || c.capacity_provider === 'FARGATE_SPOT',
    );
  }
  return config.launch_type === 'FARGATE';
}
