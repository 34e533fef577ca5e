import type { TestbedSetup } from './testbed-control';

type TaskDefinition = NonNullable<TestbedSetup['taskDefinitions']>[number];

/** The image the test definitions name; the server never pulls it (commands run in its own sandbox). */
const IMAGE = 'public.ecr.aws/docker/library/bash:5';

/**
 * One Batch job queue over one compute environment of `maxVcpus`, with one
 * container job definition asking 1 vCPU and 512 MiB: what most tests set up.
 */
export function batchQueueSetup(o: {
  queue: string;
  computeEnvironment: string;
  maxVcpus: number;
  jobDefinition: string;
  image?: string;
  command?: string;
}): Required<Pick<TestbedSetup, 'computeEnvironments' | 'jobQueues' | 'jobDefinitions'>> {
  return {
    computeEnvironments: [{ name: o.computeEnvironment, maxVcpus: o.maxVcpus }],
    jobQueues: [{ name: o.queue, computeEnvironments: [o.computeEnvironment] }],
    jobDefinitions: [
      {
        jobDefinitionName: o.jobDefinition,
        type: 'container',
        containerProperties: {
          image: o.image ?? IMAGE,
          command: ['bash', '-c', o.command ?? 'echo default'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '512' },
          ],
        },
      },
    ],
  };
}

/**
 * A Fargate task definition (1 vCPU, 2 GiB) with one essential container
 * `main` that logs with awslogs to `logGroup` (stream prefix `ecs`).
 */
export function fargateTaskDefinition(o: {
  family: string;
  logGroup: string;
  region: string;
  image?: string;
  command?: string;
}): TaskDefinition {
  return {
    family: o.family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '2048',
    containerDefinitions: [
      {
        name: 'main',
        image: o.image ?? IMAGE,
        essential: true,
        command: ['bash', '-c', o.command ?? 'echo default'],
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': o.logGroup,
            'awslogs-region': o.region,
            'awslogs-stream-prefix': 'ecs',
          },
        },
      },
    ],
  };
}
