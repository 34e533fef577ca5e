import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  ECSClient,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../cluster-runtime';
import { ecsCluster, idOf, KEYS, REGION, spec, subject, USER } from './ecs-testbed';
import { startMotoServer, type MotoServer } from './moto-server';

/**
 * The same backend against moto_server, an independent implementation of
 * the ECS and Logs wire protocols, for what moto models: RunTask's request
 * shape (tags, startedBy, overrides, awsvpc), ListTasks by desiredStatus and
 * startedBy, DescribeTasks with tags, StopTask with our reason, and
 * GetLogEvents paging with forward tokens.
 *
 * What moto cannot prove: the lifecycle (its tasks step through statuses
 * as they are described and stop at once on StopTask, with no stopCode and
 * no container exit codes), exit codes, OOM,
 * start failures, clientToken idempotency (moto ignores the token), placement
 * failures (an EC2 task that does not fit comes back with neither a task nor
 * a failure), and the awslogs driver (moto writes no task logs: the test
 * writes the stream itself). moto's Fargate RunTask crashes unless the task
 * definition's containers have `memory`, and its EC2 RunTask needs a
 * registered container instance (4096 CPU units, 7482 MiB) of an EC2
 * instance it runs; awsvpc tasks need subnets and security groups that
 * exist in its EC2, in a VPC with DNS hostnames enabled.
 */
let moto: MotoServer;
let fargate: ClusterRuntime;
let ec2: ClusterRuntime;
let network: { subnets: string[]; security_groups: string[] };
const motoClient = {
  region: REGION,
  credentials: { accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY },
};

beforeAll(async () => {
  moto = await startMotoServer();
  const ecs = new ECSClient({ ...motoClient, endpoint: moto.url });
  await ecs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
  const awslogs = {
    logDriver: 'awslogs' as const,
    options: {
      'awslogs-group': '/ecs/worker',
      'awslogs-region': REGION,
      'awslogs-stream-prefix': 'ecs',
    },
  };
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'worker',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '1024',
      memory: '2048',
      containerDefinitions: [
        { name: 'main', image: 'bash:5', essential: true, memory: 2048, logConfiguration: awslogs },
      ],
    }),
  );
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'plain',
      containerDefinitions: [
        { name: 'app', image: 'bash:5', essential: true, cpu: 1024, memory: 1024 },
      ],
    }),
  );
  // moto checks subnets and security groups against its EC2, and registers a container instance only for an instance it runs.
  const vpcId = await motoEc2(moto.url, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }, 'vpcId');
  // moto's ENI for an awsvpc task needs a VPC with DNS hostnames (else its RunTask answers 500).
  await motoEc2(
    moto.url,
    { Action: 'ModifyVpcAttribute', VpcId: vpcId, 'EnableDnsHostnames.Value': 'true' },
    'requestId',
  );
  const subnetId = await motoEc2(
    moto.url,
    { Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: '10.0.1.0/24' },
    'subnetId',
  );
  const groupId = await motoEc2(
    moto.url,
    { Action: 'CreateSecurityGroup', VpcId: vpcId, GroupName: 'tasks', GroupDescription: 'tasks' },
    'groupId',
  );
  const instanceId = await motoEc2(
    moto.url,
    { Action: 'RunInstances', ImageId: 'ami-12c6146b', MinCount: '1', MaxCount: '1' },
    'instanceId',
  );
  await ecs.send(
    new RegisterContainerInstanceCommand({
      cluster: 'jobs',
      instanceIdentityDocument: JSON.stringify({ instanceId }),
    }),
  );
  ecs.destroy();
  const server = { url: moto.url } as Parameters<typeof ecsCluster>[0];
  network = { subnets: [subnetId], security_groups: [groupId] };
  fargate = ecsCluster(server, { config: { network } });
  ec2 = ecsCluster(server, {
    config: { task_definition: 'plain', launch_type: 'EC2', network: undefined },
  });
}, 60_000);
afterAll(async () => {
  await fargate?.close?.();
  await ec2?.close?.();
  await moto?.stop();
});

/** One EC2 query-protocol call to moto (it does not check the signature); the text of `<tag>` in the answer. */
async function motoEc2(url: string, params: Record<string, string>, tag: string): Promise<string> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${KEYS.AWS_ACCESS_KEY_ID}/20260101/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }).toString(),
  });
  const value = new RegExp(`<${tag}>([^<]+)<`).exec(await r.text())?.[1];
  if (value === undefined) throw new Error(`moto EC2 ${params.Action} gave no ${tag}`);
  return value;
}

describe('ECS backend against moto_server', () => {
  it('runs a Fargate task that moto lists with our owner, name and command', async () => {
    const s = spec('echo from moto', { name: 'Moto task' });
    const id = idOf((await fargate.backend.submitMany([s])).get(s.tag));
    const job = (await fargate.backend.listJobs()).find((j) => j.schedulerJobId === id);
    // moto advances a task's lastStatus on each describe, so the state itself proves nothing here.
    expect(job).toMatchObject({
      user: USER,
      name: 'Moto task',
      command: 'echo from moto',
      partition: 'FARGATE',
    });
    expect(fargate.backend.connection?.()).toEqual({ state: 'connected', lastError: null });
  });

  it('finds a task by tag from a fresh backend, running and after our StopTask', async () => {
    const s = spec('sleep 60');
    const id = idOf((await fargate.backend.submitMany([s])).get(s.tag));
    const server = { url: moto.url } as Parameters<typeof ecsCluster>[0];
    const again = ecsCluster(server, { config: { network } });
    try {
      expect(await again.backend.findByTags([s.tag])).toEqual(new Map([[s.tag, id]]));
      expect((await fargate.backend.cancel([id]))[0]).toMatchObject({ ok: true });
      expect(await again.backend.findByTags([s.tag])).toEqual(new Map([[s.tag, id]]));
    } finally {
      await again.close?.();
    }
    // moto sets no stopCode; ScriptHut's own reason still says who cancelled.
    expect((await fargate.backend.finalReports([id])).get(id)).toMatchObject({
      outcome: 'CANCELLED',
      cancelledBy: USER,
    });
  });

  it('runs an EC2 task on the registered container instance', async () => {
    const s = spec('true', { memory: '512M' });
    const id = idOf((await ec2.backend.submitMany([s])).get(s.tag));
    const job = (await ec2.backend.listJobs()).find((j) => j.schedulerJobId === id);
    expect(job?.nodes).toMatch(/^[0-9a-f-]+$/);
  });

  it("tails and follows a log stream through moto's GetLogEvents forward tokens", async () => {
    const s = spec('true');
    const id = idOf((await fargate.backend.submitMany([s])).get(s.tag));
    const logs = new CloudWatchLogsClient({ ...motoClient, endpoint: moto.url });
    const stream = `ecs/main/${id}`;
    await logs
      .send(new CreateLogGroupCommand({ logGroupName: '/ecs/worker' }))
      .catch(() => undefined);
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: '/ecs/worker', logStreamName: stream }),
    );
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/worker',
        logStreamName: stream,
        logEvents: ['a', 'b', 'c'].map((message, i) => ({ message, timestamp: now + i })),
      }),
    );
    logs.destroy();
    const job = (await fargate.backend.listJobs()).find((j) => j.schedulerJobId === id);
    expect(job?.stdoutPath).toBe(`/ecs/worker:${stream}`);
    expect(
      await fargate.backend.logs!.tail(subject(id, job!.stdoutPath), 'output', 2),
    ).toMatchObject({ content: 'b\nc\n' });
    const chunks = [];
    for await (const c of fargate.backend.logs!.follow(
      subject(id, job!.stdoutPath, () => true),
      'output',
      {
        clock: { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
        from: null,
      },
    )) {
      chunks.push(c);
    }
    expect(chunks.map((c) => (c.kind === 'data' ? c.text : c.kind))).toEqual(['a\nb\nc\n', 'end']);
  });
});
