import type { Backend, CancelOutcome } from '../backends/backend';
import { isTerminal, type Job } from '../domain/job';
import type { EventBus } from '../events/event-bus';
import type { ClusterMonitor, RefreshResult } from '../poller/cluster-monitor';
import type { QueueApi } from '../queue/queue-types';
import { CoreError } from '../runtime/errors';
import type { StoreHealth } from '../history/store-health';
import { cancelJobs } from './cancel-jobs';
import { NOTIFICATIONS_ROLE, type ClusterLeadership } from '../leadership/cluster-leadership';
import { buildHealth } from './health';
import { followJobLog, readJobLog, requireJob, type JobLog } from './job-logs';
import type { LogChunk, LogKind } from '../backends/backend';
import type { Clock } from '../runtime/clock';
import { JobCountQuery, JobQuery } from './job-query';
import type { SourcesApi } from '../git/git-sources';
import type { NotificationsApi } from '../notifications/notifications-api';
import type {
  CoreEvent,
  CoreInfo,
  HealthReport,
  JobCancelOutcome,
  JobCount,
  JobPage,
  QueueEfficiency,
  ScripthutCore,
} from './scripthut-core';
import { rightSizeHint, type EfficiencySummary } from '../domain/efficiency';

/** What the service reads from the history store. */
export interface JobReader {
  getJob(id: string): Job | null | Promise<Job | null>;
  listJobs(query: ReturnType<typeof JobQuery.parse>): JobPage | Promise<JobPage>;
  countJobs(query: ReturnType<typeof JobCountQuery.parse>): JobCount[] | Promise<JobCount[]>;
  efficiencySummary(filter: { queueId: string }): EfficiencySummary | Promise<EfficiencySummary>;
}

/** A configured cluster as the service uses it. */
export interface MonitoredCluster {
  monitor: ClusterMonitor;
  backend: Backend;
  /** Closes transports (SSH, HTTP agents) while the monitor stops. */
  close?: () => Promise<void> | void;
}

export interface CoreServiceDeps {
  info: CoreInfo;
  events: EventBus<CoreEvent>;
  clusters: ReadonlyMap<string, MonitoredCluster>;
  jobs: JobReader;
  clock: Clock;
  /** Which clusters this instance polls; released after the monitors stop, before the store closes. */
  leadership?: Pick<ClusterLeadership, 'held' | 'close'>;
  /** How /health names this instance. */
  instance?: string;
  /** Several instances share the database: the roles each one holds are its share of the work. */
  shared?: boolean;
  /** Closes the store; runs last. */
  closeStore: () => Promise<void>;
  /** Whether the store takes writes, for /health. */
  store?: { health(): Promise<StoreHealth> };
  /** Task sources and queues; started with the monitors (after recovering open submissions), stopped before them. */
  queues: QueueApi & { start(): Promise<void>; stop(): Promise<void> };
  /** Git sources; synced in the background from start, stopped first. */
  sources: SourcesApi & { start(): void; stop(): Promise<void> };
  /** Notifications; started before the monitors (so no state change goes unobserved), stopped after them. */
  notifications: NotificationsApi & { start(): Promise<void>; stop(): Promise<void> };
  /** Periodic housekeeping (retention pruning); started with the monitors. */
  housekeeping?: { start(): void; stop(): void };
}

export class CoreService implements ScripthutCore {
  readonly events: EventBus<CoreEvent>;
  readonly info: CoreInfo;
  readonly queues: QueueApi;
  readonly sources: SourcesApi;
  readonly notifications: NotificationsApi;

  constructor(private readonly d: CoreServiceDeps) {
    this.events = d.events;
    this.info = d.info;
    this.queues = d.queues;
    this.sources = d.sources;
    this.notifications = d.notifications;
  }

  clusters() {
    return [...this.d.clusters.values()].map((c) => c.monitor.status());
  }

  async listJobs(query: JobQuery): Promise<JobPage> {
    return this.d.jobs.listJobs(JobQuery.parse(query));
  }

  async countJobs(query: JobCountQuery): Promise<JobCount[]> {
    return this.d.jobs.countJobs(JobCountQuery.parse(query));
  }

  async getJob(id: string): Promise<Job | null> {
    return this.d.jobs.getJob(id);
  }

  async cancelJob(id: string): Promise<CancelOutcome> {
    const job = await this.d.jobs.getJob(id);
    if (!job) throw new CoreError('NOT_FOUND', `No job with id ${id}`);
    if (job.schedulerJobId === null || isTerminal(job.state)) {
      throw new CoreError(
        'CONFLICT',
        `Job ${job.name} is not running or queued on the scheduler; nothing to cancel`,
      );
    }
    const runtime = this.runtime(job.cluster);
    const [outcome] = await runtime.backend.cancel([job.schedulerJobId]);
    if (!outcome)
      throw new CoreError('SCHEDULER_ERROR', 'The scheduler gave no answer to the cancel request');
    if (!outcome.ok) {
      throw new CoreError(
        'SCHEDULER_REFUSED',
        outcome.message ?? `The scheduler refused to cancel job ${job.schedulerJobId}`,
      );
    }
    runtime.monitor.requestRefresh();
    return outcome;
  }

  /**
   * Cancels several jobs (an array's own row cancels the whole array, a task
   * only itself) with one scheduler call per cluster, and says per job
   * whether the scheduler took it. Never rejects for one job's answer.
   */
  cancelJobs(ids: readonly string[]): Promise<JobCancelOutcome[]> {
    return cancelJobs(ids, {
      getJob: (id) => this.d.jobs.getJob(id),
      cluster: (name) => this.d.clusters.get(name),
    });
  }

  /** What a queue's finished tasks used of what they asked, and a smaller request that would do. */
  async queueEfficiency(queueId: string): Promise<QueueEfficiency> {
    const summary = await this.d.jobs.efficiencySummary({ queueId });
    return { queueId, summary, hint: rightSizeHint(summary) };
  }

  /** Tail of a job's output or error log, read by its cluster's backend (queue tasks' jobs alike). */
  async jobLog(id: string, kind: LogKind, tail?: number): Promise<JobLog> {
    const job = requireJob(await this.d.jobs.getJob(id), id);
    return readJobLog(
      this.runtime(job.cluster).backend,
      job,
      kind,
      tail === undefined ? {} : { tail },
    );
  }

  async *followJobLog(
    id: string,
    kind: LogKind,
    options: { signal?: AbortSignal; from?: string | null } = {},
  ): AsyncGenerator<LogChunk> {
    const job = requireJob(await this.d.jobs.getJob(id), id);
    yield* followJobLog(this.runtime(job.cluster).backend, job, kind, {
      clock: this.d.clock,
      current: () => this.getJob(id),
      from: options.from ?? null,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  refresh(cluster?: string): Record<string, RefreshResult> {
    const targets = cluster === undefined ? [...this.d.clusters.values()] : [this.runtime(cluster)];
    return Object.fromEntries(targets.map((c) => [c.monitor.name, c.monitor.requestRefresh()]));
  }

  async health(): Promise<HealthReport> {
    const held = new Set(this.d.leadership?.held() ?? []);
    const instance = {
      name: this.d.instance ?? 'scripthut',
      leads: [...this.d.clusters.keys()].filter((c) => held.has(c)),
      notifications: this.d.shared !== true || held.has(NOTIFICATIONS_ROLE),
    };
    return buildHealth(this.clusters(), await this.d.store?.health(), instance);
  }

  /** Resolves once notifications have restored their clocks; monitors, queues and sources then run in the background. */
  async start(): Promise<void> {
    await this.d.notifications.start();
    for (const c of this.d.clusters.values()) c.monitor.start();
    this.d.housekeeping?.start();
    void this.d.queues.start();
    this.d.sources.start();
  }

  /**
   * Stop everything, then close the store. Transports close while the
   * monitors stop: a poll waiting for an unreachable cluster would otherwise
   * hold shutdown until its command timed out.
   */
  async close(): Promise<void> {
    this.d.housekeeping?.stop();
    const runtimes = [...this.d.clusters.values()];
    const stopping = Promise.all([
      this.d.sources.stop(),
      this.d.queues.stop(),
      ...runtimes.map((c) => c.monitor.stop()),
    ]);
    await Promise.all(runtimes.map(async (c) => c.close?.()));
    await stopping;
    await this.d.notifications.stop();
    // Ending the lock session hands this instance's clusters to the next claim of another one.
    await this.d.leadership?.close();
    await this.d.closeStore();
  }

  private runtime(cluster: string): MonitoredCluster {
    const runtime = this.d.clusters.get(cluster);
    if (!runtime) throw new CoreError('NOT_FOUND', `No cluster named ${cluster}`);
    return runtime;
  }
}
