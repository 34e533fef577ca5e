import type { AwsTestServer } from '@scripthut/aws-testbed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../runtime/clock';
import type { Backend, JobLogs, LogChunk } from '../backend';
import type { ClusterRuntime } from '../cluster-runtime';
import { ecsCluster, idOf, spec, startEcsTestbed, subject, until } from './ecs-testbed';

/** CloudWatch logs of ECS tasks (awslogs `<prefix>/<container>/<task id>`) on the aws-testbed. */
let server: AwsTestServer;
let cluster: ClusterRuntime;
let plain: ClusterRuntime;
let backend: Backend;
let logs: JobLogs;

beforeAll(async () => {
  server = await startEcsTestbed();
  cluster = ecsCluster(server);
  plain = ecsCluster(server, {
    config: { task_definition: 'plain', launch_type: 'EC2', network: undefined },
  });
  backend = cluster.backend;
  logs = backend.logs!;
});
afterAll(async () => {
  await cluster.close?.();
  await plain.close?.();
  await server.close();
});

const finished = (id: string) => async (): Promise<boolean> =>
  (await backend.finalReports([id])).has(id);

async function collect(
  gen: AsyncGenerator<LogChunk>,
  stopAfterData = Infinity,
): Promise<LogChunk[]> {
  const chunks: LogChunk[] = [];
  for await (const c of gen) {
    chunks.push(c);
    if (chunks.filter((x) => x.kind === 'data').length >= stopAfterData) break;
  }
  return chunks;
}

describe('ECS task logs', () => {
  it('tails the last lines of a finished task from its stream, found from the task when the job has no location yet', async () => {
    const s = spec('for i in 1 2 3 4 5; do echo "line $i"; done');
    const id = idOf((await backend.submitMany([s])).get(s.tag));
    await until(finished(id), (done) => done);
    const read = await logs.tail(subject(id, null), 'output', 2);
    expect(read).toMatchObject({
      available: true,
      exists: true,
      location: `/ecs/worker:ecs/main/${id}`,
      content: 'line 4\nline 5\n',
    });
    expect(await logs.download(subject(id, `/ecs/worker:ecs/main/${id}`), 'output')).toMatchObject({
      content: 'line 1\nline 2\nline 3\nline 4\nline 5\n',
    });
    expect(await logs.tail(subject(id, null), 'error', 10)).toEqual({
      available: false,
      reason: expect.stringContaining('one stream') as unknown,
    });
  });

  it('follows a task from before it starts (waiting) to its end, and resumes exactly after a reconnect', async () => {
    server.setCapacityWait({ enabled: true });
    const s = spec('for i in 1 2 3 4 5 6; do echo "step $i"; sleep 0.15; done');
    const id = idOf((await backend.submitMany([s])).get(s.tag));
    const job = subject(id, null, () => false);
    const first: LogChunk[] = [];
    const gen = logs.follow(job, 'output', { clock: systemClock, from: null });
    const head = await gen.next();
    first.push(head.value as LogChunk);
    expect(first[0]).toEqual({
      kind: 'waiting',
      reason: `the log stream /ecs/worker:ecs/main/${id} does not exist yet (the job has not started)`,
    });
    server.setCapacityWait({ enabled: false });
    for (;;) {
      const next = await gen.next();
      first.push(next.value as LogChunk);
      if ((next.value as LogChunk).kind === 'data') break;
    }
    await gen.return(undefined);
    const data = first.filter((c) => c.kind === 'data');
    const cursor = data.at(-1)!.kind === 'data' ? (data.at(-1) as { cursor: string }).cursor : '';
    const rest = await collect(
      logs.follow(subject(id, null, finished(id)), 'output', { clock: systemClock, from: cursor }),
    );
    expect(rest.at(-1)).toEqual({
      kind: 'end',
      reason: 'the job has finished and its log stream has no more events',
    });
    const text = [...data, ...rest].map((c) => (c.kind === 'data' ? c.text : '')).join('');
    expect(text).toBe('step 1\nstep 2\nstep 3\nstep 4\nstep 5\nstep 6\n');
  });

  it('says why there are no logs when the container does not use the awslogs driver', async () => {
    const s = spec('sleep 1', { memory: '256M' });
    const id = idOf((await plain.backend.submitMany([s])).get(s.tag));
    const read = await plain.backend.logs!.tail(subject(id, null), 'output', 10);
    expect(read).toEqual({
      available: false,
      reason:
        'container app of plain:1 has no log configuration, not awslogs: ScriptHut reads logs from CloudWatch Logs only (or set log_group and log_stream_prefix in the config)',
    });
    const jobs = await until(
      async () => await plain.backend.listJobs(),
      (js) => js.some((j) => j.schedulerJobId === id),
    );
    expect(jobs.find((j) => j.schedulerJobId === id)).toMatchObject({
      partition: 'EC2',
      stdoutPath: null,
    });
  });

  it('sent requests and received answers that all match the botocore models', () => {
    expect(server.violations()).toEqual([]);
  });
});
