import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { RunTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { clientsFor, describeTask, startTestbed, waitForTask, type Clients } from './testing';

let server: AwsTestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestbed();
  c = clientsFor(server);
});
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

async function runTask(script: string): Promise<{ arn: string; stream: string }> {
  const out = await c.ecs.send(
    new RunTaskCommand({
      cluster: 'c',
      taskDefinition: 'td',
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      overrides: { containerOverrides: [{ name: 'main', command: ['bash', '-c', script] }] },
    }),
  );
  const arn = out.tasks?.[0]?.taskArn ?? '';
  return { arn, stream: `ecs/main/${arn.split('/').pop()}` };
}

const get = (
  stream: string,
  extra: { nextToken?: string; limit?: number; startFromHead?: boolean },
) =>
  c.logs.send(
    new GetLogEventsCommand({ logGroupName: '/ecs/td', logStreamName: stream, ...extra }),
  );

describe('CloudWatch Logs', () => {
  it('answers ResourceNotFoundException for a stream before the task runs, then serves it', async () => {
    server.setCapacityWait({ enabled: true });
    const { arn, stream } = await runTask('echo ready');
    await expect(get(stream, { startFromHead: true })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    expect((await describeTask(c, arn)).lastStatus).toBe('PROVISIONING');
    server.setCapacityWait({ enabled: false });
    await waitForTask(c, arn);
    const out = await get(stream, { startFromHead: true });
    expect(out.events?.map((e) => e.message)).toEqual(['ready']);
  });

  it('follows forward tokens until the token comes back unchanged', async () => {
    const { arn, stream } = await runTask(
      'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.05; done',
    );
    await waitForTask(c, arn, (t) => t.lastStatus === 'RUNNING');
    const seen: string[] = [];
    let token: string | undefined;
    let stopped = false;
    for (;;) {
      const page = await get(stream, {
        startFromHead: true,
        limit: 2,
        ...(token ? { nextToken: token } : {}),
      });
      seen.push(...(page.events ?? []).map((e) => e.message ?? ''));
      expect(page.events!.length).toBeLessThanOrEqual(2);
      const unchanged = page.nextForwardToken === token;
      token = page.nextForwardToken;
      if (unchanged && stopped) break;
      if (unchanged) {
        stopped = (await describeTask(c, arn)).lastStatus === 'STOPPED';
        await new Promise((r) => setTimeout(r, 20)); // poll interval of a tailer
      }
    }
    expect(seen).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });

  it('reads the newest events first without startFromHead, and pages backwards', async () => {
    const { arn, stream } = await runTask('for i in 1 2 3 4 5; do echo "n$i"; done');
    await waitForTask(c, arn);
    const tail = await get(stream, { limit: 2 });
    expect(tail.events?.map((e) => e.message)).toEqual(['n4', 'n5']);
    const before = await get(stream, { limit: 2, nextToken: tail.nextBackwardToken });
    expect(before.events?.map((e) => e.message)).toEqual(['n2', 'n3']);
    const after = await get(stream, { startFromHead: true, nextToken: tail.nextForwardToken });
    expect(after.events).toEqual([]);
    expect(after.nextForwardToken).toBe(tail.nextForwardToken);
    await expect(get(stream, { nextToken: 'garbage' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('describes streams by prefix and filters events across streams', async () => {
    const { arn } = await runTask('echo "needle one"; echo hay');
    await waitForTask(c, arn);
    const streams = await c.logs.send(
      new DescribeLogStreamsCommand({ logGroupName: '/ecs/td', logStreamNamePrefix: 'ecs/main/' }),
    );
    expect(streams.logStreams?.length).toBeGreaterThanOrEqual(4);
    const found = await c.logs.send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/td', filterPattern: 'needle' }),
    );
    expect(found.events?.map((e) => e.message)).toEqual(['needle one']);
    expect(found.nextToken).toBeUndefined();
  });

  it('creates groups and streams and stores put events', async () => {
    await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/app' }));
    await expect(
      c.logs.send(new CreateLogGroupCommand({ logGroupName: '/app' })),
    ).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    await c.logs.send(new CreateLogStreamCommand({ logGroupName: '/app', logStreamName: 's' }));
    await c.logs.send(
      new PutLogEventsCommand({
        logGroupName: '/app',
        logStreamName: 's',
        logEvents: [
          { timestamp: 1_700_000_000_000, message: 'a' },
          { timestamp: 1_700_000_000_001, message: 'b' },
        ],
      }),
    );
    const out = await c.logs.send(
      new GetLogEventsCommand({
        logGroupIdentifier: '/app',
        logStreamName: 's',
        startFromHead: true,
      }),
    );
    expect(out.events?.map((e) => [e.timestamp, e.message])).toEqual([
      [1_700_000_000_000, 'a'],
      [1_700_000_000_001, 'b'],
    ]);
  });
});
