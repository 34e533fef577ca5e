import { configuredPostgres, type DatabaseSettings } from '../history/open-configured-store';
import { postgresClientConfig } from '../history/open-postgres-history';
import { soleLeadership, type ClusterLeadership } from './cluster-leadership';
import { PgLeadership } from './pg-leadership';

/**
 * The leadership `settings.database` implies: on the embedded SQLite store
 * this process leads every cluster; on PostgreSQL every instance sharing the
 * database competes for each cluster's advisory lock.
 */
export function configuredLeadership(
  settings: DatabaseSettings,
  environment: Record<string, string | undefined>,
  log: (message: string) => void,
): ClusterLeadership {
  const connection = configuredPostgres(settings, environment);
  if (connection === null) return soleLeadership();
  return new PgLeadership({ connection: postgresClientConfig(connection), log });
}
