import { CoreError } from '../runtime/errors';

interface PgError extends Error {
  /** SQLSTATE from the server, or a Node errno (ECONNREFUSED) for a connection that failed. */
  code?: string;
}

const isPgError = (error: unknown): error is PgError =>
  error instanceof Error &&
  (typeof (error as PgError).code === 'string' ||
    error.message.startsWith('Connection terminated'));

const describe = (code: string | undefined, message: string): string => {
  if (code === undefined || message.startsWith('Connection terminated'))
    return 'lost its connection; check that the server is running';
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ETIMEDOUT'
  )
    return 'cannot be reached; check the host and port in settings.database and that the server runs';
  if (code === '28P01' || code === '28000')
    return 'refused the login; check the user in settings.database and the password variable named by settings.database_password_env';
  if (code === '3D000') return 'does not exist; create the database first';
  if (code === '53100') return 'cannot be written: the disk of the database server is full';
  if (code === '25006') return 'is read-only (a standby or a read-only transaction)';
  if (code.startsWith('57P') || code.startsWith('08'))
    return 'lost its connection; check that the server is running';
  return 'failed';
};

/**
 * The PostgreSQL counterpart of `toStoreError`: integrity violations
 * (SQLSTATE class 23) become CONFLICT, every other server or connection
 * failure STORE_UNAVAILABLE naming the database (its URL without password).
 * CoreErrors and programming errors pass through unchanged.
 */
export function toPgStoreError(error: unknown, url: string): unknown {
  if (error instanceof CoreError || !isPgError(error)) return error;
  const details = { path: url, sqlState: error.code ?? null };
  if (error.code?.startsWith('23') === true) {
    return new CoreError('CONFLICT', `History database ${url}: ${error.message}`, details, {
      cause: error,
    });
  }
  return new CoreError(
    'STORE_UNAVAILABLE',
    `History database ${url} ${describe(error.code, error.message)} (${error.code ?? 'connection'}: ${error.message})`,
    details,
    { cause: error },
  );
}
