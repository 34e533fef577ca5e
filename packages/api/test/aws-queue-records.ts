import {
  BatchClient,
  DescribeJobsCommand,
  ListJobsCommand,
  type JobDetail,
  type JobStatus,
} from '@aws-sdk/client-batch';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { batchQueueSetup, fargateTaskDefinition, type TestbedSetup } from '@scripthut/aws-testbed';
import type { SchedulerRecord } from './queue-helpers';

/**
 * Test-only: an AWS test server set up with one Batch job queue and one ECS
 * cluster, and what AWS itself holds about a ScriptHut queue, read with the
 * real SDK clients, independent of ScriptHut's database and code.
 */

export const AWS_REGION = 'us-east-1';

/** Static keys for the server's environment; the test server parses signatures but never checks them. */
export const AWS_TEST_KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIDSIGKILLTEST',
  AWS_SECRET_ACCESS_KEY: 'sigkill-not-a-secret',
};

export const JOB_QUEUE = 'sigkill-queue';
export const JOB_DEFINITION = 'sigkill-jobdef';
export const ECS_CLUSTER = 'sigkill-jobs';
export const TASK_DEFINITION = 'sigkill-worker';

/** 16 vCPUs on each side: room for a queue of 1-vCPU tasks at max_concurrent 15. */
export const SIGKILL_SETUP: TestbedSetup = {
  ...batchQueueSetup({
    queue: JOB_QUEUE,
    computeEnvironment: 'sigkill-ce',
    maxVcpus: 16,
    jobDefinition: JOB_DEFINITION,
  }),
  clusters: [{ name: ECS_CLUSTER, vcpus: 16 }],
  taskDefinitions: [
    fargateTaskDefinition({
      family: TASK_DEFINITION,
      logGroup: '/ecs/sigkill-worker',
      region: AWS_REGION,
    }),
  ],
  logGroups: ['/aws/batch/job', '/ecs/sigkill-worker'],
};

/** What AWS holds: the queue's jobs by task position, and every other job it has (none expected). */
export interface AwsRecords {
  byPosition: Map<number, SchedulerRecord[]>;
  untagged: string[];
}

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: AWS_REGION,
  credentials: {
    accessKeyId: AWS_TEST_KEYS.AWS_ACCESS_KEY_ID,
    secretAccessKey: AWS_TEST_KEYS.AWS_SECRET_ACCESS_KEY,
  },
});

const BATCH_STATUSES: JobStatus[] = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

/** Every job of the Batch job queue, in every status (ListJobs per status, DescribeJobs by 100). */
export async function batchRecordsOfQueue(endpoint: string, queueId: string): Promise<AwsRecords> {
  const batch = new BatchClient(clientConfig(endpoint));
  try {
    const ids: string[] = [];
    for (const jobStatus of BATCH_STATUSES) {
      let nextToken: string | undefined;
      do {
        const page = await batch.send(
          new ListJobsCommand({ jobQueue: JOB_QUEUE, jobStatus, nextToken }),
        );
        ids.push(...(page.jobSummaryList ?? []).map((j) => j.jobId!));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    const details: JobDetail[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const page = await batch.send(new DescribeJobsCommand({ jobs: ids.slice(i, i + 100) }));
      details.push(...(page.jobs ?? []));
    }
    return group(queueId, details, (job) => {
      const tag = job.tags?.['scripthut:tag'] ?? null;
      // The job name starts with the tag (how ScriptHut finds it by ListJobs' name filter).
      const named = tag !== null && job.jobName?.startsWith(`${tag}_`) === true;
      const exitCode = job.container?.exitCode ?? job.attempts?.at(-1)?.container?.exitCode;
      return {
        tag: named ? tag : null,
        record: {
          schedulerJobId: job.jobId!,
          tag: tag ?? '',
          state:
            job.status === 'SUCCEEDED'
              ? 'completed'
              : job.status === 'FAILED'
                ? job.isCancelled || job.isTerminated
                  ? 'cancelled'
                  : 'failed'
                : null,
          exitCode: exitCode ?? null,
          raw: `${job.jobId} ${job.jobName} ${job.status} exit ${exitCode ?? '-'}`,
        },
      };
    });
  } finally {
    batch.destroy();
  }
}

/** Every task of the ECS cluster, live and stopped (ListTasks per desired status, DescribeTasks by 100 with tags). */
export async function ecsRecordsOfQueue(endpoint: string, queueId: string): Promise<AwsRecords> {
  const ecs = new ECSClient(clientConfig(endpoint));
  try {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      let nextToken: string | undefined;
      do {
        const page = await ecs.send(
          new ListTasksCommand({ cluster: ECS_CLUSTER, desiredStatus, nextToken }),
        );
        arns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    const tasks: Task[] = [];
    for (let i = 0; i < arns.length; i += 100) {
      const page = await ecs.send(
        new DescribeTasksCommand({
          cluster: ECS_CLUSTER,
          tasks: arns.slice(i, i + 100),
          include: ['TAGS'],
        }),
      );
      tasks.push(...(page.tasks ?? []));
    }
    return group(queueId, tasks, (task) => {
      const tagged = task.tags?.find((t) => t.key === 'scripthut:tag')?.value ?? null;
      const env = task.overrides?.containerOverrides
        ?.flatMap((c) => c.environment ?? [])
        .find((e) => e.name === 'SCRIPTHUT_TAG')?.value;
      const main = task.containers?.find((c) => c.name === 'main');
      const id = task.taskArn!.split('/').at(-1)!;
      const stopped = task.lastStatus === 'STOPPED';
      const exitCode = main?.exitCode ?? null;
      return {
        // Tags and the container's environment must agree.
        tag: tagged !== null && tagged === env ? tagged : null,
        record: {
          schedulerJobId: id,
          tag: tagged ?? env ?? '',
          state: !stopped
            ? null
            : task.stopCode === 'UserInitiated'
              ? 'cancelled'
              : exitCode === 0
                ? 'completed'
                : 'failed',
          exitCode,
          raw: `${id} ${task.lastStatus} ${task.stopCode ?? ''} exit ${exitCode ?? '-'}`,
        },
      };
    });
  } finally {
    ecs.destroy();
  }
}

/** The ScriptHut tag a SubmitJob (tags map) or RunTask (tags list) request carries; null without one. */
export function tagOfSubmitInput(input: unknown): string | null {
  const tags = (input as { tags?: unknown } | null)?.tags;
  if (Array.isArray(tags)) {
    const found = (tags as { key?: string; value?: string }[]).find(
      (t) => t.key === 'scripthut:tag',
    );
    return found?.value ?? null;
  }
  const value = (tags as Record<string, unknown> | undefined)?.['scripthut:tag'];
  return typeof value === 'string' ? value : null;
}

function group<T>(
  queueId: string,
  items: readonly T[],
  read: (item: T) => { tag: string | null; record: SchedulerRecord },
): AwsRecords {
  const tagOf = new RegExp(`^sh-${queueId}-(\\d+)-[0-9a-f]+$`);
  const out: AwsRecords = { byPosition: new Map(), untagged: [] };
  for (const item of items) {
    const { tag, record } = read(item);
    const m = tag === null ? null : tagOf.exec(tag);
    if (!m?.[1]) {
      out.untagged.push(record.raw);
      continue;
    }
    const position = Number(m[1]);
    out.byPosition.set(position, [...(out.byPosition.get(position) ?? []), record]);
  }
  return out;
}
