import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { CoreError } from '../runtime/errors';
import { migrationProvider } from './migrations';
import { OneSchemaDialect } from './one-schema-dialect';
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

/**
 * Settings for another connection to the same database and schema as the
 * store (the event stream's own connections), with pg's default type parsers.
 */
export function postgresClientConfig(connection: PostgresConnection): pg.ClientConfig {
  return {
    connectionString: withPassword(connection.url, connection.password),
    ...(connection.schema === undefined ? {} : { options: `-c search_path=${connection.schema}` }),
  };
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
    ...postgresClientConfig(connection),
    types,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle pooled connection the server drops is replaced; the next query reports it if it persists.
  pool.on('error', () => undefined);
  try {
    const kysely = new Kysely<HistoryDatabase>({ dialect: new PostgresDialect({ pool }) });
    // The Migrator gets its own Kysely on the same pool, whose introspector sees only the
    // store's schema: Kysely's own looks through every schema, so another schema's migration
    // tables (another ScriptHut, a concurrent test) would count as ours, and one dropped
    // meanwhile would fail the scan.
    const { rows } = await sql<{
      schema: string | null;
    }>`select current_schema() as schema`.execute(kysely);
    const schema = connection.schema ?? rows[0]?.schema ?? null;
    const migrating =
      schema === null
        ? kysely
        : new Kysely<unknown>({ dialect: new OneSchemaDialect({ pool }, schema) });
    const { error } = await new Migrator({
      db: migrating,
      provider,
      ...(schema === null ? {} : { migrationTableSchema: schema }),
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
