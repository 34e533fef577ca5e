import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/app-router';
import { createApp } from '../src/create-app';
import { listenOnLoopback, type Listening } from './listen';
import { FakeCore, fakeJob } from './fake-core';

let listening: Listening | null = null;
afterEach(() => {
  listening?.close();
  listening = null;
});

async function start(core: FakeCore): Promise<string> {
  listening = await listenOnLoopback(createApp({ core }));
  return listening.base;
}

describe('a TypeScript tool using the typed tRPC client, as the README shows', () => {
  it('lists jobs and cancels one when it sends the server as its Origin', async () => {
    const core = new FakeCore();
    core.upsert(fakeJob('7', { state: 'failed', outcome: 'OUT_OF_MEMORY' }));
    core.upsert(fakeJob('8'));
    const base = await start(core);
    const hut = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${base}/trpc`, headers: { origin: base } })],
    });
    const { jobs } = await hut.jobs.list.query({ states: ['failed'] });
    expect(jobs.map((j) => [j.id, j.outcome])).toEqual([['hpc:7', 'OUT_OF_MEMORY']]);
    await hut.jobs.cancel.mutate({ id: 'hpc:8' });
    expect(core.cancelled).toEqual(['hpc:8']);
  });

  it('is refused a state-changing call without an Origin, and nothing happens', async () => {
    const core = new FakeCore();
    core.upsert(fakeJob('8'));
    const base = await start(core);
    const hut = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${base}/trpc` })] });
    await expect(hut.jobs.cancel.mutate({ id: 'hpc:8' })).rejects.toThrow();
    expect(core.cancelled).toEqual([]);
  });
});
