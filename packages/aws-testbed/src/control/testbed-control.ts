import type { RegisterJobDefinitionRequest } from '@aws-sdk/client-batch';
import type { RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { JobFault } from '../faults/job-faults';
import type { FailNextOptions, OperationKey } from '../faults/operation-faults';
import type { RequestLogEntry } from '../faults/request-log';
import type { ServiceId } from '../model/botocore-models';
import type { KeyRefusal } from '../server/access-policy';
import type { RecordedViolation } from '../server/handle-aws-request';

/** Resources to create at start (CLI `--setup file.json`) or later through `setup()`. */
export interface TestbedSetup {
  /** Batch compute environments; `maxVcpus` is the capacity jobs share (default: server option). */
  computeEnvironments?: { name: string; maxVcpus?: number }[];
  /** Batch job queues over the named compute environments, in order. */
  jobQueues?: { name: string; computeEnvironments: string[]; priority?: number }[];
  /** Exactly RegisterJobDefinition inputs. */
  jobDefinitions?: RegisterJobDefinitionRequest[];
  /** ECS clusters; `vcpus` is the capacity tasks share (default: server option). */
  clusters?: { name: string; vcpus?: number }[];
  /** Exactly RegisterTaskDefinition inputs. */
  taskDefinitions?: RegisterTaskDefinitionRequest[];
  /** CloudWatch Logs groups to create (the awslogs driver also creates streams on demand). */
  logGroups?: string[];
}

/**
 * Everything a test can do to the server besides calling AWS operations.
 * Each method takes at most one object argument, so the same API is served
 * over HTTP as `POST /_testbed/<method>` with that object as the JSON body
 * (reads also answer `GET`).
 */
export interface TestbedControl {
  setup(setup: TestbedSetup): void;
  /** The next `count` calls of the operation answer the service's throttling error. */
  throttleNext(o: { operation: OperationKey; count?: number }): void;
  /** Sustained calls per second per service (a token bucket); null removes a limit. */
  setRateLimit(o: { tps: Partial<Record<ServiceId, number | null>> }): void;
  failNext(o: FailNextOptions): void;
  /** Delays every answer of the operation; 0 removes the delay. */
  setDelay(o: { operation: OperationKey; delayMs: number }): void;
  /** Applies now to a running job/task named by id, else waits for its target. */
  injectJobFault(fault: JobFault): { applied: 'now' | 'pending' };
  /** While enabled, RUNNABLE Batch jobs and PROVISIONING ECS tasks are not placed. */
  setCapacityWait(o: { enabled: boolean; reason?: string }): void;
  /** Drops jobs/tasks (by Batch job id, ECS task id or ARN) as if AWS had aged them out. */
  forget(o: { ids: string[] }): void;
  /** Forget finished jobs/tasks this long after they finish; null keeps them. */
  setRetention(o: { finishedMs: number | null }): void;
  /** Replaces the IAM deny list (`batch:SubmitJob`, `logs:*`, ...). */
  denyActions(o: { actions: string[] }): void;
  /** Refuses (or, with null, accepts again) access key ids. */
  refuseAccessKeys(o: { keys: Record<string, KeyRefusal | null> }): void;
  requestLog(): RequestLogEntry[];
  /** Calls per `service:Operation`. */
  requestCounts(): Record<string, number>;
  resetRequestLog(): void;
  violations(): RecordedViolation[];
  resetViolations(): void;
  /** Removes throttles, failures, delays, rate limits, pending job faults and capacity waits. */
  clearFaults(): void;
}

export const CONTROL_METHODS = [
  'setup',
  'throttleNext',
  'setRateLimit',
  'failNext',
  'setDelay',
  'injectJobFault',
  'setCapacityWait',
  'forget',
  'setRetention',
  'denyActions',
  'refuseAccessKeys',
  'requestLog',
  'requestCounts',
  'resetRequestLog',
  'violations',
  'resetViolations',
  'clearFaults',
] as const satisfies readonly (keyof TestbedControl)[];
