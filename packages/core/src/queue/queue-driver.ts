import type { Sequenced } from '../events/event-bus';
import type { QueueWithTasks, TaskRecord } from '../history/types';
import type { MonitorEvent } from '../domain/monitor-event';
import { isCoreError } from '../runtime/errors';
import { planDependencies, skipReason } from './plan-dependencies';
import { planSubmissions, type PlannedSubmission, type PlannerQueue } from './plan-submissions';
import type { ClusterLeadership } from '../leadership/cluster-leadership';
import { asOwner, type QueueCluster } from './queue-cluster';
import { IN_FLIGHT_TASK_STATES, taskStateFromJob } from './queue-status';
import { loadSummary, settleQueueStatus } from './queue-summaries';
import type { QueueEvent } from './queue-types';
import { settleOpenSubmissions } from './recover-submissions';
import type { SubmitContext } from './submit-context';
import { submitTasks, type TaskToSubmit } from './submit-tasks';
import { endedWords } from './task-ending';

/** Tasks per Backend.submitMany call: one intent and one outcome transaction each (the Slurm backend splits it into execs of 200). */
const BATCH_SIZE = 1_000;

type JobsEvent = Extract<MonitorEvent, { type: 'jobs' }>;
const isJobsEvent = (e: { type: string }): e is JobsEvent => e.type === 'jobs';

export interface DriverDeps extends SubmitContext {
  clusters: ReadonlyMap<string, QueueCluster>;
  /** Which clusters this instance leads: it settles, plans and submits only for those. */
  leadership: Pick<ClusterLeadership, 'claim' | 'held'>;
  /**
   * Shared deployments: how long a submission another instance left open is
   * left alone after this instance takes its cluster over, before it is
   * looked up by tag again and, when not found, released (0 on one server).
   */
  takeoverGraceMs: number;
  publish: (event: QueueEvent) => void;
  /** While running, how long an `unknown` submission waits before its tag is looked up again. */
  unknownRecheckMs: number;
  /** While running, how long an `unknown` submission not found by tag is kept before its task is pending again. */
  releaseUnknownAfterMs: number;
}

/**
 * Keeps queues moving: on every job event and every poll it updates task
 * states from their jobs, plans which pending tasks to submit across all
 * queues of each cluster, submits them, settles finished queues and
 * publishes queue summaries. Passes never overlap; a kick during a pass
 * schedules one more pass.
 */
export class QueueDriver {
  private running: Promise<void> | null = null;
  private again = false;
  private enabled = false;
  private readonly dirty = new Set<string>();
  private readonly cancelled = new Set<string>();
  /** `queueId\0taskId` of tasks cancelled in this process: a plan made before the cancel must not submit them. */
  private readonly cancelledTasks = new Set<string>();
  private readonly submitting = new Map<string, Promise<unknown>>();
  /** Task-state writes started by `onEvent`; a pass and `idle()` wait for them. */
  private readonly taskUpdates = new Set<Promise<void>>();
  /** Per cluster: submissions a restart found open but not listed yet, looked up again (startup rules) once `dueAtMs` has passed. */
  private readonly restartLeft = new Map<string, { tags: Set<string>; dueAtMs: number }>();
  /** Clusters whose open submissions were settled since this instance last became their leader. */
  private readonly recovered = new Set<string>();

  constructor(private readonly d: DriverDeps) {}

  /** Submissions start only after `enable()` (startup recovery runs first). */
  enable(): void {
    this.enabled = true;
    this.kick();
  }

  disable(): Promise<void> {
    this.enabled = false;
    return this.running ?? Promise.resolve();
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.running || this.taskUpdates.size > 0) await Promise.all([this.running, ...this.taskUpdates]);
  }

  kick(): void {
    if (!this.enabled) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /**
   * Submissions the startup recovery left open because the backend may list
   * their jobs late: the first pass after `dueAtMs` looks them up again and
   * puts back to pending those still not found.
   */
  deferRestartSubmissions(cluster: string, tags: readonly string[], dueAtMs: number): void {
    if (tags.length > 0) this.restartLeft.set(cluster, { tags: new Set(tags), dueAtMs });
  }

  /**
   * Settles the submissions of `cluster` left open by a previous process or
   * a previous leader, as at a restart (found by tag -> submitted; not found
   * -> pending again), but an unfound one only after the backend's listing
   * lag or the takeover grace, whichever is longer: a previous leader cut
   * off from the database may still be finishing its submit.
   */
  async recover(cluster: QueueCluster): Promise<void> {
    this.recovered.add(cluster.name);
    try {
      const lagMs = Math.max(cluster.backend.findByTagsLagMs ?? 0, this.d.takeoverGraceMs);
      const { touched, deferred } = await settleOpenSubmissions(this.d, cluster, { startup: true, deferUnfound: lagMs > 0 });
      for (const id of touched) this.markDirty(id);
      if (deferred.length > 0) {
        this.deferRestartSubmissions(cluster.name, deferred, this.d.clock.now().getTime() + lagMs);
        this.d.log(
          `[${cluster.name}] queues: ${deferred.length} submission(s) left open by the previous process not found by tag yet; ${cluster.backend.kind} may still be taking the request or list its job late, so they are looked up again in ${Math.round(lagMs / 1000)} s before being submitted again`,
        );
      }
    } catch (e) {
      this.d.log(`[${cluster.name}] queues: recovering submissions failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  leads(cluster: string): Promise<boolean> {
    return this.d.leadership.claim(cluster);
  }

  markDirty(queueId: string): void {
    this.dirty.add(queueId);
  }

  get context(): SubmitContext {
    return this.d;
  }

  /** Stops submitting a queue (or one task of it) for good, then waits for a submission of that queue already under way. */
  async stopSubmitting(queueId: string, taskId?: string): Promise<void> {
    if (taskId === undefined) this.cancelled.add(queueId);
    else this.cancelledTasks.add(`${queueId}\0${taskId}`);
    await this.submitting.get(queueId);
  }

  /**
   * Event-bus listener. The task-state writes are queued at once as one
   * transaction (so they land before anything queued after this event); the
   * pass that follows runs once they are written.
   */
  onEvent(item: Sequenced<{ type: string }>): void {
    const e = item.event;
    // Another instance's jobs (relayed from the shared database) are its leader's to write.
    if (isJobsEvent(e) && this.d.leadership.held().includes(e.cluster)) {
      const jobs = e.upserted.filter((job) => job.source === 'queue' && job.queueId !== null && job.taskId !== null);
      if (jobs.length === 0) return;
      const write = this.updateTasks(jobs);
      this.taskUpdates.add(write);
      void write.finally(() => this.taskUpdates.delete(write));
    } else if (e.type === 'cluster') {
      // After every poll: slots may have freed on this cluster for any queue sharing it.
      this.kick();
    }
  }

  private async updateTasks(jobs: readonly JobsEvent['upserted'][number][]): Promise<void> {
    try {
      await this.d.store.transaction(async () => {
        for (const job of jobs) {
          const { queueId, taskId } = job as { queueId: string; taskId: string };
          try {
            await this.d.store.updateTask(queueId, taskId, { state: taskStateFromJob(job) });
            this.dirty.add(queueId);
          } catch (err) {
            if (!isCoreError(err) || err.code !== 'NOT_FOUND') this.d.log(`queues: cannot update task ${taskId} of queue ${queueId}: ${String(err)}`);
          }
        }
      });
    } catch (err) {
      this.d.log(`queues: cannot update tasks from a poll: ${String(err)}`);
    }
    if (this.dirty.size > 0) this.kick();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      // Never run inside the publisher's call stack: events must reach every listener in order.
      await Promise.resolve();
      try {
        await this.pass();
      } catch (err) {
        this.d.log(`queues: pass failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    } while (this.again && this.enabled);
  }

  private async pass(): Promise<void> {
    await Promise.all(this.taskUpdates);
    await this.flush();
    const led = new Set<string>();
    for (const cluster of this.d.clusters.values()) {
      if (!(await this.d.leadership.claim(cluster.name))) {
        this.recovered.delete(cluster.name);
        this.restartLeft.delete(cluster.name);
        continue;
      }
      led.add(cluster.name);
      if (!this.recovered.has(cluster.name)) await this.recover(cluster);
      const left = this.restartLeft.get(cluster.name);
      if (left !== undefined && this.d.clock.now().getTime() >= left.dueAtMs) {
        this.restartLeft.delete(cluster.name);
        const late = await settleOpenSubmissions(this.d, cluster, { startup: true, onlyTags: left.tags });
        for (const id of late.touched) this.dirty.add(id);
      }
      const { touched } = await settleOpenSubmissions(this.d, cluster, {
        startup: false,
        recheckAfterMs: this.d.unknownRecheckMs,
        releaseUnknownAfterMs: this.d.releaseUnknownAfterMs,
        staleIntentAfterMs: 2 * this.d.submitTimeoutMs,
      });
      for (const id of touched) this.dirty.add(id);
    }
    // Leading nothing (another instance has every cluster): nothing here is this instance's to do.
    if (led.size === 0 && this.d.clusters.size > 0) return;
    const active: QueueWithTasks[] = [];
    for (const q of await this.d.store.listQueues({ statuses: ['active'] })) {
      const stored = await this.d.store.getQueue(q.id);
      // Queues of a cluster another instance leads are that instance's to plan and submit.
      if (stored !== null && !this.cancelled.has(stored.queue.id) && (led.has(q.cluster) || !this.d.clusters.has(q.cluster))) active.push(stored);
    }
    const plan = planSubmissions(await this.plannerQueues(active), await this.inFlightByCluster(active), {
      clusterCaps: new Map([...this.d.clusters.values()].flatMap((c) => (c.support.maxConcurrent === null ? [] : [[c.name, c.support.maxConcurrent]]))),
    });
    const byQueue = new Map(active.map((q) => [q.queue.id, q]));
    await Promise.all([...this.d.clusters.values()].filter((c) => led.has(c.name)).map((c) => this.apply(c, plan.filter((p) => byQueue.get(p.queueId)?.queue.cluster === c.name), byQueue)));
    await this.flush();
  }

  private async plannerQueues(active: readonly QueueWithTasks[]): Promise<PlannerQueue[]> {
    const out: PlannerQueue[] = [];
    for (const { queue, tasks } of active) {
      const cluster = this.d.clusters.get(queue.cluster);
      if (!cluster) {
        if (queue.error === null) {
          await this.d.store.updateQueue(queue.id, { error: `cluster ${queue.cluster} is not available here; the queue cannot progress until it is configured again` });
          this.dirty.add(queue.id);
        }
        continue;
      }
      out.push({
        id: queue.id,
        cluster: queue.cluster,
        createdAt: queue.createdAt,
        maxConcurrent: queue.maxConcurrent,
        inFlight: tasks.filter((t) => IN_FLIGHT_TASK_STATES.has(t.state)).length,
        pending: await this.readyTasks(queue.id, tasks),
      });
    }
    return out;
  }

  /**
   * The pending tasks whose dependencies have all completed. Tasks that can
   * never run (a dependency ended otherwise) are marked skipped here, with
   * the dependency's real ending, in one transaction.
   */
  private async readyTasks(queueId: string, tasks: readonly TaskRecord[]): Promise<string[]> {
    if (tasks.every((t) => t.dependsOn.length === 0)) return tasks.filter((t) => t.state === 'pending').map((t) => t.taskId);
    const { ready, skip } = planDependencies(tasks);
    if (skip.length > 0) {
      const byId = new Map(tasks.map((t) => [t.taskId, t]));
      await this.d.store.transaction(async () => {
        for (const s of skip) {
          const dep = byId.get(s.dependency);
          const ended = dep ? endedWords(dep.state, dep.jobId === null ? null : await this.d.store.getJob(dep.jobId)) : 'is not a task of this queue';
          await this.d.store.updateTask(queueId, s.taskId, { state: 'skipped', reason: skipReason(s.dependency, ended, s.via) });
        }
      });
      this.dirty.add(queueId);
    }
    return ready;
  }

  /** Queue jobs still active on each cluster (cancelled queues' included), plus submissions awaiting an answer. */
  private async inFlightByCluster(active: readonly QueueWithTasks[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const c of this.d.clusters.values()) {
      if (!active.some((q) => q.queue.cluster === c.name)) continue;
      counts.set(c.name, (await this.d.store.activeJobs(c.name)).filter((j) => j.source === 'queue').length);
    }
    for (const { queue, tasks } of active) {
      const submitting = tasks.filter((t) => t.state === 'submitting').length;
      counts.set(queue.cluster, (counts.get(queue.cluster) ?? 0) + submitting);
    }
    return counts;
  }

  private async apply(cluster: QueueCluster, plan: readonly PlannedSubmission[], queues: ReadonlyMap<string, QueueWithTasks>): Promise<void> {
    // Paused while the cluster's last poll failed (scheduler or connection down): the next successful poll kicks a pass.
    const status = cluster.monitor.status();
    if (plan.length === 0 || (status.lastPollAt !== null && !status.healthy)) return;
    // Each owner's tasks go through their own login on the cluster (the shared account's for queues without one).
    const byOwner = new Map<string | null, PlannedSubmission[]>();
    for (const p of plan) {
      const owner = queues.get(p.queueId)?.queue.owner ?? null;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), p]);
    }
    for (const [owner, part] of byOwner) await this.applyInBatches(asOwner(cluster, owner), part, queues);
  }

  /** The plan in batches of BATCH_SIZE tasks, each with one intent transaction, one backend call and one outcome transaction. */
  private async applyInBatches(cluster: QueueCluster, plan: readonly PlannedSubmission[], queues: ReadonlyMap<string, QueueWithTasks>): Promise<void> {
    for (let start = 0; start < plan.length; start += BATCH_SIZE) {
      if (!this.enabled) return;
      const items: TaskToSubmit[] = [];
      for (const p of plan.slice(start, start + BATCH_SIZE)) {
        if (this.cancelled.has(p.queueId) || this.cancelledTasks.has(`${p.queueId}\0${p.taskId}`)) continue;
        const stored = queues.get(p.queueId);
        const task = stored?.tasks.find((t) => t.taskId === p.taskId);
        if (stored && task) items.push({ queue: stored.queue, task });
      }
      if (items.length === 0) continue;
      const batch = submitTasks(this.d, cluster, items);
      const queueIds = new Set(items.map((i) => i.queue.id));
      for (const id of queueIds) this.submitting.set(id, batch.catch(() => undefined));
      try {
        const results = await batch;
        for (const id of queueIds) this.dirty.add(id);
        // Something was certainly not sent (scheduler unreachable or busy): the next pass tries again.
        if (results.includes('deferred')) return;
      } catch (err) {
        this.d.log(`[${cluster.name}] ${items.length} tasks: not submitted: ${err instanceof Error ? err.message : String(err)}`);
        return;
      } finally {
        for (const id of queueIds) this.submitting.delete(id);
      }
    }
  }

  /** Settles finished queues and publishes the summary of every queue that changed. */
  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) {
      const stored = await this.d.store.getQueue(id);
      if (!stored) continue;
      this.d.publish({ type: 'queue', queue: await loadSummary(this.d.store, await settleQueueStatus(this.d.store, stored)) });
    }
  }
}
