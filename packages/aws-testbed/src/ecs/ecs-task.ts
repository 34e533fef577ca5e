import type { Tag, TaskOverride } from '@aws-sdk/client-ecs';
import type { ContainerRun } from '../compute/container-run';
import type { Wire } from '../protocol/wire-types';
import type { EcsCluster, StoredTaskDefinition } from './ecs-resources';

export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';

export type StopCode =
  | 'TaskFailedToStart'
  | 'EssentialContainerExited'
  | 'UserInitiated'
  | 'SpotInterruption'
  | 'TerminationNotice';

export interface EcsContainer {
  name: string;
  image: string;
  containerArn: string;
  runtimeId: string;
  essential: boolean;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  command: string[];
  environment: Record<string, string>;
  workingDirectory?: string;
  memoryMiB?: number;
  cpu?: number;
  memory?: number;
  logGroup?: string;
  logStream?: string;
  exitCode?: number;
  reason?: string;
  run?: ContainerRun;
}

export interface EcsTask {
  seq: number;
  taskId: string;
  taskArn: string;
  cluster: EcsCluster;
  definition: StoredTaskDefinition;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** Epoch ms; rendered as seconds. */
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  startedBy?: string;
  group: string;
  launchType: 'EC2' | 'FARGATE' | 'EXTERNAL' | 'MANAGED_INSTANCES';
  capacityProviderName?: string;
  cpu: string;
  memory?: string;
  vcpus: number;
  /** Capacity held (from leaving PROVISIONING until STOPPED). */
  placed: boolean;
  containers: EcsContainer[];
  overrides: Wire<TaskOverride>;
  tags: Tag[];
  awsvpc: boolean;
  version: number;
  /** Container exit outcome forced by an injected fault, applied to every container. */
  stopGraceMs?: number;
}
