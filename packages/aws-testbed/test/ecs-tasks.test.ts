import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { clientsFor, describeTask, startTestbed, waitForTask, type Clients } from './testing';

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

const SLOW_ECS = {
  PROVISIONING: 150,
  PENDING: 150,
  ACTIVATING: 150,
  DEACTIVATING: 150,
  STOPPING: 150,
  DEPROVISIONING: 150,
};

const network = {
  awsvpcConfiguration: { subnets: ['subnet-0abc'], assignPublicIp: 'DISABLED' as const },
};

async function run(o: Partial<RunTaskCommandInput> & { command?: string } = {}): Promise<string[]> {
  const { command, ...rest } = o;
  const out = await c.ecs.send(
    new RunTaskCommand({
      cluster: 'c',
      taskDefinition: 'td',
      launchType: 'FARGATE',
      networkConfiguration: network,
      ...(command
        ? {
            overrides: { containerOverrides: [{ name: 'main', command: ['bash', '-c', command] }] },
          }
        : {}),
      ...rest,
    }),
  );
  expect(out.failures).toEqual([]);
  return (out.tasks ?? []).map((t) => t.taskArn ?? '');
}

const taskId = (arn: string): string => arn.split('/').pop() ?? '';

describe('ECS tasks', () => {
  it('walks PROVISIONING → … → STOPPED and reports the real exit code and log lines', async () => {
    // Dwell long enough that a 20 ms poll sees every state even on a loaded machine.
    const slow = await startTestbed({ ecsDwellMs: SLOW_ECS });
    const mainC = c;
    c = clientsFor(slow);
    try {
      const [arn = ''] = await run({
        overrides: {
          containerOverrides: [
            {
              name: 'main',
              command: ['bash', '-c', 'echo "hello $GREETING"; echo oops >&2; sleep 0.3; exit 4'],
              environment: [{ name: 'GREETING', value: 'world' }],
            },
          ],
        },
        startedBy: 'scripthut-run1',
      });
      const { last, statuses } = await waitForTask(c, arn);
      expect(statuses).toEqual([
        'PROVISIONING',
        'PENDING',
        'ACTIVATING',
        'RUNNING',
        'DEACTIVATING',
        'STOPPING',
        'DEPROVISIONING',
        'STOPPED',
      ]);
      expect(last).toMatchObject({
        desiredStatus: 'STOPPED',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        startedBy: 'scripthut-run1',
        launchType: 'FARGATE',
      });
      expect(last.containers?.[0]).toMatchObject({
        name: 'main',
        exitCode: 4,
        lastStatus: 'STOPPED',
      });
      // Epoch seconds on the wire, Dates in the SDK.
      expect(last.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(last.createdAt!.getTime() - Date.now())).toBeLessThan(60_000);
      expect(last.stoppedAt!.getTime()).toBeGreaterThanOrEqual(last.startedAt!.getTime());
      const logs = await c.logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/td',
          logStreamName: `ecs/main/${taskId(arn)}`,
          startFromHead: true,
        }),
      );
      expect(logs.events?.map((e) => e.message)).toEqual(['hello world', 'oops']);
      expect(slow.violations()).toEqual([]);
    } finally {
      c = mainC;
      await slow.close();
    }
  });

  it('returns the same tasks for a repeated clientToken and launches nothing twice', async () => {
    const input = { clientToken: 'token-1', startedBy: 'idem', command: 'sleep 0.2' };
    const first = await run(input);
    const second = await run(input);
    expect(second).toEqual(first);
    const listed = await c.ecs.send(new ListTasksCommand({ cluster: 'c', startedBy: 'idem' }));
    expect(listed.taskArns).toEqual(first);
    await expect(run({ ...input, command: 'sleep 1' })).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });

  it('keeps tags and answers them with include TAGS and ListTagsForResource', async () => {
    const [arn = ''] = await run({ tags: [{ key: 'run', value: 'r1' }], command: 'true' });
    const task = await describeTask(c, arn);
    expect(task.tags).toEqual([{ key: 'run', value: 'r1' }]);
    const tags = await c.ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    expect(tags.tags).toEqual([{ key: 'run', value: 'r1' }]);
  });

  it('StopTask stops a running task with UserInitiated and the given reason', async () => {
    const [arn = ''] = await run({ command: 'sleep 30' });
    await waitForTask(c, arn, (t) => t.lastStatus === 'RUNNING');
    const stop = await c.ecs.send(
      new StopTaskCommand({ cluster: 'c', task: arn, reason: 'cancelled by user' }),
    );
    expect(stop.task?.desiredStatus).toBe('STOPPED');
    const { last } = await waitForTask(c, arn);
    expect(last).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'cancelled by user' });
    expect(last.containers?.[0]?.exitCode).toBe(143);
    const stopped = await c.ecs.send(
      new ListTasksCommand({ cluster: 'c', desiredStatus: 'STOPPED' }),
    );
    expect(stopped.taskArns).toContain(arn);
  });

  it('kills a container above its memory as OutOfMemoryError with EssentialContainerExited', async () => {
    const [arn = ''] = await run({
      overrides: {
        containerOverrides: [
          {
            name: 'main',
            memory: 128,
            command: ['python3', '-c', 'b=bytearray(300*1024*1024); import time; time.sleep(5)'],
          },
        ],
      },
    });
    const { last } = await waitForTask(c, arn);
    expect(last.stopCode).toBe('EssentialContainerExited');
    expect(last.containers?.[0]).toMatchObject({
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
  });

  it('requires networkConfiguration for FARGATE / awsvpc, and names unknown clusters and definitions', async () => {
    await expect(
      c.ecs.send(new RunTaskCommand({ cluster: 'c', taskDefinition: 'td', launchType: 'FARGATE' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      c.ecs.send(new RunTaskCommand({ cluster: 'nope', taskDefinition: 'td' })),
    ).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(
      c.ecs.send(new RunTaskCommand({ cluster: 'c', taskDefinition: 'missing:3' })),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('reports unknown task ids in failures MISSING', async () => {
    const out = await c.ecs.send(
      new DescribeTasksCommand({ cluster: 'c', tasks: ['0123456789abcdef0123456789abcdef'] }),
    );
    expect(out.tasks).toEqual([]);
    expect(out.failures?.[0]?.reason).toBe('MISSING');
  });

  it('keeps tasks beyond the cluster vCPUs in PROVISIONING until capacity frees', async () => {
    const arns = await run({ count: 5, startedBy: 'cap', command: 'sleep 0.5' });
    expect(arns).toHaveLength(5);
    const last = arns[4] ?? '';
    const firstRunning = await waitForTask(c, arns[0] ?? '', (t) => t.lastStatus === 'RUNNING');
    expect(firstRunning.last.lastStatus).toBe('RUNNING');
    expect((await describeTask(c, last)).lastStatus).toBe('PROVISIONING');
    const done = await waitForTask(c, last);
    const others = await Promise.all(arns.slice(0, 4).map((a) => waitForTask(c, a)));
    const firstFreed = Math.min(...others.map((o) => o.last.executionStoppedAt!.getTime()));
    expect(done.last.startedAt!.getTime()).toBeGreaterThanOrEqual(firstFreed);
  });

  it('pages ListTasks with nextToken', async () => {
    const arns = await run({ count: 3, startedBy: 'paged', command: 'true' });
    for (const arn of arns) await waitForTask(c, arn);
    const page1 = await c.ecs.send(
      new ListTasksCommand({
        cluster: 'c',
        desiredStatus: 'STOPPED',
        startedBy: 'paged',
        maxResults: 2,
      }),
    );
    expect(page1.taskArns).toHaveLength(2);
    const page2 = await c.ecs.send(
      new ListTasksCommand({
        cluster: 'c',
        desiredStatus: 'STOPPED',
        startedBy: 'paged',
        nextToken: page1.nextToken,
      }),
    );
    expect([...(page1.taskArns ?? []), ...(page2.taskArns ?? [])].sort()).toEqual([...arns].sort());
    expect(page2.nextToken).toBeUndefined();
  });
});
