import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, testPostgresDatabase } from '@scripthut/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSource } from './queue-helpers';
import { ServerProcess } from './server-process';
import { openStream, seqOf, type StreamClient, type StreamMessage } from './sse-client';

// Two real server processes (the built bundle) on one PostgreSQL database,
// with a browser's live stream on each. A queue runs on A; A is killed with
// SIGKILL while B runs a queue of its own; A starts again, and the browser
// that was on A resumes there with the last id it saw.

let database: Awaited<ReturnType<typeof testPostgresDatabase>>;
let dir: string;
let a: ServerProcess;
let b: ServerProcess;
const clients: StreamClient[] = [];

const tasks = [
  { id: 'one', name: 'proc one', command: 'echo one' },
  { id: 'two', name: 'proc two', command: 'echo two; exit 3' },
];

async function server(cluster: string): Promise<ServerProcess> {
  const home = join(dir, cluster);
  mkdirSync(home, { recursive: true });
  const config = {
    clusters: [{ name: cluster, type: 'local', max_concurrent: 2, log_dir: join(home, 'logs') }],
    task_sources: [
      { name: `${cluster}-tasks`, cluster, command: `echo '${JSON.stringify(tasks)}'` },
    ],
    settings: {
      poll_interval: 5,
      data_dir: join(home, 'data'),
      database: database.url,
      database_password_env: 'HUT_TEST_DB_PASSWORD',
    },
  };
  const configPath = join(home, 'scripthut.yaml');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return new ServerProcess({
    configPath,
    port: await freeLoopbackPort(),
    home,
    logPath: join(home, 'server.log'),
    env: { HUT_TEST_DB_PASSWORD: database.password },
  });
}

async function stream(url: string, lastEventId?: string): Promise<StreamClient> {
  const client = await openStream(url, lastEventId);
  clients.push(client);
  return client;
}

const finishedQueue =
  (queueId: string) =>
  (m: StreamMessage): boolean =>
    m.data.kind === 'event' &&
    m.data.event.type === 'queue' &&
    m.data.event.queue.id === queueId &&
    !['pending', 'running'].includes(m.data.event.queue.status);
const between = (client: StreamClient, after: number, upTo: number): StreamMessage[] =>
  client.messages.filter((m) => m.data.kind === 'event' && seqOf(m) > after && seqOf(m) <= upTo);
const rising = (after: number, upTo: number): number[] =>
  Array.from({ length: upTo - after }, (_, k) => after + k + 1);

beforeAll(async () => {
  database = await testPostgresDatabase();
  dir = mkdtempSync(join(tmpdir(), 'scripthut-stream-procs-'));
  [a, b] = [await server('here'), await server('there')];
  await a.start();
  await b.start();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await a?.dispose();
  await b?.dispose();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

it('shows both browsers one order, and resumes the browser of a killed server on its restart without a gap or repeat', async () => {
  const [onA, onB] = [await stream(a.url), await stream(b.url)];
  const start = Math.max(seqOf(await onA.until(() => true)), seqOf(await onB.until(() => true)));

  const here = await runSource(a.url, 'here-tasks');
  const hereDone = seqOf(await onB.until(finishedQueue(here)));
  await onA.until((m) => seqOf(m) >= hereDone);
  expect(between(onB, start, hereDone).map(seqOf)).toEqual(rising(start, hereDone));
  expect(between(onA, start, hereDone)).toEqual(between(onB, start, hereDone));

  const lastOnA = onA.messages.at(-1)!;
  await a.stop('SIGKILL');
  const there = await runSource(b.url, 'there-tasks');
  const thereDone = seqOf(await onB.until(finishedQueue(there)));

  await a.start();
  const resumed = await stream(a.url, lastOnA.id!);
  await resumed.until((m) => seqOf(m) >= thereDone);
  expect(resumed.messages[0]?.data.kind).toBe('event');
  expect(between(resumed, 0, thereDone)).toEqual(between(onB, seqOf(lastOnA), thereDone));
  expect(between(resumed, 0, thereDone).map(seqOf)).toEqual(rising(seqOf(lastOnA), thereDone));
});
