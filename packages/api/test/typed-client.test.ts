import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/app-router';
import { createApp } from '../src/create-app';
import { FakeCore, fakeJob } from './fake-core';

let server: Server | null = null;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = null;
});

async function start(core: FakeCore): Promise<string> {
  const app = createApp({ core });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
