/**
 * Kysely's view of the history database (schema v7: v5's tables, indexes
 * for the list's sorts (v6), its filters, counts and search (v7)), written
 * by hand. SQLite's search table `jobs_search` is not in it: only
 * search-index.ts and job-filters.ts name it, in SQL of their own.
 *
 * Portability contract (so a PostgreSQL store can reuse the queries): times
 * are ISO-8601 UTC text in the canonical `Date#toISOString()` form, so text
 * order is time order; booleans are integers 0/1 (better-sqlite3 cannot bind
 * booleans); JSON is text. State columns are plain text without CHECK
 * constraints, so adding a state later needs no migration.
 */
export interface JobsTable {
  id: string;
  cluster: string;
  scheduler_job_id: string | null;
  name: string;
  user: string;
  state: string;
  scheduler_state: string | null;
  outcome: string | null;
  exit_code: number | null;
  signal: number | null;
  reason: string | null;
  cancelled_by: string | null;
  source: string;
  partition: string | null;
  cpus: number | null;
  memory: string | null;
  nodes: string | null;
  time_used: string | null;
  time_limit: string | null;
  work_dir: string | null;
  command: string | null;
  stdout_path: string | null;
  stderr_path: string | null;
  submit_time: string | null;
  start_time: string | null;
  finish_time: string | null;
  queue_id: string | null;
  task_id: string | null;
  error: string | null;
  last_seen: string | null;
  stale: number;
  updated_at: string;
  /** Derived on write: `finish_time ?? updated_at` for terminal jobs, null otherwise. Drives retention. */
  finished_at: string | null;
  /** Schema v5 (migrations/0005-job-arrays-efficiency.ts). */
  array_id: string | null;
  array_tasks: number | null;
  /** JSON of ArrayCounts; set on an array's own row only. */
  array_counts: string | null;
  cpu_seconds: number | null;
  elapsed_seconds: number | null;
  alloc_cpus: number | null;
  cpu_efficiency: number | null;
  max_rss_bytes: number | null;
  requested_memory_bytes: number | null;
  memory_efficiency: number | null;
}

export interface QueuesTable {
  id: string;
  source_name: string;
  cluster: string;
  created_at: string;
  max_concurrent: number | null;
  log_dir: string;
  account: string | null;
  status: string;
  cancelled_at: string | null;
  source_commit: string | null;
  error: string | null;
  /** Schema v3: the first attempt's id (its own for a first attempt). Null only between v3's column add and its backfill. */
  original_id: string | null;
  retry_of: string | null;
  attempt: number;
  origin_json: string | null;
  /** Schema v10: the ScriptHut user who started the queue's family; null for the shared account. */
  owner: string | null;
}

export interface TasksTable {
  queue_id: string;
  task_id: string;
  position: number;
  name: string;
  spec_json: string;
  script: string | null;
  state: string;
  job_id: string | null;
  /** Schema v3: JSON array of task ids of the same queue. */
  depends_on_json: string;
  reason: string | null;
}

export interface SubmissionsTable {
  id: string;
  queue_id: string;
  task_id: string;
  tag: string;
  cluster: string;
  state: string;
  scheduler_job_id: string | null;
  message: string | null;
  created_at: string;
  updated_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface HistoryDatabase {
  jobs: JobsTable;
  queues: QueuesTable;
  tasks: TasksTable;
  submissions: SubmissionsTable;
  meta: MetaTable;
  notification_events: NotificationEventsTable;
  notification_messages: NotificationMessagesTable;
  notification_message_events: NotificationMessageEventsTable;
  notification_watches: NotificationWatchesTable;
}

/** Schema v2 (see migrations/0002-notification-outbox.ts). */
export interface NotificationEventsTable {
  id: string;
  type: string;
  severity: string;
  title: string;
  text: string;
  created_at: string;
  cluster: string | null;
  queue_id: string | null;
  task_source: string | null;
  user: string | null;
  job_id: string | null;
  path: string;
  browser: number;
  data_json: string;
  dedupe_key: string;
  routed: number;
}

export interface NotificationMessagesTable {
  id: string;
  channel: string;
  rule: string | null;
  state: string;
  event_count: number;
  title: string;
  body_json: string | null;
  attempts: number;
  created_at: string;
  window_ends_at: string;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  give_up_at: string | null;
  sent_at: string | null;
  last_answer: string | null;
}

export interface NotificationMessageEventsTable {
  message_id: string;
  event_id: string;
}

/** Schema v3 (see migrations/0003-notification-watches.ts). */
export interface NotificationWatchesTable {
  kind: string;
  subject: string;
  since: string;
  announced: number;
}

export type JobRow = JobsTable;
export type QueueRow = QueuesTable;
export type TaskRow = TasksTable;
export type SubmissionRow = SubmissionsTable;
