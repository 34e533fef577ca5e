import type { AccessPolicy } from '../access/access-policy';
import type { CancelOutcome } from '../backends/backend';
import type { Actor } from '../domain/actor';
import type { ClusterStatus } from '../domain/cluster';
import type { StoreHealth } from '../history/store-health';
import type { Job } from '../domain/job';
import type { EfficiencySummary, RightSizeHint } from '../domain/efficiency';
import type { EventBus } from '../events/event-bus';
import type { EventStream } from '../events/event-stream';
import type { MonitorEvent, RefreshResult } from '../poller/cluster-monitor';
import type { LogChunk, LogKind, QueueApi, QueueEvent } from '../queue/queue-types';
import type { JobLog } from './job-logs';
import type { JobCountQuery, JobQuery } from './job-query';
import type { SourceEvent, SourcesApi } from '../git/git-sources';
import type { NotificationsApi, NotificationStreamEvent } from '../notifications/notifications-api';

/** Every event core publishes; the API streams them to browsers. */
export type CoreEvent = MonitorEvent | QueueEvent | SourceEvent | NotificationStreamEvent;

export interface CoreInfo {
  version: string;
  configPath: string | null;
  pollIntervalSeconds: number;
  historyRetentionDays: number;
  /** `settings.filter_user`, when set: "my jobs" means this user on every cluster. */
  filterUser: string | null;
  /** Per cluster, the user "my jobs" means there (filter_user, else the SSH user). */
  myUserByCluster: Record<string, string | null>;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  clusters: Record<
    string,
    {
      connected: boolean;
      connection: ClusterStatus['connection'];
      host: string;
      last_poll: string | null;
      error: string | null;
      job_count: number;
      /** Shared database: the instance that polls the cluster (null: none has recorded a poll yet). */
      leader?: string | null;
    }
  >;
  /** This server: its name and the clusters it polls (every one on SQLite; its share on PostgreSQL). */
  instance?: {
    name: string;
    leads: string[];
    /** Whether this instance watches conditions and delivers notifications (one instance does). */
    notifications: boolean;
  };
  total_jobs: number;
  /** The history database; `unavailable` (and status `degraded`) while its writes fail. */
  store?: StoreHealth;
}

/** One job's answer to a cancel of several (`jobs.cancelMany`). */
export interface JobCancelOutcome {
  id: string;
  schedulerJobId: string | null;
  ok: boolean;
  /** The scheduler's refusal, or why nothing was asked; null when it was cancelled. */
  message: string | null;
}

export interface QueueEfficiency {
  queueId: string;
  summary: EfficiencySummary;
  hint: RightSizeHint;
}

/** How many jobs of one cluster are in one state (pairs without jobs are left out). */
export interface JobCount {
  cluster: string;
  state: Job['state'];
  count: number;
}

export interface JobPage {
  jobs: Job[];
  total: number;
}

/** What the API may ask of core. One instance per process, built by createCore. */
export interface ScripthutCore {
  /** This instance's events, delivered at once: what core itself reacts to. */
  readonly events: EventBus<CoreEvent>;
  /** Every instance's events in one global order: what browsers are sent (the live stream). */
  readonly stream: EventStream<CoreEvent>;
  readonly info: CoreInfo;
  /** Task sources and queues. */
  readonly queues: QueueApi;
  /** Git sources: status, sync and reset of their checkouts. */
  readonly sources: SourcesApi;
  /** Recent events, channels, rules, the delivery log and test messages. */
  readonly notifications: NotificationsApi;
  /** Who each user is on each cluster, and what they may change. */
  readonly access: AccessPolicy;
  clusters(): ClusterStatus[];
  listJobs(query: JobQuery): Promise<JobPage>;
  /** Jobs matching the filters, counted by cluster and state in one query. */
  countJobs(query: JobCountQuery): Promise<JobCount[]>;
  getJob(id: string): Promise<Job | null>;
  /** FORBIDDEN when `actor` (default: the shared account) may not cancel it. */
  cancelJob(id: string, actor?: Actor): Promise<CancelOutcome>;
  /** Cancels several jobs (an array's own row: the whole array), one outcome per distinct id, in order; another user's jobs are refused one by one. */
  cancelJobs(ids: readonly string[], actor?: Actor): Promise<JobCancelOutcome[]>;
  /** Efficiency of a queue's finished tasks, with a right-size hint. */
  queueEfficiency(queueId: string): Promise<QueueEfficiency>;
  /** Tail of a job's output or error log (default 200 lines). */
  jobLog(id: string, kind: LogKind, tail?: number): Promise<JobLog>;
  /** Appended log text while the job runs, from `from` (a read's or chunk's cursor; null: the start); ends after the job has ended and the log stopped growing. */
  followJobLog(
    id: string,
    kind: LogKind,
    options?: { signal?: AbortSignal; from?: string | null },
  ): AsyncIterable<LogChunk>;
  /** Rate-limited "poll now" for one cluster or all. */
  refresh(cluster?: string): Record<string, RefreshResult>;
  health(): Promise<HealthReport>;
  start(): Promise<void>;
  close(): Promise<void>;
}
