import type { Backend, CancelOutcome } from '../backends/backend';
import { isTerminal, type Job } from '../domain/job';
import type { EventBus } from '../events/event-bus';
import type { EventStream } from '../events/event-stream';
import type { ClusterMonitor, RefreshResult } from '../poller/cluster-monitor';
import type { QueueApi } from '../queue/queue-types';
import { CoreError } from '../runtime/errors';
import type { StoreHealth } from '../history/store-health';
import { cancelJobs } from './cancel-jobs';
import { jobRefusal, OPEN_POLICY, type AccessPolicy } from '../access/access-policy';
import { SHARED_ACTOR, type Actor } from '../domain/actor';
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
  /** The cluster through one ScriptHut user's own login; null (or absent) when they have none there. */
  identity?: (user: string) => { backend: Backend } | null;
  /** Closes transports (SSH, HTTP agents) while the monitor stops. */
  close?: () => Promise<void> | void;
}

export interface CoreServiceDeps {
  info: CoreInfo;
  /** Who may cancel what, and who each user is on each cluster; default: everyone may do everything. */
  access?: AccessPolicy;
  events: EventBus<CoreEvent>;
  /** The live stream; closed after everything that publishes has stopped, before the store. */
  stream: EventStream<CoreEvent>;
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
  readonly stream: EventStream<CoreEvent>;
  readonly info: CoreInfo;
  readonly queues: QueueApi;
  readonly sources: SourcesApi;
  readonly notifications: NotificationsApi;
  readonly access: AccessPolicy;

  constructor(private readonly d: CoreServiceDeps) {
    this.access = d.access ?? OPEN_POLICY;
    this.events = d.events;
    this.stream = d.stream;
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

  async cancelJob(id: string, actor: Actor = SHARED_ACTOR): Promise<CancelOutcome> {
    const job = await this.d.jobs.getJob(id);
    if (!job) throw new CoreError('NOT_FOUND', `No job with id ${id}`);
    this.access.assertMayCancelJob(actor, job);
    if (job.schedulerJobId === null || isTerminal(job.state)) {
      throw new CoreError(
        'CONFLICT',
        `Job ${job.name} is not running or queued on the scheduler; nothing to cancel`,
      );
    }
    const runtime = this.runtime(job.cluster);
    const [outcome] = await this.ownerBackend(runtime, job).cancel([job.schedulerJobId]);
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
  cancelJobs(ids: readonly string[], actor: Actor = SHARED_ACTOR): Promise<JobCancelOutcome[]> {
    return cancelJobs(ids, {
      getJob: (id) => this.d.jobs.getJob(id),
      cluster: (name) => this.d.clusters.get(name),
      refusal: (job) =>
        this.access.mayCancelJob(actor, job) ? null : jobRefusal(actor, job, this.access.clusterUser(actor.user, job.cluster)),
      backendFor: (job) => {
        const runtime = this.d.clusters.get(job.cluster);
        return runtime ? this.ownerBackend(runtime, job) : undefined;
      },
    });
  }

  /** Cancels and log reads go over the login of the job's owner when ScriptHut holds it, else the shared account's. */
  private ownerBackend(runtime: MonitoredCluster, job: Job): Backend {
    const owner = this.access.identityOwning(job.cluster, job.user);
    return (owner !== null ? runtime.identity?.(owner)?.backend : undefined) ?? runtime.backend;
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
      this.ownerBackend(this.runtime(job.cluster), job),
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
    yield* followJobLog(this.ownerBackend(this.runtime(job.cluster), job), job, kind, {
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
    await this.d.stream.close();
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
