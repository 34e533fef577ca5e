import type { BatchDwellMs } from '../batch/batch-engine';
import type { TestbedSetup } from '../control/testbed-control';
import type { EcsDwellMs } from '../ecs/task-engine';
import type { ServiceId } from '../model/botocore-models';
import type { KeyRefusal } from './access-policy';

export interface AwsTestServerOptions {
  /** Loopback address to bind; default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Region and account used in ARNs; default us-east-1 / 123456789012. */
  region?: string;
  accountId?: string;
  /** The principal named in AccessDenied messages; default `arn:aws:iam::<account>:user/test`. */
  principalArn?: string;
  /**
   * Check every request and response against botocore's models (default true).
   * A bad request is answered as AWS would (ClientException / InvalidParameterException);
   * a bad response becomes a 500 naming the violation. All are kept in `violations()`.
   */
  validate?: boolean;
  /**
   * Multiplies AWS-defined durations (Batch attempt timeouts and the 30 s
   * SIGTERM→SIGKILL grace of Batch and ECS stops). 0.05 makes the 60 s
   * minimum timeout last 3 s. Dwell times below are not scaled.
   */
  timeScale?: number;
  /** Per-state dwell times in ms (default 50 each). */
  batchDwellMs?: Partial<BatchDwellMs>;
  ecsDwellMs?: Partial<EcsDwellMs>;
  /** Sustained calls per second per service (token bucket, burst = one second's worth). */
  rateLimitTps?: Partial<Record<ServiceId, number>>;
  refusedAccessKeys?: Record<string, KeyRefusal>;
  /** IAM actions answered with AccessDeniedException, e.g. `batch:SubmitJob`. */
  deniedActions?: string[];
  /** Forget finished jobs/tasks this long after they finish; default: keep them. */
  finishedRetentionMs?: number | null;
  /** vCPUs of a compute environment created without `computeResources.maxvCpus`; default 256. */
  defaultComputeEnvironmentVcpus?: number;
  /** vCPUs of an ECS cluster created without a setup value; default 64. */
  defaultClusterVcpus?: number;
  setup?: TestbedSetup;
}
