import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-notification-outbox';
import * as m0003 from './0003-notification-watches';
import * as m0004 from './0004-task-dependencies-and-attempts';
import * as m0005 from './0005-job-arrays-efficiency';
import * as m0006 from './0006-job-list-indexes';
import * as m0007 from './0007-filter-and-search-indexes';
import * as m0009 from './0009-event-stream';
import * as m0010 from './0010-queue-owner';

/**
 * Every migration, keyed by a name that sorts in application order. In code
 * rather than read from a folder so bundling cannot lose one.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': m0001,
  '0002-notification-outbox': m0002,
  '0003-notification-watches': m0003,
  '0004-task-dependencies-and-attempts': m0004,
  '0005-job-arrays-efficiency': m0005,
  '0006-job-list-indexes': m0006,
  '0007-filter-and-search-indexes': m0007,
  '0009-event-stream': m0009,
  '0010-queue-owner': m0010,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
