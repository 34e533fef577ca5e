import { SHARED_ACTOR } from '@scripthut/core';
import { describe, expect, it } from 'vitest';
import { createCallerFactory } from '../src/trpc';
import { appRouter } from '../src/app-router';
import { FakeCore, fakeCluster, fakeJob } from './fake-core';

const callerFor = (core: FakeCore) => createCallerFactory(appRouter)({ core, actor: SHARED_ACTOR });

describe('API through a tRPC caller', () => {
  it('lists clusters and reports health as the seed does', async () => {
    const core = new FakeCore();
    core.clusterList = [fakeCluster('a', { jobCount: 2 }), fakeCluster('b', { healthy: false, connection: 'unreachable', lastError: 'connect ECONNREFUSED' })];
    const api = callerFor(core);
    expect((await api.clusters.list()).map((c) => c.name)).toEqual(['a', 'b']);
    const health = await api.system.health();
    expect(health.status).toBe('degraded');
    expect(health.clusters.b).toMatchObject({ connected: false, error: 'connect ECONNREFUSED' });
    expect(health.total_jobs).toBe(2);
  });

  it('filters and pages jobs', async () => {
    const core = new FakeCore();
    core.upsert(fakeJob('1', { user: 'alice' }));
    core.upsert(fakeJob('2', { user: 'bob' }));
    const api = callerFor(core);
    expect((await api.jobs.list({ user: 'bob' })).jobs.map((j) => j.id)).toEqual(['hpc:2']);
    expect((await api.jobs.list()).total).toBe(2);
  });

  it('counts jobs by cluster and state with the list\'s filters, "my jobs" as (cluster, user) pairs', async () => {
    const core = new FakeCore();
    core.upsert(fakeJob('1', { user: 'alice', state: 'running' }));
    core.upsert(fakeJob('2', { user: 'alice', state: 'failed' }));
    core.upsert(fakeJob('3', { user: 'bob', state: 'failed' }));
    const api = callerFor(core);
    const owners = [{ cluster: 'hpc', user: 'alice' }];
    expect(await api.jobs.counts({ owners })).toEqual([
      { cluster: 'hpc', state: 'running', count: 1 },
      { cluster: 'hpc', state: 'failed', count: 1 },
    ]);
    expect((await api.jobs.list({ owners, states: ['failed'] })).jobs.map((j) => j.id)).toEqual([
      'hpc:2',
    ]);
    // The counts are by state: a state filter is not an input.
    await expect(api.jobs.counts({ states: ['failed'] } as never)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('rejects invalid input with BAD_REQUEST', async () => {
    const api = callerFor(new FakeCore());
    await expect(api.jobs.list({ limit: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.jobs.get({ id: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers NOT_FOUND for an unknown job', async () => {
    const api = callerFor(new FakeCore());
    await expect(api.jobs.get({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('job logs through the API', () => {
  it('returns the tail of a job log and says when the file is missing', async () => {
    const core = new FakeCore();
    core.upsert(fakeJob('5'));
    core.logs.set('hpc:5:output', 'a\nb\nc\n');
    const api = callerFor(core);
    expect(await api.jobs.log({ id: 'hpc:5', kind: 'output', tail: 2 })).toMatchObject({ exists: true, content: 'b\nc\n' });
    expect(await api.jobs.log({ id: 'hpc:5', kind: 'error' })).toMatchObject({ exists: false });
    await expect(api.jobs.log({ id: 'hpc:5', kind: 'stdout' as 'output' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
