import type { TaskSourceConfig } from '../config/schema';
import type { Sequenced, Unsubscribe } from '../events/event-bus';
import type { AttemptOrigin, RetryRequestInput } from '../domain/retry';
import { RetryRequest } from '../domain/retry';
import type { TaskSpec } from '../domain/task';
import type { NewQueue, QueueWithTasks, TaskRecord } from '../history/types';
import type { Clock } from '../runtime/clock';
import { CoreError, isCoreError } from '../runtime/errors';
import { soleLeadership, type ClusterLeadership } from '../leadership/cluster-leadership';
import { cancelTasks } from './cancel-tasks';
import { TaskLogs } from './task-logs';
import { fetchTaskSource } from './fetch-task-source';
import { prepareTasks } from './prepare-tasks';
import { QueueDriver } from './queue-driver';
import { asOwner, type QueueCluster } from './queue-cluster';
import { OPEN_POLICY, type AccessPolicy } from '../access/access-policy';
import { SHARED_ACTOR, type Actor } from '../domain/actor';
import type { QueueStore } from './queue-store';
import { nextAttempt } from './queue-attempts';
import { queueDetail } from './queue-detail';
import { listSummaries, loadSummary } from './queue-summaries';
import type * as T from './queue-types';
import { newQueueId } from './task-record';

/** The core event bus as the queue manager uses it; other event types on the bus are ignored. */
export interface QueueEvents {
  publish(event: T.QueueEvent): void;
  subscribe(listener: (item: Sequenced<{ type: string }>) => void): Unsubscribe;
}

interface AttemptTasks {
  specs: readonly TaskSpec[];
  dependsOn?: ReadonlyMap<string, string[]>;
  family?: Pick<NewQueue, 'originalId' | 'retryOf' | 'attempt' | 'origin'>;
}

export interface QueueServiceDeps {
  store: QueueStore;
  events: QueueEvents;
  clusters: ReadonlyMap<string, QueueCluster>;
  taskSources: readonly TaskSourceConfig[];
  clock: Clock;
  log: (message: string) => void;
  /** Commit of a git source's checkout (null when not cloned); task sources that name a `source` record it. */
  sourceCommit?: (sourceName: string) => Promise<string | null>;
  /** Bound on one submit call; past it the outcome is `unknown` (default 60 s). */
  submitTimeoutMs?: number;
  /** How long an `unknown` submission waits before its tag is looked up again (default 30 s). */
  unknownRecheckMs?: number;
  /**
   * How long an `unknown` submission whose tag is not found is kept before
   * its task is pending again (default 10 min: longer than sbatch retries
   * against a busy controller, and than the submit timeout).
   */
  releaseUnknownAfterMs?: number;
  newQueueId?: () => string;
  /** Who may cancel, retry and rerun which queue; default: everyone may. */
  access?: AccessPolicy;
  /** Which clusters this instance leads (shared deployments); default: every cluster (one server). */
  leadership?: Pick<ClusterLeadership, 'claim' | 'held'>;
  /** See DriverDeps.takeoverGraceMs; default 0. */
  takeoverGraceMs?: number;
}

/** Task sources and queues: dry-run, run, retry and rerun, throttled exactly-once submission, cancel, scripts and logs. */
export class QueueService implements T.QueueApi {
  private readonly driver: QueueDriver;
  private readonly homes = new Map<string, Promise<string | null>>();
  private unsubscribe: Unsubscribe | null = null;
  private readonly logs: TaskLogs;
  private readonly access: AccessPolicy;

  constructor(private readonly d: QueueServiceDeps) {
    this.driver = new QueueDriver({
      store: d.store,
      clock: d.clock,
      log: d.log,
      clusters: d.clusters,
      publish: (e) => d.events.publish(e),
      submitTimeoutMs: d.submitTimeoutMs ?? 60_000,
      unknownRecheckMs: d.unknownRecheckMs ?? 30_000,
      releaseUnknownAfterMs: d.releaseUnknownAfterMs ?? 600_000,
      leadership: d.leadership ?? soleLeadership(),
      takeoverGraceMs: d.takeoverGraceMs ?? 0,
    });
    this.logs = new TaskLogs({ store: d.store, clusters: d.clusters, clock: d.clock });
    this.access = d.access ?? OPEN_POLICY;
  }

  /**
   * Settles submissions left open by a previous process (found by tag ->
   * submitted; not found -> pending again, or, where the backend may list a
   * job late, looked up again after Backend.findByTagsLagMs first) before
   * anything is submitted, then resumes every active queue. Only for the
   * clusters this instance leads; the others when it takes them over.
   */
  async start(): Promise<void> {
    this.unsubscribe ??= this.d.events.subscribe((item) => this.driver.onEvent(item));
    for (const cluster of this.d.clusters.values()) {
      // A cluster another instance leads is recovered by whichever instance takes it over next.
      if (await this.driver.leads(cluster.name)) await this.driver.recover(cluster);
    }
    this.driver.enable();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.driver.disable();
  }

  /** Resolves when no submission pass is running (tests and shutdown). */
  idle(): Promise<void> {
    return this.driver.idle();
  }

  listTaskSources(): T.TaskSourceInfo[] {
    return this.d.taskSources.map((s) => ({
      name: s.name,
      cluster: s.cluster,
      command: s.command,
      maxConcurrent: s.max_concurrent,
      description: s.description,
      available: this.d.clusters.has(s.cluster),
    }));
  }

  async dryRun(sourceName: string, actor: Actor = SHARED_ACTOR): Promise<T.DryRunResult> {
    const { source, cluster } = this.source(sourceName, actor.user);
    const specs = await fetchTaskSource(cluster.support.taskRunner, source);
    const home = await this.home(cluster);
    const { tasks } = prepareTasks(cluster, source.name, specs, 'preview', home, true);
    return { source: source.name, cluster: cluster.name, home, taskCount: tasks.length, tasks };
  }

  async run(sourceName: string, actor: Actor = SHARED_ACTOR): Promise<T.QueueSummary> {
    const { source, cluster } = this.source(sourceName, actor.user);
    const specs = await fetchTaskSource(cluster.support.taskRunner, source);
    const sourceCommit = source.source !== undefined && this.d.sourceCommit ? await this.d.sourceCommit(source.source) : null;
    return this.create(cluster, { sourceName: source.name, maxConcurrent: source.max_concurrent, sourceCommit, owner: actor.user }, () => ({ specs }));
  }

  async retryQueue(queueId: string, request: RetryRequestInput, actor: Actor = SHARED_ACTOR): Promise<T.QueueSummary> {
    const parsed = RetryRequest.safeParse(request);
    if (!parsed.success) throw new CoreError('INVALID_INPUT', `Retry of queue ${queueId}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}`);
    return await this.newAttempt(queueId, { mode: 'retry', ...parsed.data }, actor, 'retry');
  }

  rerunQueue(queueId: string, actor: Actor = SHARED_ACTOR): Promise<T.QueueSummary> {
    return this.newAttempt(queueId, { mode: 'rerun' }, actor, 'rerun');
  }

  /** A retry or rerun: a new queue of the family (owned by the family's owner), through the same store, driver and submit loop as a first run. */
  private async newAttempt(queueId: string, origin: AttemptOrigin, actor: Actor, verb: string): Promise<T.QueueSummary> {
    const { queue } = await this.stored(queueId);
    this.access.assertMayChangeQueue(actor, queue, verb);
    const shared = this.d.clusters.get(queue.cluster);
    if (!shared) throw new CoreError('CLUSTER_UNAVAILABLE', `Queue ${queueId}: cluster ${queue.cluster} is not available here`, { queueId });
    const plan = async () => nextAttempt(this.d.store, await this.stored(queueId), origin);
    const o = { sourceName: queue.sourceName, maxConcurrent: queue.maxConcurrent, sourceCommit: queue.sourceCommit, owner: queue.owner };
    // Decided before any work on the cluster, and again right before the queue is created (another retry may have started meanwhile).
    return this.create(asOwner(shared, queue.owner), o, plan, plan);
  }


  /**
   * Creates a queue under a fresh id (another on the rare id collision).
   * `recheck` runs in the transaction that creates the queue, so what it
   * checks and the creation happen with no other write in between; it
   * throws to refuse.
   */
  private async create(
    cluster: QueueCluster,
    o: Pick<NewQueue, 'sourceName' | 'maxConcurrent' | 'sourceCommit' | 'owner'>,
    tasks: () => Promise<AttemptTasks> | AttemptTasks,
    recheck: () => Promise<unknown> = () => Promise.resolve(),
  ): Promise<T.QueueSummary> {
    const { specs, dependsOn, family } = await tasks();
    const home = await this.home(cluster);
    for (let attempt = 0; ; attempt++) {
      const id = (this.d.newQueueId ?? newQueueId)();
      const { records } = prepareTasks(cluster, o.sourceName, specs, id, home, false, dependsOn);
      const logDir = (await cluster.support.prepareLogDir?.(id, home)) ?? null;
      try {
        const created = await this.d.store.transaction(async () => {
          await recheck();
          return this.d.store.createQueue(
            { id, ...o, cluster: cluster.name, createdAt: this.d.clock.now().toISOString(), logDir: logDir ?? '', account: cluster.support.account, ...family },
            records,
          );
        });
        const summary = await loadSummary(this.d.store, created);
        this.d.events.publish({ type: 'queue', queue: summary });
        this.driver.kick();
        return summary;
      } catch (e) {
        if (!(isCoreError(e) && e.code === 'CONFLICT' && attempt < 5)) throw e;
      }
    }
  }

  async listQueues(): Promise<T.QueueSummary[]> {
    return listSummaries(this.d.store);
  }

  async getQueue(queueId: string): Promise<T.QueueDetail> {
    return queueDetail(this.d.store, await this.stored(queueId));
  }

  async cancelQueue(queueId: string, actor: Actor = SHARED_ACTOR): Promise<T.QueueCancelResult> {
    const before = await this.stored(queueId);
    this.access.assertMayChangeQueue(actor, before.queue, 'cancel');
    if (before.queue.status !== 'active') {
      throw new CoreError('CONFLICT', `Queue ${queueId} is already ${before.queue.status}`, { queueId, status: before.queue.status });
    }
    await this.d.store.updateQueue(queueId, { status: 'cancelled', cancelledAt: this.d.clock.now().toISOString() });
    await this.driver.stopSubmitting(queueId);
    const { queue, tasks } = await this.stored(queueId);
    const outcomes = await cancelTasks(this.d.store, this.queueCluster(queue), queueId, tasks, true);
    await this.publish(queueId);
    return { queueId, tasks: outcomes };
  }

  async cancelTask(queueId: string, taskId: string, actor: Actor = SHARED_ACTOR): Promise<T.TaskCancelOutcome> {
    const { queue } = await this.stored(queueId);
    this.access.assertMayChangeQueue(actor, queue, 'cancel tasks of');
    this.task(await this.stored(queueId), taskId);
    await this.driver.stopSubmitting(queueId, taskId);
    const task = this.task(await this.stored(queueId), taskId);
    const [outcome] = await cancelTasks(this.d.store, this.queueCluster(queue), queueId, [task], queue.status === 'cancelled');
    this.driver.markDirty(queueId);
    this.driver.kick();
    return outcome!;
  }

  async taskScript(queueId: string, taskId: string): Promise<string> {
    const task = this.task(await this.stored(queueId), taskId);
    if (task.script === null) throw new CoreError('NOT_FOUND', `Task ${taskId} of queue ${queueId} has no rendered script`);
    return task.script;
  }

  taskLog(queueId: string, taskId: string, kind: T.LogKind, options: { tail?: number } = {}): Promise<T.TaskLog> {
    return this.logs.tail(queueId, taskId, kind, options);
  }

  downloadTaskLog(queueId: string, taskId: string, kind: T.LogKind): Promise<T.TaskLog> {
    return this.logs.download(queueId, taskId, kind);
  }

  followTaskLog(queueId: string, taskId: string, kind: T.LogKind, options: { signal?: AbortSignal; from?: string | null } = {}): AsyncIterable<T.LogChunk> {
    return this.logs.follow(queueId, taskId, kind, options);
  }

  private async publish(queueId: string): Promise<void> {
    this.d.events.publish({ type: 'queue', queue: await loadSummary(this.d.store, await this.stored(queueId)) });
  }

  private async stored(queueId: string): Promise<QueueWithTasks> {
    const stored = await this.d.store.getQueue(queueId);
    if (!stored) throw new CoreError('NOT_FOUND', `No queue ${queueId}`, { queueId });
    return stored;
  }

  private task(stored: QueueWithTasks, taskId: string): TaskRecord {
    const task = stored.tasks.find((t) => t.taskId === taskId);
    if (!task) throw new CoreError('NOT_FOUND', `No task ${taskId} in queue ${stored.queue.id}`, { queueId: stored.queue.id, taskId });
    return task;
  }

  /** The queue's cluster through its owner's login (undefined when the cluster is not configured). */
  private queueCluster(queue: { cluster: string; owner: string | null }): QueueCluster | undefined {
    const shared = this.d.clusters.get(queue.cluster);
    return shared && asOwner(shared, queue.owner);
  }

  private source(name: string, owner: string | null) {
    const source = this.d.taskSources.find((s) => s.name === name);
    if (!source) throw new CoreError('NOT_FOUND', `No task source named ${name}`, { source: name });
    const cluster = this.d.clusters.get(source.cluster);
    if (!cluster) {
      throw new CoreError('CLUSTER_UNAVAILABLE', `Task source ${name}: cluster ${source.cluster} is not available here`, { source: name });
    }
    return { source, cluster: asOwner(cluster, owner) };
  }

  /** The home directory of the cluster's login, asked once per cluster and login (null for kinds without one). */
  private home(cluster: QueueCluster): Promise<string | null> {
    const ask = cluster.support.home;
    if (!ask) return Promise.resolve(null);
    const key = `${cluster.name}\0${cluster.user ?? ''}`;
    let home = this.homes.get(key);
    if (!home) {
      home = ask();
      home.catch(() => this.homes.delete(key));
      this.homes.set(key, home);
    }
    return home;
  }
}
