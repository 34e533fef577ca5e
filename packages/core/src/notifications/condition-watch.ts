import type { RuleConfig } from '../config/notifications-schema';
import type { ClusterStatus } from '../domain/cluster';
import type { Job } from '../domain/job';
import type { Clock } from '../runtime/clock';
import {
  clusterBackEvent,
  clusterDownEvent,
  stalledEvent,
  type DetectedEvent,
} from './detect-events';
import { neverClears } from './never-clears';
import type { OutboxStore } from './outbox-store';
import { thresholdsFor } from './rules';

export interface ConditionWatchDeps {
  outbox: Pick<
    OutboxStore,
    'watches' | 'updateStalls' | 'putOutage' | 'removeOutage' | 'transaction'
  >;
  rules: readonly RuleConfig[];
  clock: Clock;
  /** Records an event (a second record of the same dedupe key is a no-op); may run inside `outbox.transaction`. */
  record: (event: DetectedEvent) => Promise<void>;
  sourceOf: (queueId: string) => Promise<string | null>;
  log: (message: string) => void;
}

interface Outage {
  since: Date;
  /** The latest status; null after a restart until the cluster is polled again. */
  status: ClusterStatus | null;
  announced: boolean;
}

/** Dedupe keys remembered to skip rewriting an event every check; the outbox's unique key is what guarantees once. */
const MAX_REMEMBERED = 10_000;

/**
 * Conditions that are only news after a while: a job waiting for a reason
 * that never clears, a cluster unreachable. Their clocks are written to the
 * history database when they start and end, so a restart continues them
 * (no delay, no second cluster.unreachable, and the cluster.recovered of an
 * outage announced before the restart still comes).
 */
export class ConditionWatch {
  private readonly stuck = new Map<string, { since: Date; job: Job }>();
  private readonly outages = new Map<string, Outage>();
  private readonly recorded = new Set<string>();
  /** Writes started by the synchronous event handlers, so `settled()` can wait for them. */
  private readonly writing = new Set<Promise<boolean>>();

  constructor(private readonly d: ConditionWatchDeps) {}

  /**
   * The clocks as written before the last stop or crash, joined with the
   * jobs waiting now (their clocks start now when none was written). Rows of
   * jobs no longer waiting are dropped only when every cluster was read.
   */
  async restore(
    activeJobs: readonly Job[],
    allClustersRead: boolean,
    clusterNames: readonly string[],
  ): Promise<void> {
    const now = this.d.clock.now();
    const saved = await this.d.outbox.watches();
    const savedSince = new Map(saved.stalls.map((s) => [s.jobId, new Date(s.since)]));
    const put: { jobId: string; since: string }[] = [];
    for (const job of activeJobs) {
      if (!isStuck(job)) continue;
      const since = savedSince.get(job.id);
      this.stuck.set(job.id, { since: since ?? now, job });
      if (since === undefined) put.push({ jobId: job.id, since: now.toISOString() });
    }
    const gone = allClustersRead
      ? saved.stalls.filter((s) => !this.stuck.has(s.jobId)).map((s) => s.jobId)
      : [];
    await this.d.outbox.updateStalls(put, gone);
    for (const o of saved.outages) {
      if (clusterNames.includes(o.cluster))
        this.outages.set(o.cluster, {
          since: new Date(o.since),
          status: null,
          announced: o.announced,
        });
      else await this.d.outbox.removeOutage(o.cluster);
    }
  }

  /** A poll's changed and removed jobs: clocks start when a job begins to wait for a reason that never clears, and end when it stops. */
  onJobs(upserted: readonly Job[], removed: readonly string[]): void {
    const now = this.d.clock.now();
    const put: { jobId: string; since: string }[] = [];
    const ended: string[] = [];
    for (const job of upserted) {
      const current = this.stuck.get(job.id);
      if (isStuck(job)) {
        this.stuck.set(job.id, { since: current?.since ?? now, job });
        if (current === undefined) put.push({ jobId: job.id, since: now.toISOString() });
      } else if (current !== undefined) {
        this.stuck.delete(job.id);
        ended.push(job.id);
      }
    }
    for (const id of removed) if (this.stuck.delete(id)) ended.push(id);
    this.inBackground(() => this.d.outbox.updateStalls(put, ended));
  }

  onCluster(status: ClusterStatus): void {
    const outage = this.outages.get(status.name);
    if (!status.healthy && status.lastPollAt !== null) {
      if (outage) {
        outage.status = status;
        return;
      }
      const since = this.d.clock.now();
      this.outages.set(status.name, { since, status, announced: false });
      this.inBackground(() =>
        this.d.outbox.putOutage({
          cluster: status.name,
          since: since.toISOString(),
          announced: false,
        }),
      );
      return;
    }
    if (status.healthy && outage) {
      this.outages.delete(status.name);
      const now = this.d.clock.now();
      this.inBackground(() =>
        this.d.outbox.transaction(async () => {
          if (outage.announced) await this.d.record(clusterBackEvent(status, outage.since, now));
          await this.d.outbox.removeOutage(status.name);
        }),
      );
    }
  }

  /** One check of every clock against every threshold the rules use. */
  async check(): Promise<void> {
    const now = this.d.clock.now();
    const minutesSince = (since: Date): number => (now.getTime() - since.getTime()) / 60_000;
    for (const minutes of thresholdsFor(this.d.rules, 'queue.stalled')) {
      for (const { since, job } of this.stuck.values()) {
        if (minutesSince(since) < minutes) continue;
        await this.once(
          stalledEvent(
            job,
            job.reason ?? '',
            minutes,
            job.queueId === null ? null : await this.d.sourceOf(job.queueId),
          ),
          () => Promise.resolve(),
        );
      }
    }
    for (const minutes of thresholdsFor(this.d.rules, 'cluster.unreachable')) {
      for (const [cluster, outage] of this.outages) {
        if (outage.status === null || minutesSince(outage.since) < minutes) continue;
        const event = clusterDownEvent(outage.status, outage.since, minutes);
        // The event and the mark that it was announced commit together, so its recovery is never missed.
        if (
          await this.once(event, () =>
            this.d.outbox.putOutage({
              cluster,
              since: outage.since.toISOString(),
              announced: true,
            }),
          )
        )
          outage.announced = true;
      }
    }
  }

  /** Records the event (with what must commit alongside) unless this process already did; false when the write failed. */
  private async once(event: DetectedEvent, alongside: () => Promise<void>): Promise<boolean> {
    if (this.recorded.has(event.dedupeKey)) return true;
    const written = await this.safely(() =>
      this.d.outbox.transaction(async () => {
        await this.d.record(event);
        await alongside();
      }),
    );
    if (!written) return false;
    if (this.recorded.size >= MAX_REMEMBERED) this.recorded.clear();
    this.recorded.add(event.dedupeKey);
    return true;
  }

  /** Resolves when the writes the event handlers started have finished. */
  async settled(): Promise<void> {
    await Promise.all(this.writing);
  }

  /** The store call starts now (so writes keep the order of the events); its failure is logged. */
  private inBackground(body: () => Promise<void>): void {
    const write = this.safely(body);
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
  }

  private async safely(body: () => Promise<void>): Promise<boolean> {
    try {
      await body();
      return true;
    } catch (error) {
      this.d.log(
        `notifications: cannot record a stall or outage: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }
}

function isStuck(job: Job): boolean {
  return job.state === 'submitted' && neverClears(job.reason);
}
