import type { AwsTestServer } from '@scripthut/aws-testbed';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterRuntime } from '../cluster-runtime';
import { ecsCluster, idOf, spec, startEcsTestbed, until } from './ecs-testbed';

/** Exactly once across lost answers and crashes: RunTask's clientToken, startedBy and tags, on the aws-testbed. */
let server: AwsTestServer;
const open: ClusterRuntime[] = [];
const fresh = (tuning = {}): ClusterRuntime => {
  const c = ecsCluster(server, { tuning });
  open.push(c);
  return c;
};

beforeAll(async () => {
  server = await startEcsTestbed();
});
beforeEach(() => {
  server.clearFaults();
  server.resetRequestLog();
});
afterAll(async () => {
  for (const c of open) await c.close?.();
  await server.close();
});

const runTaskCalls = (): number => server.requestCounts()['ecs:RunTask'] ?? 0;
const tasksTagged = async (tag: string): Promise<number> => {
  const found = await fresh().backend.findByTags([tag]);
  return found.has(tag) ? 1 : 0;
};

describe('ECS submissions', () => {
  it('sends a RunTask again with the same clientToken after a 5xx that followed the launch: exactly one task', async () => {
    const backend = fresh().backend;
    server.failNext({ operation: 'ecs:RunTask', afterEffect: true, status: 500 });
    const s = spec('sleep 0.2');
    const outcome = (await backend.submitMany([s])).get(s.tag);
    expect(outcome?.kind).toBe('submitted');
    expect(runTaskCalls()).toBe(2);
    const sends = server.requestLog().filter((r) => r.operation === 'RunTask');
    expect(sends.map((r) => [r.status, (r.input as { clientToken?: string }).clientToken])).toEqual(
      [
        [500, s.tag],
        [200, s.tag],
      ],
    );
    const listed = await backend.listJobs();
    expect(listed.filter((j) => j.name === s.name)).toHaveLength(1);
    expect(await tasksTagged(s.tag)).toBe(1);
  });

  it('is uncertain when every send may have launched, and a fresh backend (after a crash) finds the one task by tag', async () => {
    const backend = fresh({ submitAttempts: 2 }).backend;
    server.failNext({
      operation: 'ecs:RunTask',
      afterEffect: true,
      dropConnection: true,
      count: 2,
    });
    const s = spec('sleep 0.2');
    const outcome = (await backend.submitMany([s])).get(s.tag);
    expect(outcome?.kind).toBe('uncertain');
    const found = await fresh().backend.findByTags([s.tag, 'sh-never-sent-1-00000000']);
    expect([...found.keys()]).toEqual([s.tag]);
    const listed = await fresh().backend.listJobs();
    expect(listed.filter((j) => j.schedulerJobId === found.get(s.tag))).toHaveLength(1);
  });

  it('finds tasks by tag after they stopped (ListTasks desired STOPPED)', async () => {
    const backend = fresh().backend;
    const s = spec('true');
    const id = idOf((await backend.submitMany([s])).get(s.tag));
    await until(
      () => backend.finalReports([id]),
      (m) => m.has(id),
    );
    expect(await fresh().backend.findByTags([s.tag])).toEqual(new Map([[s.tag, id]]));
  });

  it('retries a throttled RunTask (nothing was launched) and submits once', async () => {
    const backend = fresh().backend;
    server.throttleNext({ operation: 'ecs:RunTask', count: 2 });
    const s = spec('true');
    expect((await backend.submitMany([s])).get(s.tag)?.kind).toBe('submitted');
    expect(runTaskCalls()).toBe(3);
  });

  it('says notSubmitted when throttling outlasts the attempts, and does not send the rest', async () => {
    const backend = fresh({ submitAttempts: 2, submitConcurrency: 1 }).backend;
    server.throttleNext({ operation: 'ecs:RunTask', count: 5 });
    const a = spec('true');
    const b = spec('true');
    const out = await backend.submitMany([a, b]);
    expect(out.get(a.tag)).toMatchObject({ kind: 'notSubmitted' });
    expect(out.get(b.tag)).toMatchObject({
      kind: 'notSubmitted',
      message: expect.stringContaining('not sent after an earlier task could not be') as unknown,
    });
    expect(runTaskCalls()).toBe(2);
  });

  it("turns a placement failure in a 200 answer into notSubmitted with AWS's reason", async () => {
    const backend = fresh().backend;
    const big = spec('true', { cpus: 8, memory: '16G' });
    expect((await backend.submitMany([big])).get(big.tag)).toEqual({
      kind: 'notSubmitted',
      message: 'ECS did not start the task: RESOURCE:CPU; it may fit once capacity frees up',
    });
  });

  it('keeps to the RunTask rate (20/s): 30 submits against a 20 TPS server, each launched once', async () => {
    const backend = fresh({ runTaskPerSecond: 20 }).backend;
    server.setRateLimit({ tps: { ecs: 20 } });
    const specs = Array.from({ length: 30 }, () => spec('true'));
    const started = Date.now();
    const out = await backend.submitMany(specs);
    const ids = [...out.values()].map(idOf);
    expect(new Set(ids).size).toBe(30);
    // 20 at once, then one per 50 ms; a send the server's bucket still throttles (clock edges) is sent again.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    const sends = server.requestLog().filter((r) => r.operation === 'RunTask');
    expect(sends.filter((r) => r.status === 200)).toHaveLength(30);
    expect(sends.length).toBeLessThanOrEqual(33);
  });

  it('sent requests and received answers that all match the botocore models', () => {
    expect(server.violations()).toEqual([]);
  });
});
