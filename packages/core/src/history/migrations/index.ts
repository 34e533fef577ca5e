import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-notification-outbox';
import * as m0003 from './0003-job-arrays-efficiency';

/**
 * Every migration, keyed by a name that sorts in application order. In code
 * rather than read from a folder so bundling cannot lose one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': m0001,
  '0002-notification-outbox': m0002,
  '0003-job-arrays-efficiency': m0003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
