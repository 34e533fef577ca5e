import type { AwsTestServer } from '@scripthut/aws-testbed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, FinalReport } from '../backend';
import type { ClusterRuntime } from '../cluster-runtime';
import { ecsCluster, idOf, SkewClock, spec, startEcsTestbed, until, USER } from './ecs-testbed';

/** Run tasks through the real SDK on the aws-testbed: live list, true final states, time limit, cancel. */
let server: AwsTestServer;
let cluster: ClusterRuntime;
let backend: Backend;
const clock = new SkewClock();

beforeAll(async () => {
  server = await startEcsTestbed();
  cluster = ecsCluster(server, { clock });
  backend = cluster.backend;
});
afterAll(async () => {
  await cluster.close?.();
  await server.close();
});

const finalOf = (id: string): Promise<FinalReport> =>
  until(
    () => backend.finalReports([id]),
    (m) => m.has(id),
  ).then((m) => m.get(id)!);

describe('ECS on the aws-testbed', () => {
  it('lists a running task with its owner, name, limit and log location, then reports exit 0 and exit 3', async () => {
    const ok = spec('echo hello; sleep 1', { name: 'Say hello', timeLimit: '10' });
    const bad = spec('sleep 0.5; exit 3');
    const out = await backend.submitMany([ok, bad]);
    const okId = idOf(out.get(ok.tag));
    const badId = idOf(out.get(bad.tag));
    const listed = await until(
      async () => await backend.listJobs(),
      (jobs) => jobs.some((j) => j.schedulerJobId === okId && j.rawState === 'RUNNING'),
    );
    expect(listed.find((j) => j.schedulerJobId === okId)).toMatchObject({
      name: 'Say hello',
      user: USER,
      rawState: 'RUNNING',
      partition: 'FARGATE',
      cpus: 1,
      timeLimit: '0:10:00',
      command: 'echo hello; sleep 1',
      stdoutPath: `/ecs/worker:ecs/main/${okId}`,
    });
    expect(await finalOf(okId)).toMatchObject({
      outcome: 'COMPLETED',
      exitCode: 0,
      rawState: 'STOPPED (EssentialContainerExited)',
      reason: null,
    });
    expect(await finalOf(badId)).toMatchObject({
      outcome: 'FAILED',
      exitCode: 3,
      reason: 'Essential container in task exited',
    });
    expect((await backend.finalReports([okId])).get(okId)?.stdoutPath).toBe(
      `/ecs/worker:ecs/main/${okId}`,
    );
  });

  it('reports a real out-of-memory kill as OUT_OF_MEMORY', async () => {
    const hog = spec(`python3 -c "b = bytearray(400 * 1024 * 1024); import time; time.sleep(5)"`, {
      memory: '64M',
    });
    const id = idOf((await backend.submitMany([hog])).get(hog.tag));
    const report = await finalOf(id);
    expect(report.outcome).toBe('OUT_OF_MEMORY');
    expect(report.reason).toContain('OutOfMemoryError');
  });

  it("stops a task past its time limit at the next poll and reports ScriptHut's own stop as TIMEOUT", async () => {
    const slow = spec('sleep 30', { timeLimit: '1' });
    const id = idOf((await backend.submitMany([slow])).get(slow.tag));
    await until(
      async () => await backend.listJobs(),
      (jobs) => jobs.some((j) => j.schedulerJobId === id && j.rawState === 'RUNNING'),
    );
    clock.skewMs = 61_000;
    try {
      const jobs = await backend.listJobs();
      expect(jobs.find((j) => j.schedulerJobId === id)?.reason).toBe(
        'stopping: ScriptHut: time limit 0:01:00 exceeded',
      );
    } finally {
      clock.skewMs = 0;
    }
    const report = await finalOf(id);
    expect(report).toMatchObject({
      outcome: 'TIMEOUT',
      reason: 'ScriptHut: time limit 0:01:00 exceeded',
      rawState: 'STOPPED (UserInitiated)',
    });
  });

  it('keeps a stopping task live until it is STOPPED, then cancels with who in the reason', async () => {
    const long = spec('sleep 30');
    const id = idOf((await backend.submitMany([long])).get(long.tag));
    await until(
      async () => await backend.listJobs(),
      (jobs) => jobs.some((j) => j.schedulerJobId === id && j.rawState === 'RUNNING'),
    );
    const [outcome] = await backend.cancel([id]);
    expect(outcome).toEqual({ schedulerJobId: id, ok: true, message: null });
    const stopping = (await backend.listJobs()).find((j) => j.schedulerJobId === id);
    expect(stopping).toMatchObject({ reason: `stopping: Cancelled from ScriptHut by ${USER}` });
    const report = await finalOf(id);
    expect(report).toMatchObject({
      outcome: 'CANCELLED',
      cancelledBy: USER,
      reason: `Cancelled from ScriptHut by ${USER}`,
    });
    expect((await backend.cancel(['0000000000000000000000000000dead']))[0]).toMatchObject({
      ok: false,
    });
  });

  it('leaves a task it never saw and AWS forgot out of finalReports', async () => {
    expect(await backend.finalReports(['0123456789abcdef0123456789abcdef'])).toEqual(new Map());
  });

  it('sent requests and received answers that all match the botocore models', () => {
    expect(server.violations()).toEqual([]);
  });
});
