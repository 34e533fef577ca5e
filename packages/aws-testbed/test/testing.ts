import { BatchClient, DescribeJobsCommand, type JobDetail } from '@aws-sdk/client-batch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ECSClient, type Task } from '@aws-sdk/client-ecs';
import {
  batchQueueSetup,
  fargateTaskDefinition,
  startAwsTestServer,
  type AwsTestServer,
  type AwsTestServerOptions,
} from '../src/index';

export const REGION = 'us-east-1';

export interface Clients {
  batch: BatchClient;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
}

/** Real SDK clients pointed at the testbed; no SDK retries unless asked for. */
export function clientsFor(
  server: AwsTestServer,
  o: { accessKeyId?: string; maxAttempts?: number } = {},
): Clients {
  const config = {
    endpoint: server.url,
    region: REGION,
    credentials: { accessKeyId: o.accessKeyId ?? 'AKIDTESTBED', secretAccessKey: 'not-checked' },
    maxAttempts: o.maxAttempts ?? 1,
  };
  return {
    batch: new BatchClient(config),
    ecs: new ECSClient(config),
    logs: new CloudWatchLogsClient(config),
  };
}

/** A server with one queue `q` (16 vCPUs), job definition `jd`, cluster `c` (4 vCPUs), task definitions. */
export async function startTestbed(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
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
        command: 'echo default command',
      }),
      clusters: [{ name: 'c', vcpus: 4 }],
      taskDefinitions: [
        fargateTaskDefinition({
          family: 'td',
          logGroup: '/ecs/td',
          region: REGION,
          image: 'busybox',
          command: 'echo task default',
        }),
      ],
      logGroups: ['/ecs/td'],
      ...options.setup,
    },
  });
}

/** Polls `read` every 20 ms until `done` holds; returns every distinct value seen on the way. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 8_000,
): Promise<{ last: T; seen: T[] }> {
  const seen: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (seen.length === 0 || JSON.stringify(seen.at(-1)) !== JSON.stringify(value))
      seen.push(value);
    if (done(value)) return { last: value, seen };
    if (Date.now() > deadline)
      throw new Error(`pollUntil timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function describeJob(c: Clients, jobId: string): Promise<JobDetail> {
  const out = await c.batch.send(new DescribeJobsCommand({ jobs: [jobId] }));
  const job = out.jobs?.[0];
  if (!job) throw new Error(`job ${jobId} not described`);
  return job;
}

export async function waitForJob(
  c: Clients,
  jobId: string,
  done: (job: JobDetail) => boolean = (j) => j.status === 'SUCCEEDED' || j.status === 'FAILED',
  timeoutMs?: number,
): Promise<{ last: JobDetail; statuses: string[] }> {
  const { last, seen } = await pollUntil(() => describeJob(c, jobId), done, timeoutMs);
  const statuses = seen.map((j) => j.status ?? '').filter((s, i, all) => s !== all[i - 1]);
  return { last, statuses };
}

export async function describeTask(c: Clients, taskArn: string, cluster = 'c'): Promise<Task> {
  const out = await c.ecs.send(
    new DescribeTasksCommand({ cluster, tasks: [taskArn], include: ['TAGS'] }),
  );
  const task = out.tasks?.[0];
  if (!task) throw new Error(`task ${taskArn} not described: ${JSON.stringify(out.failures)}`);
  return task;
}

export async function waitForTask(
  c: Clients,
  taskArn: string,
  done: (t: Task) => boolean = (t) => t.lastStatus === 'STOPPED',
  timeoutMs?: number,
  cluster = 'c',
): Promise<{ last: Task; statuses: string[] }> {
  const { last, seen } = await pollUntil(() => describeTask(c, taskArn, cluster), done, timeoutMs);
  const statuses = seen.map((t) => t.lastStatus ?? '').filter((s, i, all) => s !== all[i - 1]);
  return { last, statuses };
}
