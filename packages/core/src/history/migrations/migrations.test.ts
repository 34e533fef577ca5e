import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely, type Migration } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HistoryStore } from '../history-store';
import { openHistoryDatabase } from '../open-history-database';
import { makeTempDir } from '../testing';
import { migrations } from './index';

let temp: ReturnType<typeof makeTempDir>;
let path: string;
beforeEach(() => {
  temp = makeTempDir();
  path = join(temp.dir, 'scripthut.db');
});
afterEach(() => temp.remove());

const failing: Migration = {
  up: async (db: Kysely<unknown>) => {
    await db.schema.createTable('half_done').addColumn('x', 'text').execute();
    await sql`this is not sql`.execute(db);
  },
};

it('names migrations so that they sort in application order', () => {
  const names = Object.keys(migrations);
  expect(names).toEqual([...names].sort());
  expect(names.every((name) => /^\d{4}-[a-z0-9-]+$/.test(name))).toBe(true);
});

it('rolls a failing migration back whole, so the next open is not wedged', async () => {
  const provider = {
    getMigrations: () => Promise.resolve({ ...migrations, '0002-broken': failing }),
  };
  await expect(openHistoryDatabase(path, provider)).rejects.toMatchObject({
    code: 'STORE_UNAVAILABLE',
  });

  const raw = new Database(path, { readonly: true });
  const tables = raw.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{
    name: string;
  }>;
  expect(tables.map((t) => t.name)).not.toContain('half_done');
  raw.close();

  const store = await HistoryStore.open(path);
  expect((await store.listJobs()).total).toBe(0);
  await store.close();
});

it('upgrades a database from before dependencies: stored tasks wait for nothing and stored queues are their own first attempt', async () => {
  // Every migration before dependencies, as a database of that time has them.
  const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0004'));
  const old = await openHistoryDatabase(path, { getMigrations: () => Promise.resolve(before) });
  old.sqlite
    .prepare(
      `insert into queues (id, source_name, cluster, created_at, max_concurrent, log_dir, account, status) values ('q1', 'exp', 'hpc', '2026-03-01T12:00:00.000Z', 2, '', null, 'failed')`,
    )
    .run();
  old.sqlite
    .prepare(
      `insert into tasks (queue_id, task_id, position, name, spec_json, script, state, job_id) values ('q1', 'a', 0, 'A', '{}', null, 'failed', null)`,
    )
    .run();
  old.sqlite.close();

  const store = await HistoryStore.open(path);
  const stored = await store.getQueue('q1');
  expect(stored?.queue).toMatchObject({
    id: 'q1',
    originalId: 'q1',
    retryOf: null,
    attempt: 1,
    origin: null,
    status: 'failed',
  });
  expect(stored?.tasks).toEqual([
    expect.objectContaining({ taskId: 'a', dependsOn: [], reason: null, state: 'failed' }),
  ]);
  expect((await store.listQueues({ originalId: 'q1' })).map((q) => q.id)).toEqual(['q1']);
  await store.close();
});
