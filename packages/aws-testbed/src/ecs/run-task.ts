import { randomBytes, randomUUID } from 'node:crypto';
import type { RunTaskRequest } from '@aws-sdk/client-ecs';
import { baseEnvironment } from '../compute/base-environment';
import { ecsError } from '../protocol/aws-error';
import type { EcsCluster, EcsResources, StoredTaskDefinition } from './ecs-resources';
import type { EcsContainer, EcsTask } from './ecs-task';

const MAX_OVERRIDES_CHARS = 8192;

export interface RunTaskPlan {
  cluster: EcsCluster;
  definition: StoredTaskDefinition;
  count: number;
  launchType: EcsTask['launchType'];
  capacityProviderName?: string;
  vcpus: number;
}

/** RunTask's checks beyond the model, in the order ECS reports them. */
export function planRunTask(resources: EcsResources, input: RunTaskRequest): RunTaskPlan {
  const cluster = resources.cluster(input.cluster);
  const count = input.count ?? 1;
  if (count < 1 || count > 10) {
    throw ecsError('InvalidParameterException', 'The count parameter must be between 1 and 10.');
  }
  const strategy = input.capacityProviderStrategy ?? [];
  if (input.launchType && strategy.length > 0) {
    throw ecsError(
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  const definition = resources.find(input.taskDefinition ?? '');
  if (!definition) throw ecsError('ClientException', 'TaskDefinition not found.');
  const provider = strategy[0]?.capacityProvider;
  const fargate = input.launchType === 'FARGATE' || (provider?.startsWith('FARGATE') ?? false);
  const awsvpc = definition.definition.networkMode === 'awsvpc';
  if (fargate && !awsvpc) {
    throw ecsError(
      'InvalidParameterException',
      'Task definition does not support launch_type FARGATE.',
    );
  }
  if (awsvpc && !input.networkConfiguration?.awsvpcConfiguration) {
    throw ecsError(
      'InvalidParameterException',
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  if (!awsvpc && input.networkConfiguration) {
    throw ecsError(
      'InvalidParameterException',
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
  if (input.overrides && JSON.stringify(input.overrides).length > MAX_OVERRIDES_CHARS) {
    throw ecsError('InvalidParameterException', 'Container Overrides length must be at most 8192');
  }
  const names = new Set(definition.definition.containerDefinitions?.map((c) => c.name));
  for (const o of input.overrides?.containerOverrides ?? []) {
    if (!o.name || !names.has(o.name)) {
      throw ecsError(
        'InvalidParameterException',
        `Override for container named ${o.name} is not a container in the TaskDefinition.`,
      );
    }
  }
  for (const tag of input.tags ?? []) {
    if (tag.key?.toLowerCase().startsWith('aws:')) {
      throw ecsError(
        'InvalidParameterException',
        'Tag keys may not start with the reserved prefix aws:',
      );
    }
  }
  const cpuUnits = Number(input.overrides?.cpu ?? definition.definition.cpu ?? 256);
  return {
    cluster,
    definition,
    count,
    launchType: fargate ? 'FARGATE' : (input.launchType ?? 'EC2'),
    ...(provider ? { capacityProviderName: provider } : {}),
    vcpus: cpuUnits / 1024,
  };
}

/** One task of a RunTask call, in PROVISIONING. */
export function buildTask(
  resources: EcsResources,
  plan: RunTaskPlan,
  input: RunTaskRequest,
  seq: number,
): EcsTask {
  const taskId = randomBytes(16).toString('hex');
  const taskArn = resources.arn(`task/${plan.cluster.name}/${taskId}`);
  const def = plan.definition.definition;
  const overrides = input.overrides?.containerOverrides ?? [];
  const containers = (def.containerDefinitions ?? []).map((cd, index): EcsContainer => {
    const o = overrides.find((x) => x.name === cd.name);
    const env = baseEnvironment();
    for (const kv of [...(cd.environment ?? []), ...(o?.environment ?? [])]) {
      if (kv.name) env[kv.name] = kv.value ?? '';
    }
    env.ECS_CONTAINER_METADATA_URI_V4 = `http://169.254.170.2/v4/${taskId}-${index}`;
    env.ECS_CONTAINER_METADATA_URI = `http://169.254.170.2/v3/${taskId}-${index}`;
    env.AWS_EXECUTION_ENV = plan.launchType === 'FARGATE' ? 'AWS_ECS_FARGATE' : 'AWS_ECS_EC2';
    // Testbed-only: a real container learns these from the metadata endpoint.
    env.AWS_TESTBED_ECS_TASK_ARN = taskArn;
    env.AWS_TESTBED_ECS_CLUSTER = plan.cluster.name;
    const memory = o?.memory ?? cd.memory;
    const taskMemory = def.memory ? Number(def.memory) : undefined;
    const memoryMiB = memory ?? (def.containerDefinitions?.length === 1 ? taskMemory : undefined);
    const options =
      cd.logConfiguration?.logDriver === 'awslogs' ? cd.logConfiguration.options : undefined;
    const runtimeId = `${taskId}-${randomBytes(4).toString('hex')}`;
    const prefix = options?.['awslogs-stream-prefix'];
    const cpu = o?.cpu ?? cd.cpu;
    return {
      name: cd.name ?? `container-${index}`,
      image: cd.image ?? '',
      containerArn: resources.arn(`container/${plan.cluster.name}/${taskId}/${randomUUID()}`),
      runtimeId,
      essential: cd.essential ?? true,
      lastStatus: 'PENDING',
      command: o?.command ?? cd.command ?? [],
      environment: env,
      ...(cd.workingDirectory ? { workingDirectory: cd.workingDirectory } : {}),
      ...(memoryMiB !== undefined ? { memoryMiB, memory: memoryMiB } : {}),
      ...(cpu !== undefined ? { cpu } : {}),
      ...(options?.['awslogs-group']
        ? {
            logGroup: options['awslogs-group'],
            logStream: prefix ? `${prefix}/${cd.name}/${taskId}` : runtimeId,
          }
        : {}),
    };
  });
  return {
    seq,
    taskId,
    taskArn,
    cluster: plan.cluster,
    definition: plan.definition,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    createdAt: Date.now(),
    ...(input.startedBy ? { startedBy: input.startedBy } : {}),
    group: input.group ?? `family:${def.family}`,
    launchType: plan.launchType,
    ...(plan.capacityProviderName ? { capacityProviderName: plan.capacityProviderName } : {}),
    cpu: String(plan.vcpus * 1024),
    ...(input.overrides?.memory || def.memory
      ? { memory: input.overrides?.memory ?? def.memory }
      : {}),
    vcpus: plan.vcpus,
    placed: false,
    containers,
    overrides: {
      containerOverrides: [],
      inferenceAcceleratorOverrides: [],
      ...input.overrides,
    },
    tags: [
      ...(input.tags ?? []),
      ...(input.propagateTags === 'TASK_DEFINITION' ? plan.definition.tags : []),
    ],
    awsvpc: plan.definition.definition.networkMode === 'awsvpc',
    version: 1,
  };
}
