import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  type MigrationProvider,
} from 'kysely';
import { CoreError } from '../runtime/errors';
import { migrationProvider } from './migrations';
import type { HistoryDatabase } from './schema';
import { toStoreError } from './store-error';

/**
 * Kysely's SQLite adapter says DDL is not transactional, so its Migrator
 * would apply a migration statement by statement: a crash halfway leaves
 * tables without the migration record and every later open fails. SQLite
 * does run DDL inside transactions; saying so makes each run atomic.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class HistorySqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

export interface OpenedHistoryDatabase {
  sqlite: Database.Database;
  /** Used to build and compile queries; execution goes through `sqlite` synchronously. */
  kysely: Kysely<HistoryDatabase>;
}

const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating parent directories and the file if needed) and migrates the
 * history database. `provider` is replaceable for tests only.
 *
 * Pragmas: WAL so readers never block the poller's write; `synchronous=FULL`
 * because NORMAL in WAL mode may lose the last commits on power loss, and the
 * submission intent log is only useful if an intent is on disk before sbatch
 * runs (a lost intent means a job submitted twice). The cost is one fsync per
 * transaction, and writers batch a whole poll into one transaction.
 */
export async function openHistoryDatabase(
  path: string,
  provider: MigrationProvider = migrationProvider,
): Promise<OpenedHistoryDatabase> {
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode: unknown = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') {
      throw new Error(`could not switch to WAL journal mode (got ${String(mode)})`);
    }
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');

    const kysely = new Kysely<HistoryDatabase>({
      dialect: new HistorySqliteDialect({ database: sqlite }),
    });
    const { error } = await new Migrator({ db: kysely, provider }).migrateToLatest();
    if (error !== undefined)
      throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    return { sqlite, kysely };
  } catch (error) {
    sqlite?.close();
    const mapped = toStoreError(error, path);
    if (mapped instanceof CoreError) throw mapped;
    // Migrator bookkeeping errors and the WAL check: still the store being unusable.
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoreError(
      'STORE_UNAVAILABLE',
      `History database ${path} could not be opened: ${reason}`,
      { path },
      { cause: error },
    );
  }
}
