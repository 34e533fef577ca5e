import type { Task } from '@aws-sdk/client-ecs';

/**
 * Task records shaped as DescribeTasks returns them through the SDK (ECS
 * model `Task`; times deserialised to Date). Values from AWS's documented
 * examples and the reason strings of stopped-task-error-codes.html and
 * aws/amazon-ecs-agent#1187.
 */
export const TASK_ARN =
  'arn:aws:ecs:us-east-1:123456789012:task/jobs/0123456789abcdef0123456789abcdef';

export function task(over: Partial<Task> = {}): Task {
  return {
    taskArn: TASK_ARN,
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/worker:7',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    launchType: 'FARGATE',
    cpu: '1024',
    memory: '4096',
    group: 'family:worker',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    startedAt: new Date('2026-01-01T00:00:30Z'),
    containers: [{ name: 'main', lastStatus: 'RUNNING' }],
    ...over,
  };
}

export function stopped(
  over: Partial<Task> & { exitCode?: number; containerReason?: string } = {},
): Task {
  const { exitCode, containerReason, ...rest } = over;
  return task({
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    stoppingAt: new Date('2026-01-01T00:05:00Z'),
    stoppedAt: new Date('2026-01-01T00:05:10Z'),
    containers: [
      {
        name: 'main',
        lastStatus: 'STOPPED',
        ...(exitCode !== undefined ? { exitCode } : {}),
        ...(containerReason !== undefined ? { reason: containerReason } : {}),
      },
    ],
    ...rest,
  });
}
