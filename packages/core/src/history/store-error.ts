import Database from 'better-sqlite3';
import { CoreError } from '../runtime/errors';

const describe = (sqliteCode: string): string => {
  if (sqliteCode.startsWith('SQLITE_READONLY')) return 'is read-only; check permissions on the file and its directory';
  if (sqliteCode === 'SQLITE_FULL') return 'cannot be written: the disk is full';
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB')
    return 'is corrupt or not a SQLite database; move it aside to start a fresh history';
  if (sqliteCode.startsWith('SQLITE_CANTOPEN') || sqliteCode.startsWith('SQLITE_PERM'))
    return 'cannot be opened; check that the path and its directory are accessible';
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED'))
    return 'is locked by another process';
  if (sqliteCode.startsWith('SQLITE_IOERR')) return 'hit an I/O error';
  return 'failed';
};

/**
 * Maps anything thrown by the database layer to a CoreError: constraint
 * violations become CONFLICT, every other SQLite or file-system failure
 * becomes STORE_UNAVAILABLE naming the path. CoreErrors pass through, and
 * programming errors (TypeError, RangeError) are rethrown unchanged.
 */
export function toStoreError(error: unknown, path: string): unknown {
  if (error instanceof CoreError) return error;
  if (error instanceof Database.SqliteError) {
    const details = { path, sqliteCode: error.code };
    if (error.code.startsWith('SQLITE_CONSTRAINT')) {
      return new CoreError('CONFLICT', `History database ${path}: ${error.message}`, details, { cause: error });
    }
    return new CoreError(
      'STORE_UNAVAILABLE',
      `History database ${path} ${describe(error.code)} (${error.code}: ${error.message})`,
      details,
      { cause: error },
    );
  }
  if (isErrnoError(error)) {
    return new CoreError(
      'STORE_UNAVAILABLE',
      `History database ${path} cannot be opened: ${error.message}`,
      { path, errno: error.code },
      { cause: error },
    );
  }
  return error;
}

const isErrnoError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
