import type {
  AttemptDetail,
  EvaluateOnExit,
  JobDefinition,
  JobDependency,
  KeyValuePair,
} from '@aws-sdk/client-batch';
import type { ContainerRun } from '../compute/container-run';
import type { ComputeEnvironment, JobQueue } from './batch-resources';

export type BatchJobStatus =
  'SUBMITTED' | 'PENDING' | 'RUNNABLE' | 'STARTING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export const isTerminalStatus = (s: BatchJobStatus): boolean => s === 'SUCCEEDED' || s === 'FAILED';

/** The attempt in progress: from STARTING until its container stops. */
export interface CurrentAttempt {
  taskId: string;
  taskArn: string;
  environment: ComputeEnvironment;
  startedAt?: number;
  logStreamName?: string;
  run?: ContainerRun;
  timedOut?: boolean;
  /** TerminateJob's reason while the container is being stopped. */
  terminating?: string;
}

export interface BatchJob {
  /** Submission order; ListJobs' stable cursor. */
  seq: number;
  jobId: string;
  jobArn: string;
  jobName: string;
  queue: JobQueue;
  definition: JobDefinition;
  status: BatchJobStatus;
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  command: string[];
  environment: KeyValuePair[];
  vcpus: number;
  memoryMiB?: number;
  logGroup: string;
  retryAttempts: number;
  evaluateOnExit: EvaluateOnExit[];
  timeoutSeconds?: number;
  dependsOn: JobDependency[];
  tags?: Record<string, string>;
  parameters?: Record<string, string>;
  propagateTags?: boolean;
  attempts: AttemptDetail[];
  current?: CurrentAttempt;
  /** RUNNABLE and past its dwell: eligible for placement. */
  ready: boolean;
  isCancelled?: boolean;
  isTerminated?: boolean;
  /** Array parent: its children's ids, index order. */
  childIds?: string[];
  arraySize?: number;
  arrayIndex?: number;
  parentId?: string;
}
