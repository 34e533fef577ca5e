import type { TaskSourceConfig } from '../config/schema';
import type { Sequenced, Unsubscribe } from '../events/event-bus';
import type { QueueWithTasks, TaskRecord } from '../history/types';
import type { Clock } from '../runtime/clock';
import { shellQuote } from '../runtime/command-runner';
import { CoreError, isCoreError } from '../runtime/errors';
import { cancelTasks } from './cancel-tasks';
import { fetchTaskSource } from './fetch-task-source';
import { prepareTasks } from './prepare-tasks';
import { QueueDriver } from './queue-driver';
import type { QueueCluster } from './queue-cluster';
import { TERMINAL_TASK_STATES } from './queue-status';
import type { QueueStore } from './queue-store';
import { loadSummary } from './queue-summaries';
import type * as T from './queue-types';
import { settleOpenSubmissions } from './recover-submissions';
import { resolveHome } from './resolve-home';
import { followLog, readWholeLog, tailLog } from './task-logs';
import { newQueueId, readStoredTask, resolveTilde } from './task-record';

/** The core event bus as the queue manager uses it; other event types on the bus are ignored. */
export interface QueueEvents {
  publish(event: T.QueueEvent): void;
  subscribe(listener: (item: Sequenced<{ type: string }>) => void): Unsubscribe;
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
}

const DEFAULT_TAIL_LINES = 200;

/** Task sources and queues: dry-run, run, throttled exactly-once submission, cancel, scripts and logs. */
export class QueueService implements T.QueueApi {
  private readonly driver: QueueDriver;
  private readonly homes = new Map<string, Promise<string>>();
  private unsubscribe: Unsubscribe | null = null;

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
    });
  }

  /**
   * Settles submissions left open by a previous process (found by tag ->
   * submitted; not found -> pending again) before anything is submitted,
   * then resumes every active queue.
   */
  async start(): Promise<void> {
    this.unsubscribe ??= this.d.events.subscribe((item) => this.driver.onEvent(item));
    for (const cluster of this.d.clusters.values()) {
      try {
        const touched = await settleOpenSubmissions(this.driver.context, cluster, { startup: true });
        for (const id of touched) this.driver.markDirty(id);
      } catch (e) {
        this.d.log(`[${cluster.name}] queues: recovering submissions failed: ${e instanceof Error ? e.message : String(e)}`);
      }
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
      available: this.d.clusters.get(s.cluster)?.renderScript != null && this.d.clusters.get(s.cluster)?.runner != null,
    }));
  }

  async dryRun(sourceName: string): Promise<T.DryRunResult> {
    const { source, cluster, runner } = this.source(sourceName);
    const specs = await fetchTaskSource(runner, source);
    const home = await this.home(cluster);
    const { tasks } = prepareTasks(cluster, specs, 'preview', home, true);
    return { source: source.name, cluster: cluster.name, home, taskCount: tasks.length, tasks };
  }

  async run(sourceName: string): Promise<T.QueueSummary> {
    const { source, cluster, runner } = this.source(sourceName);
    const specs = await fetchTaskSource(runner, source);
    const sourceCommit = source.source !== undefined && this.d.sourceCommit ? await this.d.sourceCommit(source.source) : null;
    const home = await this.home(cluster);
    const logRoot = resolveTilde(cluster.settings.logDir, home).replace(/\/+$/, '');
    for (let attempt = 0; ; attempt++) {
      const id = (this.d.newQueueId ?? newQueueId)();
      const { records } = prepareTasks(cluster, specs, id, home, false);
      const mkdir = await runner.run(`mkdir -p -- ${shellQuote(`${logRoot}/${id}`)}`, { timeoutMs: 30_000 });
      if (mkdir.exitCode !== 0) {
        throw new CoreError('SCHEDULER_ERROR', `Cannot create the log directory ${logRoot}/${id} on ${cluster.name}: ${mkdir.stderr.trim()}`);
      }
      try {
        const created = this.d.store.createQueue(
          {
            id,
            sourceName: source.name,
            cluster: cluster.name,
            createdAt: this.d.clock.now().toISOString(),
            maxConcurrent: source.max_concurrent,
            logDir: `${logRoot}/${id}`,
            account: cluster.settings.account,
            sourceCommit,
          },
          records,
        );
        const summary = loadSummary(this.d.store, created);
        this.d.events.publish({ type: 'queue', queue: summary });
        this.driver.kick();
        return summary;
      } catch (e) {
        if (!(isCoreError(e) && e.code === 'CONFLICT' && attempt < 5)) throw e;
      }
    }
  }

  listQueues(): T.QueueSummary[] {
    return this.d.store.listQueues().flatMap((q) => {
      const stored = this.d.store.getQueue(q.id);
      return stored ? [loadSummary(this.d.store, stored)] : [];
    });
  }

  getQueue(queueId: string): T.QueueDetail {
    const stored = this.stored(queueId);
    return {
      queue: loadSummary(this.d.store, stored),
      tasks: stored.tasks.map((t) => {
        const { resolved, ...spec } = readStoredTask(t.spec, queueId, t.taskId);
        return {
          taskId: t.taskId,
          position: t.position,
          name: t.name,
          state: t.state,
          spec,
          submit: {
            name: spec.name,
            command: spec.command,
            cpus: spec.cpus,
            memory: spec.memory,
            timeLimit: spec.time_limit,
            ...resolved,
          },
          job: t.jobId === null ? null : this.d.store.getJob(t.jobId),
        };
      }),
    };
  }

  async cancelQueue(queueId: string): Promise<T.QueueCancelResult> {
    const before = this.stored(queueId);
    if (before.queue.status !== 'active') {
      throw new CoreError('CONFLICT', `Queue ${queueId} is already ${before.queue.status}`, { queueId, status: before.queue.status });
    }
    this.d.store.updateQueue(queueId, { status: 'cancelled', cancelledAt: this.d.clock.now().toISOString() });
    await this.driver.stopSubmitting(queueId);
    const { queue, tasks } = this.stored(queueId);
    const outcomes = await cancelTasks(this.d.store, this.d.clusters.get(queue.cluster), queueId, tasks, true);
    this.publish(queueId);
    return { queueId, tasks: outcomes };
  }

  async cancelTask(queueId: string, taskId: string): Promise<T.TaskCancelOutcome> {
    const { queue } = this.stored(queueId);
    this.task(this.stored(queueId), taskId);
    await this.driver.stopSubmitting(queueId, taskId);
    const task = this.task(this.stored(queueId), taskId);
    const [outcome] = await cancelTasks(this.d.store, this.d.clusters.get(queue.cluster), queueId, [task], queue.status === 'cancelled');
    this.driver.markDirty(queueId);
    this.driver.kick();
    return outcome!;
  }

  taskScript(queueId: string, taskId: string): string {
    const task = this.task(this.stored(queueId), taskId);
    if (task.script === null) throw new CoreError('NOT_FOUND', `Task ${taskId} of queue ${queueId} has no rendered script`);
    return task.script;
  }

  async taskLog(queueId: string, taskId: string, kind: T.LogKind, options: { tail?: number } = {}): Promise<T.TaskLog> {
    const { runner, path } = this.logTarget(queueId, taskId, kind);
    const read = await tailLog(runner, path, options.tail ?? DEFAULT_TAIL_LINES);
    return { queueId, taskId, kind, path, ...read, partial: true };
  }

  async downloadTaskLog(queueId: string, taskId: string, kind: T.LogKind): Promise<T.TaskLog> {
    const { runner, path } = this.logTarget(queueId, taskId, kind);
    return { queueId, taskId, kind, path, ...(await readWholeLog(runner, path)), partial: false };
  }

  followTaskLog(queueId: string, taskId: string, kind: T.LogKind, options: { signal?: AbortSignal; fromOffset?: number } = {}): AsyncIterable<T.LogChunk> {
    const { runner, path } = this.logTarget(queueId, taskId, kind);
    return followLog(runner, path, {
      clock: this.d.clock,
      ...options,
      finished: () => {
        const task = this.d.store.getQueue(queueId)?.tasks.find((t) => t.taskId === taskId);
        const done = task === undefined || TERMINAL_TASK_STATES.has(task.state) || task.state === 'finishing';
        return { done, reason: task === undefined ? 'the task no longer exists' : `the task is ${task.state}` };
      },
    });
  }

  private logTarget(queueId: string, taskId: string, kind: T.LogKind) {
    const stored = this.stored(queueId);
    const { resolved } = readStoredTask(this.task(stored, taskId).spec, queueId, taskId);
    const runner = this.d.clusters.get(stored.queue.cluster)?.runner;
    if (!runner) throw new CoreError('CLUSTER_UNAVAILABLE', `Cluster ${stored.queue.cluster} is not available here`);
    return { runner, path: kind === 'output' ? resolved.stdoutPath : resolved.stderrPath };
  }

  private publish(queueId: string): void {
    this.d.events.publish({ type: 'queue', queue: loadSummary(this.d.store, this.stored(queueId)) });
  }

  private stored(queueId: string): QueueWithTasks {
    const stored = this.d.store.getQueue(queueId);
    if (!stored) throw new CoreError('NOT_FOUND', `No queue ${queueId}`, { queueId });
    return stored;
  }

  private task(stored: QueueWithTasks, taskId: string): TaskRecord {
    const task = stored.tasks.find((t) => t.taskId === taskId);
    if (!task) throw new CoreError('NOT_FOUND', `No task ${taskId} in queue ${stored.queue.id}`, { queueId: stored.queue.id, taskId });
    return task;
  }

  private source(name: string) {
    const source = this.d.taskSources.find((s) => s.name === name);
    if (!source) throw new CoreError('NOT_FOUND', `No task source named ${name}`, { source: name });
    const cluster = this.d.clusters.get(source.cluster);
    if (!cluster?.runner || !cluster.renderScript) {
      throw new CoreError('CLUSTER_UNAVAILABLE', `Task source ${name}: cluster ${source.cluster} is not available here`, { source: name });
    }
    return { source, cluster, runner: cluster.runner };
  }

  private home(cluster: QueueCluster): Promise<string> {
    let home = this.homes.get(cluster.name);
    if (!home) {
      home = resolveHome(cluster.runner!, cluster.name);
      home.catch(() => this.homes.delete(cluster.name));
      this.homes.set(cluster.name, home);
    }
    return home;
  }
}
