import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CoreError } from '../runtime/errors';

const describe = (sqliteCode: string): string => {
  if (sqliteCode.startsWith('SQLITE_READONLY'))
    return 'is read-only; check permissions on the file and its directory';
  if (sqliteCode === 'SQLITE_FULL') return 'cannot be written: the disk is full';
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB')
    return 'is corrupt or not a SQLite database; move it aside to start a fresh history';
  if (sqliteCode.startsWith('SQLITE_CANTOPEN') || sqliteCode.startsWith('SQLITE_PERM'))
    return 'cannot be opened; check that the path and its directory are accessible';
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED'))
    return 'is locked by another process';
  // Also what a write to a file made immutable or read-only under an open connection reports.
  if (sqliteCode.startsWith('SQLITE_IOERR'))
    return 'could not be read or written (I/O error: check free space, permissions and the disk)';
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
      return new CoreError('CONFLICT', `History database ${path}: ${error.message}`, details, {
        cause: error,
      });
    }
    const problem =
      (isAccessProblem(error.code) ? unwritableReason(path) : null) ?? describe(error.code);
    return new CoreError(
      'STORE_UNAVAILABLE',
      `History database ${path} ${problem} (${error.code}: ${error.message})`,
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

const isAccessProblem = (sqliteCode: string): boolean =>
  ['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_IOERR'].some((prefix) =>
    sqliteCode.startsWith(prefix),
  );

/**
 * SQLite reports a read-only file system as "unable to open" (WAL needs its
 * -shm file) or as an I/O error; asking the file system names the real cause.
 */
function unwritableReason(path: string): string | null {
  for (const target of [path, dirname(path)]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      const code = isErrnoError(error) ? error.code : undefined;
      if (code === 'EROFS') return `is on a read-only file system (${target})`;
      if (code === 'EACCES' || code === 'EPERM')
        return `is read-only: ${target} is not writable; check its permissions`;
    }
  }
  return null;
}

const isErrnoError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
