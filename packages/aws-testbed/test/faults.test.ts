import { DescribeJobQueuesCommand, ListJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import { DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClustersCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { clientsFor, startTestbed, waitForJob, waitForTask, type Clients } from './testing';

let server: AwsTestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestbed({ timeScale: 0.02 });
  c = clientsFor(server);
});
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

const submit = (jobName: string, command = 'true', client = c) =>
  client.batch.send(
    new SubmitJobCommand({
      jobName,
      jobQueue: 'q',
      jobDefinition: 'jd',
      containerOverrides: { command: ['bash', '-c', command] },
    }),
  );

const byName = async (jobName: string) =>
  (
    await c.batch.send(
      new ListJobsCommand({ jobQueue: 'q', filters: [{ name: 'JOB_NAME', values: [jobName] }] }),
    )
  ).jobSummaryList ?? [];

describe('throttling', () => {
  it('answers each service the way the SDK expects', async () => {
    server.throttleNext({ operation: 'batch:SubmitJob' });
    await expect(submit('throttled')).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    server.throttleNext({ operation: 'ecs:DescribeClusters' });
    await expect(
      c.ecs.send(new DescribeClustersCommand({ clusters: ['c'] })),
    ).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    server.throttleNext({ operation: 'logs:*' });
    await expect(
      c.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/td' })),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(await byName('throttled')).toEqual([]);
  });

  it("lets the SDK's own retry recover from one throttled call", async () => {
    const retrying = clientsFor(server, { maxAttempts: 3 });
    server.resetRequestLog();
    server.throttleNext({ operation: 'batch:DescribeJobQueues' });
    const out = await retrying.batch.send(new DescribeJobQueuesCommand({}));
    expect(out.jobQueues?.map((q) => q.jobQueueName)).toEqual(['q']);
    expect(out.$metadata.attempts).toBe(2);
    const log = server.requestLog();
    expect(log.map((e) => [e.operation, e.status, e.errorCode])).toEqual([
      ['DescribeJobQueues', 429, 'TooManyRequestsException'],
      ['DescribeJobQueues', 200, undefined],
    ]);
  });

  it('throttles a sustained rate with a token bucket', async () => {
    server.setRateLimit({ tps: { ecs: 5 } });
    const t0 = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        c.ecs.send(new DescribeClustersCommand({ clusters: ['c'] })),
      ),
    );
    const elapsedS = (Date.now() - t0) / 1000;
    server.setRateLimit({ tps: { ecs: null } });
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const throttled = results.filter(
      (r) => r.status === 'rejected' && (r.reason as Error).name === 'ThrottlingException',
    ).length;
    expect(ok + throttled).toBe(30);
    // A burst of 5, then 5 per second for as long as the calls took.
    expect(ok).toBeGreaterThanOrEqual(5);
    expect(ok).toBeLessThanOrEqual(5 + Math.ceil(elapsedS * 5));
    expect(throttled).toBeGreaterThan(0);
  });
});

describe('server errors', () => {
  it('answers 5xx before the action: nothing happened', async () => {
    server.failNext({ operation: 'batch:SubmitJob' });
    await expect(submit('before-5xx')).rejects.toMatchObject({
      name: 'ServerException',
      $metadata: { httpStatusCode: 500 },
    });
    expect(await byName('before-5xx')).toEqual([]);
  });

  it('answers 5xx after the action took effect: the job exists anyway', async () => {
    server.failNext({ operation: 'batch:SubmitJob', afterEffect: true });
    await expect(submit('after-5xx')).rejects.toMatchObject({ name: 'ServerException' });
    expect((await byName('after-5xx')).map((j) => j.jobName)).toEqual(['after-5xx']);
  });

  it('drops the connection after the action took effect', async () => {
    server.failNext({ operation: 'batch:SubmitJob', afterEffect: true, dropConnection: true });
    await expect(submit('dropped')).rejects.toThrow();
    expect(await byName('dropped')).toHaveLength(1);
    expect(server.requestLog().at(-2)).toMatchObject({ operation: 'SubmitJob', status: null });
  });

  it('makes an SDK retry after an after-effect 5xx submit a Batch job twice (no idempotency token)', async () => {
    const retrying = clientsFor(server, { maxAttempts: 2 });
    server.failNext({ operation: 'batch:SubmitJob', afterEffect: true });
    await submit('twice', 'true', retrying);
    expect(await byName('twice')).toHaveLength(2);
  });

  it('keeps an ECS RunTask retried after an after-effect 5xx to one task (same clientToken)', async () => {
    const retrying = clientsFor(server, { maxAttempts: 2 });
    server.failNext({ operation: 'ecs:RunTask', afterEffect: true });
    const out = await retrying.ecs.send(
      new RunTaskCommand({
        cluster: 'c',
        taskDefinition: 'td',
        launchType: 'FARGATE',
        startedBy: 'retried',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      }),
    );
    expect(out.tasks).toHaveLength(1);
    const runs = server.requestLog().filter((e) => e.operation === 'RunTask');
    expect(runs.map((e) => e.status)).toEqual([500, 200]);
  });

  it('delays answers of one operation', async () => {
    server.setDelay({ operation: 'batch:DescribeJobQueues', delayMs: 300 });
    const t0 = Date.now();
    await c.batch.send(new DescribeJobQueuesCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    server.setDelay({ operation: 'batch:DescribeJobQueues', delayMs: 0 });
  });
});

describe('job faults', () => {
  it('injects an OOM with exit code 0 (the documented odd case)', async () => {
    server.injectJobFault({ kind: 'oom-exit-0', namePattern: 'odd-oom*' });
    const { jobId } = await submit('odd-oom-1', 'sleep 30');
    const { last } = await waitForJob(c, jobId!);
    expect(last.container).toMatchObject({
      exitCode: 0,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
    expect(last.status).toBe('SUCCEEDED');
  });

  it('injects a host termination (no exit code) into a running job, which is retried', async () => {
    const { jobId } = await c.batch.send(
      new SubmitJobCommand({
        jobName: 'spot-victim',
        jobQueue: 'q',
        jobDefinition: 'jd',
        retryStrategy: { attempts: 2 },
        containerOverrides: {
          command: ['bash', '-c', '[ "$AWS_BATCH_JOB_ATTEMPT" = 2 ] || sleep 30'],
        },
      }),
    );
    await waitForJob(c, jobId!, (j) => j.status === 'RUNNING');
    expect(server.injectJobFault({ kind: 'host-terminated', jobId: jobId! })).toEqual({
      applied: 'now',
    });
    const { last } = await waitForJob(c, jobId!);
    expect(last.status).toBe('SUCCEEDED');
    expect(last.attempts?.[0]?.statusReason).toBe(
      'Host EC2 (instance i-0123456789abcdef0) terminated.',
    );
    expect(last.attempts?.[0]?.container?.exitCode).toBeUndefined();
  });

  it('injects a timeout and a failed start', async () => {
    server.injectJobFault({ kind: 'timeout', namePattern: 'will-time-out' });
    server.injectJobFault({ kind: 'failed-to-start', namePattern: 'bad-image' });
    const timedOut = await waitForJob(c, (await submit('will-time-out', 'sleep 30')).jobId!);
    expect(timedOut.last.statusReason).toBe('Job attempt duration exceeded timeout');
    const failed = await waitForJob(c, (await submit('bad-image')).jobId!);
    expect(failed.last.status).toBe('FAILED');
    expect(failed.statuses).not.toContain('RUNNING');
    expect(failed.last.container?.reason).toMatch(/^CannotPullContainerError: /);
  });

  it('injects a Spot interruption and a failed start into ECS tasks', async () => {
    server.injectJobFault({
      kind: 'spot-interruption',
      namePattern: 'spot-task',
      afterRunningMs: 50,
    });
    server.injectJobFault({ kind: 'failed-to-start', namePattern: 'no-pull' });
    const runTask = async (startedBy: string) =>
      (
        await c.ecs.send(
          new RunTaskCommand({
            cluster: 'c',
            taskDefinition: 'td',
            capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }],
            startedBy,
            networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
            overrides: { containerOverrides: [{ name: 'main', command: ['sleep', '30'] }] },
          }),
        )
      ).tasks?.[0]?.taskArn ?? '';
    const spot = await waitForTask(c, await runTask('spot-task'));
    expect(spot.last).toMatchObject({
      stopCode: 'SpotInterruption',
      capacityProviderName: 'FARGATE_SPOT',
    });
    const noPull = await waitForTask(c, await runTask('no-pull'));
    expect(noPull.last.stopCode).toBe('TaskFailedToStart');
    expect(noPull.last.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(noPull.statuses).not.toContain('RUNNING');
  });
});

describe('access', () => {
  it('answers AccessDeniedException naming the action', async () => {
    server.denyActions({ actions: ['batch:SubmitJob'] });
    const error = await submit('denied').catch((e: unknown) => e);
    server.denyActions({ actions: [] });
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    expect((error as Error).message).toBe(
      'User: arn:aws:iam::123456789012:user/test is not authorized to perform: batch:SubmitJob on ' +
        'resource: arn:aws:batch:us-east-1:123456789012:* because no identity-based policy allows ' +
        'the batch:SubmitJob action',
    );
  });

  it('refuses configured access keys as unrecognized or expired', async () => {
    server.refuseAccessKeys({
      keys: { AKIDBAD: 'UnrecognizedClientException', AKIDOLD: 'ExpiredTokenException' },
    });
    await expect(
      clientsFor(server, { accessKeyId: 'AKIDBAD' }).ecs.send(new DescribeClustersCommand({})),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      clientsFor(server, { accessKeyId: 'AKIDOLD' }).batch.send(new DescribeJobQueuesCommand({})),
    ).rejects.toMatchObject({ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses an unsigned request', async () => {
    const res = await fetch(`${server.url}/v1/describejobqueues`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
  });
});

describe('HTTP control API', () => {
  it('serves the same control methods under /_testbed/', async () => {
    const post = (name: string, body: unknown) =>
      fetch(`${server.url}/_testbed/${name}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('resetRequestLog', {})).status).toBe(200);
    await post('throttleNext', { operation: 'batch:DescribeJobQueues', count: 1 });
    await expect(c.batch.send(new DescribeJobQueuesCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    const counts = await (await fetch(`${server.url}/_testbed/requestCounts`)).json();
    expect(counts).toEqual({ result: { 'batch:DescribeJobQueues': 1 } });
    expect((await post('noSuchMethod', {})).status).toBe(404);
  });
});
