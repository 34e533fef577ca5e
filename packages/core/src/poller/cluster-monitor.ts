import type { Backend } from '../backends/backend';
import type { ClusterKind, ClusterStatus } from '../domain/cluster';
import type { MonitorEvent } from '../domain/monitor-event';
import { isTerminal, type Job } from '../domain/job';
import type { Clock } from '../runtime/clock';
import type { JobRepository } from './job-repository';
import type { SharedClusterStatus, SharedStatus } from './shared-status';
import { applyFinalReports, applySnapshot, finishingAfter, markLost, markStale } from './reconcile';

export type { MonitorEvent };

export interface ClusterMonitorOptions {
  name: string;
  kind: ClusterKind;
  host: string;
  user: string | null;
  backend: Backend;
  repo: JobRepository;
  clock: Clock;
  publish: (event: MonitorEvent) => void;
  pollIntervalMs: number;
  /** "Refresh now" is refused when the last poll started less than this long ago. */
  minRefreshIntervalMs?: number;
  /** A finishing job with no accounting record after this long and `lostAfterChecks` checks is lost. */
  lostAfterMs?: number;
  lostAfterChecks?: number;
  log?: (message: string) => void;
  /**
   * Asked before every tick: true while this instance leads the cluster
   * (polls it). Absent: always (one server on an embedded store).
   */
  claim?: (cluster: string) => Promise<boolean>;
  /** Where the leader records each poll's status and followers read it; absent on one server. */
  shared?: SharedClusterStatus;
  /** This instance's name, recorded as the poller in `shared`. */
  instance?: string;
}

/** Longer than any MinJobAge a site plausibly sets (Slurm's default is 300 s). */
const SETTLED_MEMORY_MS = 6 * 3_600_000;

export type RefreshResult = { accepted: true } | { accepted: false; retryAfterMs: number };

/**
 * Polls one cluster. `tick()` is one awaited pass (tests call it directly);
 * `start()` runs ticks in a loop that never overlaps itself and backs off
 * while the cluster fails. A failed poll is "no information", never an empty
 * queue: jobs keep their last known state and are marked stale.
 */
export class ClusterMonitor {
  private active = new Map<string, Job>();
  private missingChecks = new Map<string, number>();
  private vanishedAt = new Map<string, number>();
  /** Scheduler ids settled recently -> when; the queue lists ended jobs for a while (MinJobAge). */
  private settled = new Map<string, number>();
  private loaded = false;
  private running: Promise<void> | null = null;
  private lastTickStartedMs = -Infinity;
  private consecutiveFailures = 0;
  private lastPollAt: string | null = null;
  private lastPollDurationMs: number | null = null;
  private nextPollAt: string | null = null;
  private lastError: string | null = null;
  private healthy = false;
  private stopController: AbortController | null = null;
  private wake: (() => void) | null = null;
  /** Whether the last tick led the cluster; null before the first tick. */
  private leading: boolean | null = null;
  /** The leader's last recorded poll while this instance follows; null while leading. */
  private followed: SharedStatus | null = null;
  /** Scheduler commands issued by this monitor, for tests and benchmarks. */
  commandsIssued = 0;

  constructor(private readonly o: ClusterMonitorOptions) {}

  get name(): string {
    return this.o.name;
  }

  status(): ClusterStatus {
    const jobCount = [...this.active.values()].filter((j) => !isTerminal(j.state)).length;
    if (this.leading === false) return this.followerStatus(jobCount);
    const conn = this.o.backend.connection?.() ?? { state: 'connected' as const, lastError: null };
    return {
      name: this.o.name,
      kind: this.o.kind,
      host: this.o.host,
      user: this.o.user,
      connection: conn.state,
      healthy: this.healthy && conn.state === 'connected',
      lastPollAt: this.lastPollAt,
      lastPollDurationMs: this.lastPollDurationMs,
      nextPollAt: this.nextPollAt,
      lastError: this.lastError ?? conn.lastError,
      jobCount,
      ...(this.o.shared && this.leading === true ? { leader: this.o.instance ?? null } : {}),
    };
  }

  /** Whether the last tick led the cluster (false: another instance polls it). */
  get leads(): boolean {
    return this.leading !== false;
  }

  /** A follower shows the leader's last poll, and the jobs the shared store holds. */
  private followerStatus(jobCount: number): ClusterStatus {
    const f = this.followed;
    return {
      name: this.o.name,
      kind: this.o.kind,
      host: this.o.host,
      user: this.o.user,
      connection: f?.connection ?? 'connecting',
      healthy: f?.healthy ?? false,
      lastPollAt: f?.lastPollAt ?? null,
      lastPollDurationMs: f?.lastPollDurationMs ?? null,
      nextPollAt: f?.nextPollAt ?? null,
      lastError: this.lastError ?? f?.lastError ?? null,
      jobCount,
      leader: f?.leader ?? null,
    };
  }

  /** One poll. Concurrent callers share the pass already running. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Ask for a poll now; refused (with a wait) when one ran very recently. */
  requestRefresh(): RefreshResult {
    const minMs = this.o.minRefreshIntervalMs ?? 5_000;
    const sinceMs = this.o.clock.now().getTime() - this.lastTickStartedMs;
    if (this.running || sinceMs < minMs) {
      return { accepted: false, retryAfterMs: this.running ? 1_000 : Math.ceil(minMs - sinceMs) };
    }
    if (this.wake) this.wake();
    else void this.tick();
    return { accepted: true };
  }

  start(): void {
    if (this.stopController) return;
    const controller = new AbortController();
    this.stopController = controller;
    void this.loop(controller.signal);
  }

  async stop(): Promise<void> {
    this.stopController?.abort(new Error('monitor stopped'));
    this.stopController = null;
    await this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.tick();
      const delayMs = this.nextDelayMs();
      this.nextPollAt = new Date(this.o.clock.now().getTime() + delayMs).toISOString();
      this.emitStatus();
      const woken = new AbortController();
      this.wake = () => woken.abort(new Error('refresh requested'));
      const onStop = (): void => woken.abort(signal.reason);
      signal.addEventListener('abort', onStop, { once: true });
      try {
        await this.o.clock.sleep(delayMs, woken.signal);
      } catch {
        // Woken early by a refresh request or by stop().
      } finally {
        signal.removeEventListener('abort', onStop);
        this.wake = null;
      }
    }
  }

  private nextDelayMs(): number {
    const base = this.o.pollIntervalMs;
    if (this.consecutiveFailures === 0) return base;
    return Math.min(base * 2 ** (this.consecutiveFailures - 1), Math.max(base, 300_000));
  }

  private async pass(): Promise<void> {
    const started = this.o.clock.now();
    this.lastTickStartedMs = started.getTime();
    const leads = this.o.claim ? await this.o.claim(this.o.name) : true;
    if (!leads) {
      this.leading = false;
      return this.follow();
    }
    // Taking over from another instance: the shared store, not this process's memory, is the truth.
    if (this.leading === false) this.forget();
    this.leading = true;
    this.followed = null;
    if (!this.loaded) {
      for (const job of await this.o.repo.activeJobs(this.o.name)) this.active.set(job.id, job);
      const since = new Date(started.getTime() - SETTLED_MEMORY_MS);
      for (const id of (await this.o.repo.settledSchedulerIds?.(this.o.name, since)) ?? []) {
        this.settled.set(id, started.getTime());
      }
      this.loaded = true;
    }
    this.forgetOldSettled(started.getTime());
    try {
      this.commandsIssued++;
      const observed = await this.o.backend.listJobs();
      const now = this.o.clock.now();
      const { changed, removed } = applySnapshot(
        this.o.name,
        [...this.active.values()],
        observed,
        now,
        new Set(this.settled.keys()),
      );
      for (const job of changed)
        if (job.state === 'finishing' && !this.vanishedAt.has(job.id))
          this.vanishedAt.set(job.id, now.getTime());
      const settled = await this.settleFinishing(changed, now);
      await this.commit(this.withoutClaimed(mergeById(changed, settled)), removed);
      this.healthy = true;
      this.lastError = null;
      this.consecutiveFailures = 0;
    } catch (e) {
      this.healthy = false;
      this.consecutiveFailures++;
      this.lastError = `poll failed: ${e instanceof Error ? e.message : String(e)}`;
      this.o.log?.(`[${this.o.name}] ${this.lastError}`);
      await this.commit(markStale([...this.active.values()], this.o.clock.now()), []).catch(
        () => undefined,
      );
    } finally {
      const finished = this.o.clock.now();
      this.lastPollAt = finished.toISOString();
      this.lastPollDurationMs = finished.getTime() - started.getTime();
      if (this.o.shared) {
        // What the loop will wait before the next poll; followers show it.
        this.nextPollAt = new Date(finished.getTime() + this.nextDelayMs()).toISOString();
        await this.recordShared();
      }
      this.emitStatus();
    }
  }

  /**
   * A tick of a follower: no command on the cluster. It reads the cluster's
   * active jobs and the leader's last poll from the shared store, so its
   * cluster card and job counts follow the leader's polls.
   */
  private async follow(): Promise<void> {
    try {
      const jobs = await this.o.repo.activeJobs(this.o.name);
      this.active = new Map(jobs.map((j) => [j.id, j]));
      this.followed = (await this.o.shared?.load(this.o.name)) ?? null;
      this.lastError = null;
    } catch (e) {
      this.lastError = `reading the cluster from the shared database failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.emitStatus();
    }
  }

  private forget(): void {
    this.loaded = false;
    this.active.clear();
    this.settled.clear();
    this.missingChecks.clear();
    this.vanishedAt.clear();
  }

  private async recordShared(): Promise<void> {
    if (!this.o.shared) return;
    try {
      await this.o.shared.save({ ...this.status(), leader: this.o.instance ?? 'unnamed' });
    } catch (e) {
      this.o.log?.(
        `[${this.o.name}] cannot record the poll for other instances: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** One accounting call for every finishing job of the cluster. */
  private async settleFinishing(changed: readonly Job[], now: Date): Promise<Job[]> {
    const finishing = finishingAfter(this.active, changed);
    if (finishing.length === 0) return [];
    let reports;
    try {
      this.commandsIssued++;
      reports = await this.o.backend.finalReports(finishing.map((j) => j.schedulerJobId!));
    } catch (e) {
      this.o.log?.(
        `[${this.o.name}] accounting query failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      return [];
    }
    const settled = applyFinalReports(finishing, reports, now);
    const settledIds = new Set(settled.map((j) => j.id));
    const lostAfterMs = this.o.lostAfterMs ?? 600_000;
    const lostAfterChecks = this.o.lostAfterChecks ?? 5;
    for (const job of finishing) {
      if (settledIds.has(job.id)) continue;
      const checks = (this.missingChecks.get(job.id) ?? 0) + 1;
      this.missingChecks.set(job.id, checks);
      const since = this.vanishedAt.get(job.id) ?? now.getTime();
      if (!this.vanishedAt.has(job.id)) this.vanishedAt.set(job.id, since);
      if (checks >= lostAfterChecks && now.getTime() - since >= lostAfterMs) {
        const minutes = Math.round((now.getTime() - since) / 60_000);
        settled.push(
          markLost(
            job,
            `left the queue ${minutes} min ago and accounting (sacct) has no record of it after ${checks} checks`,
            now,
          ),
        );
      }
    }
    return settled;
  }

  private async commit(changed: readonly Job[], removed: readonly string[]): Promise<void> {
    if (changed.length === 0 && removed.length === 0) return;
    const written = this.o.repo.upsertJobs(changed, removed);
    // Known before the first await: a job tracked while the write is pending then finds an
    // external row this pass recorded for the same scheduler id, and replaces it.
    for (const job of changed) {
      if (isTerminal(job.state)) {
        this.active.delete(job.id);
        if (job.schedulerJobId !== null)
          this.settled.set(job.schedulerJobId, this.o.clock.now().getTime());
        this.missingChecks.delete(job.id);
        this.vanishedAt.delete(job.id);
      } else {
        this.active.set(job.id, job);
      }
    }
    for (const id of removed) this.active.delete(id);
    const derived = (await written) ?? null;
    this.o.publish({
      type: 'jobs',
      cluster: this.o.name,
      upserted: [...changed, ...(derived?.upserted ?? [])],
      removed: [...removed, ...(derived?.removed ?? [])],
    });
  }

  /** Track a job submitted by ScriptHut so polls reconcile it like any other. */
  track(job: Job): Promise<void> {
    return this.trackMany([job]);
  }

  /** track() for many jobs: one store write and one event. */
  async trackMany(jobs: readonly Job[]): Promise<void> {
    const claimedBy = new Map<string, string>();
    for (const job of jobs)
      if (job.schedulerJobId !== null) claimedBy.set(job.schedulerJobId, job.id);
    // A pass that listed a job before it was tracked recorded it as external: the tracked job replaces it.
    const duplicates = [...this.active.values()]
      .filter(
        (j) =>
          j.source === 'external' &&
          j.schedulerJobId !== null &&
          (claimedBy.get(j.schedulerJobId) ?? j.id) !== j.id,
      )
      .map((j) => j.id);
    // Known before the first await, so a pass finishing meanwhile sees the scheduler ids as claimed.
    for (const job of jobs) if (!isTerminal(job.state)) this.active.set(job.id, job);
    await this.commit(jobs, duplicates);
  }

  /**
   * Drops new external jobs whose scheduler id was claimed by a job tracked
   * while this pass was running (submitted between the listing and the commit).
   */
  private withoutClaimed(changed: readonly Job[]): Job[] {
    if (changed.length === 0) return [];
    const claimed = new Set<string>();
    for (const j of this.active.values())
      if (j.source !== 'external' && j.schedulerJobId !== null) claimed.add(j.schedulerJobId);
    return changed.filter(
      (j) =>
        !(
          j.source === 'external' &&
          !this.active.has(j.id) &&
          j.schedulerJobId !== null &&
          claimed.has(j.schedulerJobId)
        ),
    );
  }

  private forgetOldSettled(nowMs: number): void {
    for (const [id, at] of this.settled)
      if (nowMs - at > SETTLED_MEMORY_MS) this.settled.delete(id);
  }

  private emitStatus(): void {
    this.o.publish({ type: 'cluster', status: this.status() });
  }
}

/** `later` wins over `earlier` for the same id; order of first appearance is kept. */
function mergeById(earlier: readonly Job[], later: readonly Job[]): Job[] {
  const map = new Map(earlier.map((j) => [j.id, j]));
  for (const j of later) map.set(j.id, j);
  return [...map.values()];
}
