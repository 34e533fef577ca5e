import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCore,
  ScripthutConfig,
  shellQuote,
  systemClock,
  type ScripthutCore,
} from '@scripthut/core';
import { testPostgresDatabase } from '@scripthut/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/create-app';
import { listenOnLoopback, type Listening } from './listen';
import { openStream, seqOf, type StreamClient, type StreamMessage } from './sse-client';

// Two cores with their HTTP apps on one PostgreSQL database, as two servers
// behind a proxy: a browser on either sees every change made on either, in
// one order, and resumes on the other one without a gap or a repeat.

let database: Awaited<ReturnType<typeof testPostgresDatabase>>;
let dir: string;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  database = await testPostgresDatabase();
  dir = mkdtempSync(join(tmpdir(), 'scripthut-shared-stream-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const tasks = [
  { id: 'one', name: 'shared one', command: 'echo one' },
  { id: 'two', name: 'shared two', command: 'echo two; exit 3' },
];

/** A core on the shared database with its own local cluster, served over HTTP. */
async function instance(cluster: string): Promise<{ core: ScripthutCore; base: string }> {
  const config = ScripthutConfig.parse({
    clusters: [
      { name: cluster, type: 'local', max_concurrent: 2, log_dir: join(dir, cluster, 'logs') },
    ],
    task_sources: [
      {
        name: `${cluster}-tasks`,
        cluster,
        command: `printf '%s' ${shellQuote(JSON.stringify(tasks))}`,
      },
    ],
    settings: {
      poll_interval: 5,
      data_dir: join(dir, cluster, 'data'),
      database: database.url,
      database_password_env: 'HUT_TEST_DB_PASSWORD',
    },
  });
  const core = await createCore({
    config,
    configPath: null,
    homeDir: dir,
    cwd: dir,
    version: 'stream-test',
    clock: systemClock,
    environment: { HUT_TEST_DB_PASSWORD: database.password },
    localUser: 'tester',
    log: () => undefined,
  });
  cleanups.push(() => core.close());
  await core.start();
  const listening: Listening = await listenOnLoopback(createApp({ core }));
  cleanups.push(() => listening.close());
  return { core, base: listening.base };
}

async function stream(base: string, lastEventId?: string): Promise<StreamClient> {
  const client = await openStream(base, lastEventId);
  cleanups.push(() => client.close());
  return client;
}

const events = (client: StreamClient, after: number, upTo: number): StreamMessage[] =>
  client.messages.filter((m) => m.data.kind === 'event' && seqOf(m) > after && seqOf(m) <= upTo);
const reached = (client: StreamClient, seq: number): Promise<StreamMessage> =>
  client.until((m) => seqOf(m) >= seq);

describe('live stream shared by two servers on one PostgreSQL database', () => {
  it('shows the browsers of both every change of a queue run on one, in the same order', async () => {
    const [a, b] = [await instance('here'), await instance('there')];
    expect(a.core.stream.epoch).toBe(b.core.stream.epoch);
    const [onA, onB] = [await stream(a.base), await stream(b.base)];
    const [resetA, resetB] = [await onA.until(() => true), await onB.until(() => true)];
    expect([resetA.data, resetB.data]).toEqual([{ kind: 'reset' }, { kind: 'reset' }]);
    const from = Math.max(seqOf(resetA), seqOf(resetB));

    const queue = await a.core.queues.run('here-tasks');
    const finished = (m: StreamMessage): boolean =>
      m.data.kind === 'event' &&
      m.data.event.type === 'queue' &&
      m.data.event.queue.id === queue.id &&
      m.data.event.queue.status !== 'running' &&
      m.data.event.queue.status !== 'pending';
    const last = seqOf(await onB.until(finished));
    await reached(onA, last);

    const seenOnB = events(onB, from, last);
    expect(seenOnB.map(seqOf)).toEqual(Array.from({ length: last - from }, (_, k) => from + k + 1));
    expect(seenOnB).toEqual(events(onA, from, last));
    // B's browser saw A's jobs run, not only queue summaries.
    const jobsOfA = seenOnB.flatMap((m) =>
      m.data.kind === 'event' && m.data.event.type === 'jobs' && m.data.event.cluster === 'here'
        ? m.data.event.upserted.map((j) => `${j.taskId}:${j.state}`)
        : [],
    );
    expect(jobsOfA).toEqual(expect.arrayContaining(['one:completed', 'two:failed']));
  });

  it('resumes a browser that reconnects to the other server with exactly what it missed', async () => {
    const [a, b] = [await instance('here'), await instance('there')];
    const reference = await stream(a.base);
    const first = await stream(a.base);
    await Promise.all([reference.until(() => true), first.until(() => true)]);
    const status = (core: ScripthutCore) => core.clusters()[0]!;

    for (let i = 0; i < 3; i++) a.core.events.publish({ type: 'cluster', status: status(a.core) });
    const lastSeen = await reached(first, a.core.stream.lastSeq);
    first.close();
    for (let i = 0; i < 3; i++) a.core.events.publish({ type: 'cluster', status: status(a.core) });
    for (let i = 0; i < 2; i++) b.core.events.publish({ type: 'cluster', status: status(b.core) });
    await reached(reference, seqOf(lastSeen) + 5);

    const resumed = await stream(b.base, lastSeen.id!);
    const upTo = seqOf(await reached(resumed, seqOf(lastSeen) + 5));
    expect(resumed.messages[0]?.data.kind).toBe('event');
    expect(events(resumed, 0, upTo)).toEqual(events(reference, seqOf(lastSeen), upTo));
    expect(events(resumed, 0, upTo).map(seqOf)).toEqual(
      Array.from({ length: upTo - seqOf(lastSeen) }, (_, k) => seqOf(lastSeen) + k + 1),
    );
    // And it goes on live.
    a.core.events.publish({ type: 'cluster', status: status(a.core) });
    const next = await reached(resumed, upTo + 1);
    expect(next).toEqual(await reached(reference, upTo + 1));
  });
});
