import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ScripthutConfig } from '../src/config';
import { createCore } from '../src/create-core';
import { testPostgres } from '../src/leadership/testing';
import { systemClock } from '../src/runtime/clock';
import { shellQuote } from '../src/runtime/command-runner';
import type { ScripthutCore } from '../src/service/scripthut-core';
import { waitUntil } from './fault-core';

// The whole core on PostgreSQL (the project's test server): a queue on the
// local cluster runs to completion, and a second core on the same database
// (a restart) shows the history the first one wrote.

let admin: pg.Client;
let database: string;
let url: string;
let password: string;
let dir: string;

beforeAll(async () => {
  const config = await testPostgres();
  admin = new pg.Client(config);
  await admin.connect();
  database = `hut_core_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${database}`);
  url = `postgres://${config.user ?? 'hut'}@${config.host ?? '127.0.0.1'}:${config.port ?? 5432}/${database}`;
  password = typeof config.password === 'string' ? config.password : '';
  dir = mkdtempSync(join(tmpdir(), 'scripthut-pg-core-'));
});
afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

const tasks = [
  { id: 'one', name: 'pg one', command: 'echo one' },
  { id: 'two', name: 'pg two', command: 'echo two; exit 3' },
];

async function startCore(): Promise<ScripthutCore> {
  const config = ScripthutConfig.parse({
    clusters: [{ name: 'here', type: 'local', max_concurrent: 2, log_dir: join(dir, 'logs') }],
    task_sources: [
      { name: 'pg', cluster: 'here', command: `printf '%s' ${shellQuote(JSON.stringify(tasks))}` },
    ],
    settings: {
      poll_interval: 5,
      data_dir: join(dir, 'data'),
      database: url,
      database_password_env: 'HUT_TEST_DB_PASSWORD',
    },
  });
  const core = await createCore({
    config,
    configPath: null,
    homeDir: dir,
    cwd: dir,
    version: 'pg-test',
    clock: systemClock,
    environment: { HUT_TEST_DB_PASSWORD: password },
    localUser: 'tester',
    log: () => undefined,
  });
  await core.start();
  return core;
}

it('runs a local queue to completion on PostgreSQL and shows its history after a restart', async () => {
  const first = await startCore();
  const queue = await first.queues.run('pg');
  const done = await waitUntil(
    'the queue to finish',
    async () => {
      const detail = await first.queues.getQueue(queue.id);
      return detail.queue.status === 'running' || detail.queue.status === 'pending'
        ? undefined
        : detail;
    },
    60_000,
  );
  expect(Object.fromEntries(done.tasks.map((t) => [t.taskId, t.state]))).toEqual({
    one: 'completed',
    two: 'failed',
  });
  expect((await first.health()).store).toMatchObject({ kind: 'postgres', status: 'ok' });
  await first.close();

  const again = await startCore();
  try {
    const restored = await again.queues.getQueue(queue.id);
    expect(restored.queue.status).toBe(done.queue.status);
    expect(restored.tasks.map((t) => [t.taskId, t.state, t.job?.exitCode ?? null])).toEqual([
      ['one', 'completed', 0],
      ['two', 'failed', 3],
    ]);
    const jobs = await again.listJobs({ queueId: queue.id });
    expect(jobs.total).toBe(2);
  } finally {
    await again.close();
  }
});
