import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fargateTaskDefinition,
  startAwsTestServer,
  type AwsTestServer,
  type AwsTestServerOptions,
} from '@scripthut/aws-testbed';
import { EcsClusterConfig } from '../../config/schema';
import type { Clock } from '../../runtime/clock';
import { systemClock } from '../../runtime/clock';
import { LocalCommandRunner } from '../../runtime/local-command-runner';
import type { LogSubject, SubmitSpec } from '../backend';
import type { ClusterRuntime } from '../cluster-runtime';
import { createEcsCluster, type EcsTuning } from './create-ecs-cluster';

/**
 * Integration-test harness: the aws-testbed server (its own, on port 0)
 * with cluster `jobs` (4 vCPUs), Fargate task definition `worker` logging
 * with awslogs to `/ecs/worker` (prefix `ecs`), and `plain` (EC2, no awslogs).
 */
export const REGION = 'us-east-1';
export const USER = 'ana.lopez';

export async function startEcsTestbed(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
  return startAwsTestServer({
    validate: true,
    timeScale: 0.02,
    ...options,
    setup: {
      clusters: [{ name: 'jobs', vcpus: 4 }],
      taskDefinitions: [
        fargateTaskDefinition({ family: 'worker', logGroup: '/ecs/worker', region: REGION }),
        {
          family: 'plain',
          networkMode: 'bridge',
          containerDefinitions: [
            {
              name: 'app',
              image: 'bash:5',
              essential: true,
              memory: 512,
              command: ['bash', '-c', 'sleep 5'],
            },
          ],
        },
      ],
      logGroups: ['/ecs/worker'],
      ...options.setup,
    },
  });
}

/** Real time, except that a test can move "now" forward (the testbed's tasks run on the real clock). */
export class SkewClock implements Clock {
  skewMs = 0;
  now(): Date {
    return new Date(Date.now() + this.skewMs);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

export interface ClusterOptions {
  config?: Record<string, unknown>;
  environment?: Record<string, string | undefined>;
  clock?: Clock;
  tuning?: EcsTuning;
  logs?: string[];
}

export const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDTESTBED', AWS_SECRET_ACCESS_KEY: 'not-checked' };

/** createEcsCluster exactly as create-core will call it, pointed at the server. */
export function ecsCluster(server: AwsTestServer, o: ClusterOptions = {}): ClusterRuntime {
  const config = EcsClusterConfig.parse({
    name: 'ecs-test',
    type: 'ecs',
    aws: { region: REGION, cluster_name: 'jobs', endpoint: server.url },
    task_definition: 'worker',
    launch_type: 'FARGATE',
    network: { subnets: ['subnet-0abc'], security_groups: ['sg-0abc'] },
    ...o.config,
  });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-int-'));
  const lines = o.logs ?? [];
  return createEcsCluster(
    config,
    {
      homeDir: dir,
      cwd: dir,
      dataDir: dir,
      clock: o.clock ?? systemClock,
      environment: o.environment ?? KEYS,
      localUser: USER,
      log: (m) => lines.push(m),
      localRunner: new LocalCommandRunner(dir, {}),
    },
    { submitRetryBaseMs: 20, logPollMs: 50, logCallsPerSecond: 50, ...o.tuning },
  );
}

/** Empty shared config and credentials files, so a profile lookup finds nothing on any machine. */
export function emptyAwsFiles(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-aws-'));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  return {
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  };
}

let seq = 0;
export function spec(command: string, over: Partial<SubmitSpec> = {}): SubmitSpec {
  seq++;
  return {
    tag: `sh-int-${seq}-${Math.random().toString(16).slice(2, 10)}`,
    name: `task ${seq}`,
    command,
    workingDir: null,
    cpus: 1,
    memory: '2G',
    timeLimit: '1:00:00',
    partition: null,
    account: null,
    stdoutPath: null,
    stderrPath: null,
    ...over,
  };
}

export function subject(
  id: string,
  stdoutPath: string | null,
  finished: () => boolean | Promise<boolean> = () => false,
): LogSubject {
  return {
    schedulerJobId: id,
    name: id,
    user: USER,
    nodes: null,
    submittedByScripthut: true,
    stdoutPath,
    stderrPath: null,
    finished,
  };
}

/** Calls `read` every 50 ms until `done` holds (real time: the testbed's tasks run for real). */
export async function until<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The id of a submitted outcome, or a failure naming the outcome. */
export function idOf(outcome: unknown): string {
  const o = outcome as { kind?: string; schedulerJobId?: string };
  if (o.kind !== 'submitted' || o.schedulerJobId === undefined)
    throw new Error(`not submitted: ${JSON.stringify(outcome)}`);
  return o.schedulerJobId;
}
