import { join } from 'node:path';
import { CoreError } from '../runtime/errors';
import { HistoryStore, type HistoryStoreOptions } from './history-store';
import type { PostgresConnection } from './open-postgres-history';

/** The settings that say where the history lives (config `settings`). */
export interface DatabaseSettings {
  /** `sqlite`, or a PostgreSQL URL without password. */
  database: string;
  database_password_env?: string | undefined;
}

/**
 * The PostgreSQL database `settings.database` names, with the password read
 * from the variable `database_password_env` names (CONFIG_INVALID when it is
 * unset); null for `sqlite`.
 */
export function configuredPostgres(
  settings: DatabaseSettings,
  environment: Record<string, string | undefined>,
): PostgresConnection | null {
  if (settings.database === 'sqlite') return null;
  const password = databasePassword(settings, environment);
  return { url: settings.database, ...(password === undefined ? {} : { password }) };
}

/** The PostgreSQL password from the variable `database_password_env` names (CONFIG_INVALID when it is unset); undefined without one. */
export function databasePassword(
  settings: DatabaseSettings,
  environment: Record<string, string | undefined>,
): string | undefined {
  const variable = settings.database_password_env;
  const password = variable === undefined ? undefined : environment[variable];
  if (variable !== undefined && (password === undefined || password === '')) {
    throw new CoreError(
      'CONFIG_INVALID',
      `settings.database_password_env names ${variable}, which is not set in the server's environment; export it before starting ScriptHut`,
      { variable },
    );
  }
  return password;
}

/** The history store `settings.database` names: `scripthut.db` in `dataDir`, or PostgreSQL (see configuredPostgres). */
export async function openConfiguredStore(
  settings: DatabaseSettings,
  dataDir: string,
  environment: Record<string, string | undefined>,
  options: HistoryStoreOptions = {},
): Promise<HistoryStore> {
  const connection = configuredPostgres(settings, environment);
  if (connection === null) return HistoryStore.open(join(dataDir, 'scripthut.db'), options);
  return HistoryStore.openPostgres(connection, options);
}
