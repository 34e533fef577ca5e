export { HistoryStore, type HistoryStoreOptions } from './history-store';
export type { StoreHealth } from './store-health';
export { importSqliteHistory, type SqliteImportResult } from './import-sqlite-history';
export { configuredPostgres, openConfiguredStore } from './open-configured-store';
export { postgresClientConfig, type PostgresConnection } from './open-postgres-history';
export {
  importLegacyHistory,
  LEGACY_IMPORT_META_KEY,
  type LegacyImportOptions,
  type LegacyImportResult,
} from './import-legacy-history';
export { CountJobsQuery, type JobCount } from './job-counts';
export type { ListQueuesFilter } from './queue-queries';
export {
  JOB_SORT_FIELDS,
  JobOwner,
  JobSortField,
  ListJobsQuery,
  WAITING_TASK_STATES,
  type JobPage,
  type JsonObject,
  type JsonValue,
  type NewQueue,
  type NewTask,
  type QueuePatch,
  type QueueRecord,
  type QueueStatus,
  type QueueWithTasks,
  type SubmissionIntent,
  type SubmissionOutcome,
  type SubmissionRecord,
  type SubmissionState,
  type TaskPatch,
  type TaskRecord,
  type TaskState,
} from './types';
