import { existsSync } from 'node:fs';
import { CoreError } from '../runtime/errors';
import { HISTORY_TABLES, type HistoryRows } from './copy-history';
import type { HistoryStore } from './history-store';
import { openHistoryDatabase } from './open-history-database';

export interface SqliteImportResult {
  /** Rows copied per table. */
  rows: Record<(typeof HISTORY_TABLES)[number], number>;
}

/**
 * Copies a SQLite history file (jobs, queues, tasks, submissions, meta and
 * the notification outbox) into `target`, typically the configured
 * PostgreSQL, in one transaction of the target. The file is opened as the
 * server would open it, so an older schema is migrated to the current one
 * first; nothing else in it changes. A target that already holds a history
 * is refused (CONFLICT) unless `replace`.
 */
export async function importSqliteHistory(
  target: HistoryStore,
  sourcePath: string,
  options: { replace?: boolean } = {},
): Promise<SqliteImportResult> {
  if (!existsSync(sourcePath)) {
    throw new CoreError('NOT_FOUND', `No SQLite history at ${sourcePath}`, { path: sourcePath });
  }
  const { sqlite } = await openHistoryDatabase(sourcePath);
  let rows: HistoryRows;
  try {
    rows = Object.fromEntries(
      HISTORY_TABLES.map((table) => [table, sqlite.prepare(`SELECT * FROM ${table}`).all()]),
    ) as HistoryRows;
  } finally {
    sqlite.close();
  }
  return { rows: await target.copyHistory(rows, options.replace ?? false) };
}
