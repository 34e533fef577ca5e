import {
  batchQueueSetup,
  startAwsTestServer,
  type AwsTestServer,
  type AwsTestServerOptions,
} from '@scripthut/aws-testbed';
import type { SubmitSpec } from '../backend';
import type { ClusterRuntime } from '../cluster-runtime';
import { BatchClusterConfig } from '../../config/schema';
import { systemClock } from '../../runtime/clock';
import type { CommandRunner } from '../../runtime/command-runner';
import { createBatchCluster, type BatchClusterTuning } from './create-batch-cluster';

/** A test server with job queue `q` (16 vCPUs) and job definition `jd`, on a free loopback port. */
export function startBatchTestbed(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
  return startAwsTestServer({
    validate: true,
    ...options,
    setup: {
      ...batchQueueSetup({
        queue: 'q',
        computeEnvironment: 'ce',
        maxVcpus: 16,
        jobDefinition: 'jd',
        image: 'busybox',
      }),
      logGroups: ['/aws/batch/job'],
    },
  });
}

const noRunner = {} as CommandRunner;

/** The cluster as create-core builds it, pointed at `server`; static test keys unless `environment` says otherwise. */
export function batchClusterFor(
  server: AwsTestServer,
  o: {
    config?: Record<string, unknown>;
    aws?: Record<string, unknown>;
    environment?: Record<string, string | undefined>;
    tuning?: BatchClusterTuning;
  } = {},
): ClusterRuntime {
  const config = BatchClusterConfig.parse({
    name: 'aws',
    type: 'batch',
    aws: { region: 'us-east-1', endpoint: server.url, job_queue: 'q', ...o.aws },
    job_definition: 'jd',
    ...o.config,
  });
  return createBatchCluster(
    config,
    {
      homeDir: '/nonexistent',
      cwd: '/',
      dataDir: '/nonexistent',
      clock: systemClock,
      environment: o.environment ?? {
        AWS_ACCESS_KEY_ID: 'AKIDTESTBED',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      },
      localUser: 'ada',
      log: () => {},
      localRunner: noRunner,
    },
    { submitsPerSecond: 500, followPollMs: 100, logCallsPerSecond: 100, ...o.tuning },
  );
}

let n = 0;
export function spec(over: Partial<SubmitSpec> = {}): SubmitSpec {
  n++;
  return {
    tag: `sh-test-${n}-${Math.random().toString(16).slice(2, 10)}`,
    name: `task ${n}`,
    command: 'echo hello',
    workingDir: null,
    cpus: 1,
    memory: '256M',
    timeLimit: 'UNLIMITED',
    partition: null,
    account: null,
    stdoutPath: null,
    stderrPath: null,
    ...over,
  };
}

/** Polls finalReports until every id has one (real processes run on the server: real time passes). */
export async function waitFinal(runtime: ClusterRuntime, ids: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reports = await runtime.backend.finalReports(ids);
    if (reports.size === ids.length) return reports;
    if (Date.now() > deadline)
      throw new Error(`only ${reports.size} of ${ids.length} jobs final after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function submittedId(outcome: unknown): string {
  const o = outcome as { kind: string; schedulerJobId?: string };
  if (o.kind !== 'submitted' || o.schedulerJobId === undefined)
    throw new Error(`not submitted: ${JSON.stringify(outcome)}`);
  return o.schedulerJobId;
}
