import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { jobStoreContract } from './job-store.contract';
import { migrations } from './migrations';
import { makeTempDir } from './testing';

let temp: ReturnType<typeof makeTempDir>;
let dbPath: string;
let store: HistoryStore;

beforeEach(async () => {
  temp = makeTempDir();
  dbPath = join(temp.dir, 'nested', 'dir', 'scripthut.db');
  store = await HistoryStore.open(dbPath);
});
afterEach(async () => {
  await store.close();
  temp.remove();
});

describe('opening', () => {
  it('creates parent directories and applies every migration on a fresh database', async () => {
    expect(existsSync(dbPath)).toBe(true);
    await store.close();
    const raw = new Database(dbPath, { readonly: true });
    const tables = raw
      .prepare(`select name from sqlite_master where type = 'table' order by name`)
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining(['jobs', 'queues', 'tasks', 'submissions', 'meta']),
    );
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('select name from kysely_migration order by name').all()).toEqual(
      Object.keys(migrations).map((name) => ({ name })),
    );
    raw.close();
  });

  it('applies each migration once, however often it is reopened', async () => {
    await store.close();
    store = await HistoryStore.open(dbPath);
    await store.close();
    store = await HistoryStore.open(dbPath);
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.prepare('select count(*) as n from kysely_migration').get()).toEqual({
      n: Object.keys(migrations).length,
    });
    raw.close();
  });
});

// Jobs, pruning and meta: the same tests run on PostgreSQL in store-contract.int.test.ts.
describe('job store', () => jobStoreContract('sqlite'));
