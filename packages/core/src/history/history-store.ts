import type { Job } from '../domain/job';
import { systemClock, type Clock } from '../runtime/clock';
import type { DerivedRows } from './array-rows';
import { copyHistoryInto, type HistoryRows } from './copy-history';
import type { EfficiencySummary } from '../domain/efficiency';
import { efficiencySummary, type EfficiencyFilter } from './efficiency-summary';
import { countJobs, type CountJobsQuery, type JobCount } from './job-counts';
import * as jobQueries from './job-queries';
import { openHistoryDatabase } from './open-history-database';
import { openPostgresHistory, type PostgresConnection } from './open-postgres-history';
import { PgExecutor } from './pg-executor';
import { claimPendingTasks, type TaskKey } from './claim-tasks';
import { queueOverview, type QueueOverview } from './queue-counts';
import * as queueQueries from './queue-queries';
import { queueToRow } from './queue-rows';
import type { StoreContext } from './store-context';
import { releaseSubmission } from './release-submission';
import * as submissionQueries from './submission-queries';
import { StoreHealthTracker, type StoreHealth } from './store-health';
import { SqliteExecutor } from './sqlite-executor';
import type { StoreKind } from './store-executor';
import type { HookSlot, StoreWriteHooks } from './store-hooks';
import { OutboxStore } from '../notifications/outbox-store';
import type {
  JobPage,
  ListJobsQuery,
  NewQueue,
  NewTask,
  QueuePatch,
  QueueRecord,
  QueueWithTasks,
  SubmissionIntent,
  SubmissionOutcome,
  SubmissionRecord,
  TaskPatch,
  TaskRecord,
} from './types';

export interface HistoryStoreOptions {
  /** Stamps submission records; defaults to the system clock. */
  clock?: Clock;
}

/**
 * Durable job history, queues and the submission log: one SQLite file, or
 * a PostgreSQL database (`openPostgres`).
 *
 * Every method is async and is exactly one transaction (or joins the
 * caller's `transaction`). Database failures
 * surface as CoreError: STORE_UNAVAILABLE (disk full, read-only, corrupt,
 * closed) or CONFLICT (duplicate id or tag); unknown ids give NOT_FOUND
 * where a record must exist, null where a lookup may miss.
 */
export class HistoryStore {
  readonly #ctx: StoreContext;
  readonly #health: StoreHealthTracker;
  readonly #hooks: HookSlot;
  /** The notification outbox: same database, same transactions. */
  readonly outbox: OutboxStore;

  private constructor(ctx: StoreContext, health: StoreHealthTracker) {
    this.#hooks = { current: null };
    this.#ctx = { ...ctx, hooks: this.#hooks };
    this.#health = health;
    this.outbox = new OutboxStore(this.#ctx);
  }

  /** Installs (or with null removes) the observers that run inside job and queue writes; see StoreWriteHooks. */
  setWriteHooks(hooks: StoreWriteHooks | null): void {
    this.#hooks.current = hooks;
  }

  /** Opens or creates the database at `path` (parent directories included) and migrates it. */
  static async open(path: string, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const { sqlite, kysely } = await openHistoryDatabase(path);
    const clock = options.clock ?? systemClock;
    const health = new StoreHealthTracker(path, clock);
    return new HistoryStore(
      { db: kysely, exec: new SqliteExecutor(sqlite, path, health), clock },
      health,
    );
  }

  /**
   * Whether writes currently succeed: `unavailable` from a failed write
   * (disk full, read-only, I/O error) until one succeeds again; while
   * unavailable, a call may probe with one small write (see StoreHealthTracker).
   */
  health(): Promise<StoreHealth> {
    return this.#health.current(() =>
      this.setMeta('health_probe', this.#ctx.clock.now().toISOString()),
    );
  }

  get kind(): StoreKind {
    return this.#ctx.exec.kind;
  }

  /**
   * Connects to PostgreSQL and migrates. The same store on a server: every
   * method keeps its transaction and error contract (see PgExecutor).
   */
  static async openPostgres(
    connection: PostgresConnection,
    options: HistoryStoreOptions = {},
  ): Promise<HistoryStore> {
    const { pool, kysely, url } = await openPostgresHistory(connection);
    const clock = options.clock ?? systemClock;
    const health = new StoreHealthTracker(url, clock, 'postgres');
    return new HistoryStore({ db: kysely, exec: new PgExecutor(pool, url, health), clock }, health);
  }

  get path(): string {
    return this.#ctx.exec.path;
  }

  /**
   * Writes every job, and deletes `deleteIds`, in one transaction; the last
   * write of an id wins. Times must carry a zone (INVALID_INPUT otherwise).
   * Returns the arrays' own rows derived again because their tasks changed.
   */
  async upsertJobs(jobs: readonly Job[], deleteIds?: readonly string[]): Promise<DerivedRows> {
    return jobQueries.upsertJobs(this.#ctx, jobs, deleteIds);
  }

  /** Deletes in one transaction; unknown ids are ignored. Tasks linked to a deleted job keep their row with `jobId` null. */
  async deleteJobs(ids: readonly string[]): Promise<void> {
    await jobQueries.deleteJobs(this.#ctx, ids);
  }

  async getJob(id: string): Promise<Job | null> {
    return jobQueries.getJob(this.#ctx, id);
  }

  async listJobs(query: ListJobsQuery = {}): Promise<JobPage> {
    return jobQueries.listJobs(this.#ctx, query);
  }

  /** Jobs matching the filters, counted by cluster and state (one grouped query). */
  async countJobs(query: CountJobsQuery = {}): Promise<JobCount[]> {
    return countJobs(this.#ctx, query);
  }

  /** What the finished jobs of a queue used of what they asked (one aggregate query). */
  async efficiencySummary(filter: EfficiencyFilter): Promise<EfficiencySummary> {
    return efficiencySummary(this.#ctx, filter);
  }

  async activeJobs(cluster: string): Promise<Job[]> {
    return jobQueries.activeJobs(this.#ctx, cluster);
  }

  /**
   * Retention, one batch of at most `batchJobs` jobs per call (one short
   * transaction); returns the number deleted. Call again until it returns
   * less than `batchJobs`. See `pruneFinished` in job-queries for the rule.
   */
  async pruneFinished(olderThan: Date, batchJobs?: number): Promise<number> {
    return jobQueries.pruneFinished(this.#ctx, olderThan, batchJobs);
  }

  async getMeta(key: string): Promise<string | null> {
    const { db, exec } = this.#ctx;
    const row = await exec.read(() =>
      exec.first(db.selectFrom('meta').select('value').where('key', '=', key)),
    );
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    const { db, exec } = this.#ctx;
    await exec.write(() =>
      exec.run(
        db
          .insertInto('meta')
          .values({ key, value })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
          ),
      ),
    );
  }

  async createQueue(queue: NewQueue, tasks: readonly NewTask[]): Promise<QueueWithTasks> {
    return queueQueries.createQueue(this.#ctx, queue, tasks);
  }

  async getQueue(id: string): Promise<QueueWithTasks | null> {
    return queueQueries.getQueue(this.#ctx, id);
  }

  async listQueues(filter?: queueQueries.ListQueuesFilter): Promise<QueueRecord[]> {
    return queueQueries.listQueues(this.#ctx, filter);
  }

  /** Every queue, newest first, with task counts per state from one grouped query; no task is loaded. */
  async queueOverview(): Promise<QueueOverview> {
    return queueOverview(this.#ctx);
  }

  async updateQueue(id: string, patch: QueuePatch): Promise<QueueRecord> {
    return queueQueries.updateQueue(this.#ctx, id, patch);
  }

  async updateTask(queueId: string, taskId: string, patch: TaskPatch): Promise<TaskRecord> {
    return queueQueries.updateTask(this.#ctx, queueId, taskId, patch);
  }

  /** One write transaction around several store calls (their own transactions nest inside it). */
  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.#ctx.exec.write(body);
  }

  async recordSubmissionIntent(intent: SubmissionIntent): Promise<SubmissionRecord> {
    return submissionQueries.recordSubmissionIntent(this.#ctx, intent);
  }

  async recordSubmissionOutcome(outcome: SubmissionOutcome): Promise<SubmissionRecord> {
    return submissionQueries.recordSubmissionOutcome(this.#ctx, outcome);
  }

  /** See `releaseSubmission`: an open submission the scheduler never saw; its task goes back to pending. */
  async releaseSubmission(tag: string, message: string): Promise<SubmissionRecord> {
    return releaseSubmission(this.#ctx, tag, message);
  }

  /** See claimPendingTasks: the tasks still pending, locked for the caller's transaction. */
  async claimPendingTasks(tasks: readonly TaskKey[]): Promise<TaskKey[]> {
    return claimPendingTasks(this.#ctx, tasks);
  }

  async pendingIntents(cluster?: string): Promise<SubmissionRecord[]> {
    return submissionQueries.pendingIntents(this.#ctx, cluster);
  }

  /**
   * For `importLegacyHistory`: inserts the jobs and queues whose ids are not
   * stored yet and sets the meta key, in one transaction, so an import
   * happens whole or not at all. A meta key already set is a CONFLICT.
   * Returns the number of jobs inserted.
   */
  async importLegacy(
    jobs: readonly Job[],
    queues: readonly QueueRecord[],
    doneKey: string,
    doneValue: string,
  ): Promise<number> {
    const { db, exec } = this.#ctx;
    return exec.write(async () => {
      for (const queue of queues) {
        await exec.run(
          db
            .insertInto('queues')
            .values(queueToRow(queue))
            .onConflict((oc) => oc.column('id').doNothing()),
        );
      }
      const inserted = jobQueries.insertMissingJobs(this.#ctx, jobs);
      await exec.run(db.insertInto('meta').values({ key: doneKey, value: doneValue }));
      return inserted;
    });
  }

  /** For `importSqliteHistory`: every table's rows in one transaction; see `copyHistoryInto`. */
  copyHistory(rows: HistoryRows, replace: boolean): Promise<Record<keyof HistoryRows, number>> {
    return copyHistoryInto(this.#ctx, rows, replace);
  }

  /** Idempotent; later calls on the store fail with STORE_UNAVAILABLE. */
  close(): Promise<void> {
    return this.#ctx.exec.close();
  }
}
