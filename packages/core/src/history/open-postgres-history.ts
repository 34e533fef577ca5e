import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { CoreError } from '../runtime/errors';
import { migrationProvider } from './migrations';
import { toPgStoreError } from './pg-store-error';
import type { HistoryDatabase } from './schema';

/** Where a PostgreSQL history lives. */
export interface PostgresConnection {
  /** `postgres://user@host:port/db`; a password in it is used but never shown. */
  url: string;
  /** From the environment variable `settings.database_password_env` names; never from the file. */
  password?: string;
  /** Schema holding the tables (tests use a fresh one each); default: the server's search_path. */
  schema?: string;
}

export interface OpenedPostgresHistory {
  pool: pg.Pool;
  kysely: Kysely<HistoryDatabase>;
  /** The URL without its password, for messages and /health. */
  url: string;
}

/** The URL as it may be shown: without a password. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  }
}

/** pg lets a connection string's fields win over separate options, so the password goes into the URL. */
function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * int8 (count(*), sums of integers, bigint columns) and numeric (sums of
 * bigints) arrive as strings by default; the store's values fit a double, so
 * this pool parses them as numbers. Per pool, so nothing else in the process
 * (leadership's own connection) sees a changed parser.
 */
const defaultParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format?: string,
) => unknown;
const types = {
  getTypeParser: (oid: number, format?: string): unknown =>
    oid === INT8_OID || oid === NUMERIC_OID
      ? (value: string) => Number(value)
      : defaultParser(oid, format),
} as pg.CustomTypesConfig;

const CONNECT_TIMEOUT_MS = 10_000;

/** Connects (a pool of up to 10 connections) and migrates. `provider` is replaceable for tests only. */
export async function openPostgresHistory(
  connection: PostgresConnection,
  provider: MigrationProvider = migrationProvider,
): Promise<OpenedPostgresHistory> {
  const url = redactDatabaseUrl(connection.url);
  const pool = new pg.Pool({
    connectionString: withPassword(connection.url, connection.password),
    ...(connection.schema === undefined ? {} : { options: `-c search_path=${connection.schema}` }),
    types,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle pooled connection the server drops is replaced; the next query reports it if it persists.
  pool.on('error', () => undefined);
  try {
    const kysely = new Kysely<HistoryDatabase>({ dialect: new PostgresDialect({ pool }) });
    // Kysely looks for its migration tables by name in every schema unless told which:
    // with another schema's `kysely_migration_lock` in the database it would skip creating its own.
    const { error } = await new Migrator({
      db: kysely,
      provider,
      ...(connection.schema === undefined ? {} : { migrationTableSchema: connection.schema }),
    }).migrateToLatest();
    if (error !== undefined)
      throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    return { pool, kysely, url };
  } catch (error) {
    await pool.end().catch(() => undefined);
    const mapped = toPgStoreError(error, url);
    if (mapped instanceof CoreError) throw mapped;
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoreError(
      'STORE_UNAVAILABLE',
      `History database ${url} could not be opened: ${reason}`,
      { path: url },
      { cause: error },
    );
  }
}
