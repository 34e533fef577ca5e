import {
  CancelJobCommand,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  type JobStatus,
} from '@aws-sdk/client-batch';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationFaults } from '../src/faults/operation-faults';
import { RequestLog } from '../src/faults/request-log';
import { AccessPolicy } from '../src/server/access-policy';
import { handleAwsRequest, type RecordedViolation } from '../src/server/handle-aws-request';
import type { AwsTestServer } from '../src/index';
import { createTestbed } from '../src/server/create-testbed';
import { clientsFor, startTestbed, waitForJob, waitForTask, type Clients } from './testing';

let server: AwsTestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestbed();
  c = clientsFor(server);
});
afterAll(() => server.close());

describe('every implemented operation against the botocore models', () => {
  it('answers all of them through the real SDK clients with zero violations', async () => {
    const batch = c.batch;
    await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'ce-managed',
        type: 'MANAGED',
        computeResources: {
          type: 'EC2',
          maxvCpus: 8,
          subnets: ['subnet-1'],
          instanceRole: 'ecsInstanceRole',
        },
      }),
    );
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'q2',
        priority: 5,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce-managed' }],
      }),
    );
    await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'jd2',
        type: 'container',
        containerProperties: {
          image: 'busybox',
          command: ['echo', 'Ref::word'],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/batch/custom' } },
        },
        parameters: { word: 'hello' },
        timeout: { attemptDurationSeconds: 600 },
      }),
    );
    await batch.send(new DescribeComputeEnvironmentsCommand({}));
    await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['q2'] }));
    await batch.send(
      new DescribeJobDefinitionsCommand({ jobDefinitionName: 'jd2', status: 'ACTIVE' }),
    );
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: 'conf',
        jobQueue: 'q2',
        jobDefinition: 'jd2',
        tags: { a: 'b' },
      }),
    );
    const done = await waitForJob(c, jobId!);
    expect(done.last.status).toBe('SUCCEEDED');
    const custom = await c.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/batch/custom',
        logStreamName: done.last.container?.logStreamName,
        startFromHead: true,
      }),
    );
    expect(custom.events?.map((e) => e.message)).toEqual(['hello']);
    const second = await batch.send(
      new SubmitJobCommand({
        jobName: 'conf2',
        jobQueue: 'q',
        jobDefinition: 'jd:1',
        dependsOn: [{ jobId: jobId! }],
      }),
    );
    await batch.send(new CancelJobCommand({ jobId: second.jobId, reason: 'conformance' }));
    await batch.send(new TerminateJobCommand({ jobId: second.jobId, reason: 'conformance' }));
    for (const jobStatus of [
      'SUBMITTED',
      'PENDING',
      'RUNNABLE',
      'STARTING',
      'RUNNING',
      'SUCCEEDED',
      'FAILED',
    ] as const) {
      await batch.send(new ListJobsCommand({ jobQueue: 'q2', jobStatus }));
    }
    await batch.send(new DescribeJobsCommand({ jobs: [jobId!, second.jobId!] }));

    const ecs = c.ecs;
    await ecs.send(
      new CreateClusterCommand({ clusterName: 'c2', tags: [{ key: 'k', value: 'v' }] }),
    );
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'ec2-td',
        containerDefinitions: [
          {
            name: 'app',
            image: 'busybox',
            memory: 256,
            cpu: 128,
            command: ['sleep', '30'],
            workingDirectory: '/tmp',
          },
          { name: 'sidecar', image: 'busybox', essential: false, command: ['sleep', '30'] },
        ],
        tags: [{ key: 'team', value: 'hut' }],
      }),
    );
    await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'ec2-td:1', include: ['TAGS'] }),
    );
    await ecs.send(new DescribeClustersCommand({ clusters: ['c2', 'missing'] }));
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'c2',
        taskDefinition: 'ec2-td',
        launchType: 'EC2',
        propagateTags: 'TASK_DEFINITION',
      }),
    );
    const arn = run.tasks?.[0]?.taskArn ?? '';
    await waitForTask(c, arn, (t) => t.lastStatus === 'RUNNING', undefined, 'c2');
    await ecs.send(new ListTasksCommand({ cluster: 'c2' }));
    await ecs.send(new StopTaskCommand({ cluster: 'c2', task: arn, reason: 'conformance' }));
    const stopped = await waitForTask(c, arn, undefined, undefined, 'c2');
    expect(stopped.last.containers?.map((x) => x.lastStatus)).toEqual(['STOPPED', 'STOPPED']);
    await ecs.send(
      new DescribeTasksCommand({ cluster: 'c2', tasks: [arn, 'nope'], include: ['TAGS'] }),
    );
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'team', value: 'hut' },
    ]);

    const logs = c.logs;
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/conf' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/conf', logStreamName: 's' }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/conf',
        logStreamName: 's',
        logEvents: [{ timestamp: 1, message: 'x' }],
      }),
    );
    await logs.send(new GetLogEventsCommand({ logGroupName: '/conf', logStreamName: 's' }));
    await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: '/conf',
        orderBy: 'LastEventTime',
        descending: true,
      }),
    );
    await logs.send(new FilterLogEventsCommand({ logGroupName: '/conf', logStreamNames: ['s'] }));

    expect(server.violations()).toEqual([]);
    const served = Object.keys(server.requestCounts()).sort();
    const probe = createTestbed({ validate: false });
    probe.close();
    rmSync(probe.workRoot, { recursive: true, force: true });
    const implemented = Object.entries(probe.deps.operations)
      .flatMap(([service, table]) => Object.keys(table).map((op) => `${service}:${op}`))
      .sort();
    expect(served).toEqual(implemented);
  });

  it('answers a request that breaks the model as AWS would, and records it', async () => {
    server.resetViolations();
    await expect(
      c.batch.send(new ListJobsCommand({ jobQueue: 'q', jobStatus: 'CANCELLED' as JobStatus })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(
        /^1 validation error detected: jobStatus: 'CANCELLED' is not one of JobStatus/,
      ) as unknown,
    });
    expect(server.violations()).toMatchObject([
      { service: 'batch', operation: 'ListJobs', direction: 'request', path: 'jobStatus' },
    ]);
    server.resetViolations();
  });
});

describe('a response that drifts from the model', () => {
  it('becomes a 500 ServerException naming the violation, and is recorded', async () => {
    const violations: RecordedViolation[] = [];
    const drifted = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        void handleAwsRequest(req, res, body, {
          operations: {
            batch: {
              DescribeJobQueues: () => ({ jobQueues: [{ jobQueueName: 'q', state: 'SLEEPY' }] }),
            },
            ecs: {},
            logs: {},
          },
          policy: new AccessPolicy({
            region: 'us-east-1',
            accountId: '1',
            principalArn: 'arn:aws:iam::1:user/t',
          }),
          faults: new OperationFaults(),
          log: new RequestLog(),
          validate: true,
          violations,
        });
      });
    });
    await new Promise<void>((r) => drifted.listen(0, '127.0.0.1', r));
    const port = (drifted.address() as AddressInfo).port;
    const client = clientsFor({ url: `http://127.0.0.1:${port}` } as AwsTestServer).batch;
    const error = await client.send(new DescribeJobQueuesCommand({})).catch((e: unknown) => e);
    drifted.close();
    expect(error).toMatchObject({ name: 'ServerException', $metadata: { httpStatusCode: 500 } });
    expect((error as Error).message).toMatch(
      /jobQueues\[0\]\.state: 'SLEEPY' is not one of JQState/,
    );
    expect(violations.map((v) => [v.direction, v.path])).toEqual([
      ['response', 'jobQueues[0].jobQueueArn'],
      ['response', 'jobQueues[0].priority'],
      ['response', 'jobQueues[0].computeEnvironmentOrder'],
      ['response', 'jobQueues[0].state'],
    ]);
  });
});
