import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { testPostgres } from '../leadership/testing';
import { HistoryStore, type HistoryStoreOptions } from './history-store';
import type { PostgresConnection } from './open-postgres-history';
import type { StoreKind } from './store-executor';
import { makeTempDir } from './testing';

/**
 * Test-only: one empty history database of either kind. `open` may be called
 * again (a restart) and sees what earlier stores wrote; `remove` closes
 * nothing and deletes the database (SQLite: its directory; PostgreSQL: its
 * schema, so test files never see each other's rows).
 */
export interface StoreBed {
  kind: StoreKind;
  /** Where the PostgreSQL bed lives (its own schema); null for SQLite. */
  postgres: PostgresConnection | null;
  open(options?: HistoryStoreOptions): Promise<HistoryStore>;
  remove(): Promise<void>;
}

export async function storeBed(kind: StoreKind): Promise<StoreBed> {
  if (kind === 'sqlite') {
    const temp = makeTempDir();
    const path = join(temp.dir, 'scripthut.db');
    return {
      kind,
      postgres: null,
      open: (options) => HistoryStore.open(path, options),
      remove: () => Promise.resolve(temp.remove()),
    };
  }
  const config = await testPostgres();
  const schema = `hut_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(config);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `postgres://${encodeURIComponent(config.user ?? '')}@${config.host ?? '127.0.0.1'}:${config.port ?? 5432}/${config.database ?? 'postgres'}`;
  const password = typeof config.password === 'string' ? config.password : undefined;
  const postgres = { url, schema, ...(password === undefined ? {} : { password }) };
  return {
    kind,
    postgres,
    open: (options) => HistoryStore.openPostgres(postgres, options),
    remove: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
