import type { Task } from '@aws-sdk/client-ecs';
import { toEpochSeconds, type Wire } from '../protocol/wire-types';
import type { EcsTask } from './ecs-task';

const seconds = (name: string, ms: number | undefined): Record<string, number> =>
  ms === undefined ? {} : { [name]: toEpochSeconds(ms) };

/** DescribeTasks' / RunTask's view of a task; tags only with `include: ["TAGS"]`. */
export function toTaskView(task: EcsTask, includeTags: boolean): Wire<Task> {
  const fargate = task.launchType === 'FARGATE';
  return {
    attachments: task.awsvpc
      ? [
          {
            id: task.taskId.slice(0, 8) + '-eni',
            type: 'ElasticNetworkInterface',
            status: task.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
            details: [{ name: 'privateIPv4Address', value: '10.0.0.10' }],
          },
        ]
      : [],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: 'us-east-1a',
    ...(task.capacityProviderName ? { capacityProviderName: task.capacityProviderName } : {}),
    clusterArn: task.cluster.arn,
    connectivity: 'CONNECTED',
    ...seconds('connectivityAt', task.createdAt),
    containers: task.containers.map((c) => ({
      containerArn: c.containerArn,
      taskArn: task.taskArn,
      name: c.name,
      image: c.image,
      ...(c.lastStatus !== 'PENDING' ? { runtimeId: c.runtimeId } : {}),
      lastStatus: c.lastStatus,
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
      networkBindings: [],
      networkInterfaces: [],
      healthStatus: 'UNKNOWN',
      cpu: String(c.cpu ?? 0),
      ...(c.memory !== undefined ? { memory: String(c.memory) } : {}),
    })),
    cpu: task.cpu,
    ...seconds('createdAt', task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    ...seconds('executionStoppedAt', task.executionStoppedAt),
    group: task.group,
    healthStatus: 'UNKNOWN',
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    ...(task.memory ? { memory: task.memory } : {}),
    overrides: task.overrides,
    ...(fargate ? { platformVersion: '1.4.0', platformFamily: 'Linux' } : {}),
    ...seconds('pullStartedAt', task.pullStartedAt),
    ...seconds('pullStoppedAt', task.pullStoppedAt),
    ...seconds('startedAt', task.startedAt),
    ...(task.startedBy ? { startedBy: task.startedBy } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    ...seconds('stoppedAt', task.stoppedAt),
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    ...seconds('stoppingAt', task.stoppingAt),
    ...(includeTags ? { tags: task.tags } : {}),
    taskArn: task.taskArn,
    taskDefinitionArn: task.definition.definition.taskDefinitionArn,
    version: task.version,
    ...(fargate ? { ephemeralStorage: { sizeInGiB: 20 } } : {}),
  };
}
