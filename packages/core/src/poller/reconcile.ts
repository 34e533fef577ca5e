import type { FinalReport, ObservedJob } from '../backends/backend';
import { arrayRowId, isTerminal, newJob, outcomeToState, type Job } from '../domain/job';

export const externalJobId = (cluster: string, schedulerJobId: string): string =>
  `${cluster}:${schedulerJobId}`;

/** A pending array range such as `123_[5-9]` is a placeholder, not a job that can end. */
export const isArrayRange = (schedulerJobId: string): boolean => schedulerJobId.includes('[');

/** `123` for the range `123_[5-9]`. */
const rangeBase = (schedulerJobId: string): string =>
  schedulerJobId.slice(0, schedulerJobId.indexOf('_'));

export interface SnapshotResult {
  /** Jobs whose stored record changes (new, updated, now finishing). */
  changed: Job[];
  /** Placeholders that no longer exist (array ranges fully started). */
  removed: string[];
}

/**
 * Merge one successful live-queue snapshot into the known active jobs of a
 * cluster. A job missing from the snapshot has not "completed": it becomes
 * `finishing` until accounting says how it ended.
 */
export function applySnapshot(
  cluster: string,
  known: readonly Job[],
  observed: readonly ObservedJob[],
  now: Date,
  /** Scheduler ids already settled: an ended job the queue still lists is not new. */
  settled: ReadonlySet<string> = new Set(),
): SnapshotResult {
  const nowIso = now.toISOString();
  const bySchedulerId = new Map<string, Job>();
  for (const job of known)
    if (job.schedulerJobId !== null) bySchedulerId.set(job.schedulerJobId, job);

  // An array cancelled before any task started is listed by its bare id `N`
  // once it ends (__fixtures__/squeue-finished): that record is the range
  // `N_[...]` seen before, not a new job.
  const rangeByBase = new Map<string, Job>();
  for (const job of known) {
    if (job.schedulerJobId !== null && isArrayRange(job.schedulerJobId))
      rangeByBase.set(rangeBase(job.schedulerJobId), job);
  }
  const settledRanges = new Set<string>();
  for (const id of settled) if (isArrayRange(id)) settledRanges.add(rangeBase(id));

  const changed: Job[] = [];
  const seen = new Set<string>();
  for (const o of observed) {
    let previous = bySchedulerId.get(o.schedulerJobId);
    if (!previous && (o.arrayJobId ?? null) === null) {
      const range = rangeByBase.get(o.schedulerJobId);
      if (range === undefined && settledRanges.has(o.schedulerJobId)) continue;
      previous = range;
    }
    seen.add(previous?.schedulerJobId ?? o.schedulerJobId);
    if ((previous && isTerminal(previous.state)) || (!previous && settled.has(o.schedulerJobId)))
      continue;
    // Most records of a steady poll change nothing: compared field by field, no copy is made for them.
    if (previous && !observedChanges(previous, o)) continue;
    changed.push(mergeObserved(previous ?? newExternalJob(cluster, o, nowIso), o, nowIso));
  }

  const removed: string[] = [];
  for (const job of known) {
    if (job.schedulerJobId === null || seen.has(job.schedulerJobId) || isTerminal(job.state))
      continue;
    if (isArrayRange(job.schedulerJobId)) {
      removed.push(job.id);
    } else if (job.state !== 'finishing' || job.stale) {
      changed.push({ ...job, state: 'finishing', stale: false, updatedAt: nowIso });
    }
  }
  return { changed, removed };
}

function newExternalJob(cluster: string, o: ObservedJob, nowIso: string): Job {
  return newJob({
    id: externalJobId(cluster, o.schedulerJobId),
    cluster,
    schedulerJobId: o.schedulerJobId,
    name: o.name,
    user: o.user,
    state: liveState(o),
    schedulerState: o.rawState,
    source: 'external',
    arrayId: o.arrayJobId ? arrayRowId(cluster, o.arrayJobId) : null,
    arrayTasks: o.arrayJobId ? (o.arrayTasks ?? 1) : null,
    lastSeen: nowIso,
    updatedAt: nowIso,
  });
}

/**
 * An ended job that the queue still lists (Slurm keeps them for MinJobAge)
 * is finishing: how it ended is accounting's to say, with exit code and cause.
 */
const liveState = (o: ObservedJob): Job['state'] =>
  o.state === 'completed' || o.state === 'failed' ? 'finishing' : o.state;

function mergeObserved(job: Job, o: ObservedJob, nowIso: string): Job {
  return {
    ...job,
    name: o.name || job.name,
    user: o.user || job.user,
    state: liveState(o),
    schedulerState: o.rawState,
    reason: o.reason,
    partition: o.partition ?? job.partition,
    cpus: o.cpus ?? job.cpus,
    memory: o.memory ?? job.memory,
    nodes: o.nodes ?? job.nodes,
    timeUsed: o.timeUsed ?? job.timeUsed,
    timeLimit: o.timeLimit ?? job.timeLimit,
    workDir: o.workDir ?? job.workDir,
    command: o.command ?? job.command,
    stdoutPath: o.stdoutPath ?? job.stdoutPath,
    stderrPath: o.stderrPath ?? job.stderrPath,
    submitTime: o.submitTime ?? job.submitTime,
    startTime: o.startTime ?? job.startTime,
    lastSeen: nowIso,
    stale: false,
    updatedAt: nowIso,
  };
}

/**
 * Whether `mergeObserved(job, o)` differs from `job` in anything but
 * `lastSeen`/`updatedAt` (which alone are not worth a write and an event).
 * Must compare exactly the fields mergeObserved sets.
 */
function observedChanges(job: Job, o: ObservedJob): boolean {
  return (
    (o.name || job.name) !== job.name ||
    (o.user || job.user) !== job.user ||
    liveState(o) !== job.state ||
    o.rawState !== job.schedulerState ||
    o.reason !== job.reason ||
    (o.partition ?? job.partition) !== job.partition ||
    (o.cpus ?? job.cpus) !== job.cpus ||
    (o.memory ?? job.memory) !== job.memory ||
    (o.nodes ?? job.nodes) !== job.nodes ||
    (o.timeUsed ?? job.timeUsed) !== job.timeUsed ||
    (o.timeLimit ?? job.timeLimit) !== job.timeLimit ||
    (o.workDir ?? job.workDir) !== job.workDir ||
    (o.command ?? job.command) !== job.command ||
    (o.stdoutPath ?? job.stdoutPath) !== job.stdoutPath ||
    (o.stderrPath ?? job.stderrPath) !== job.stderrPath ||
    (o.submitTime ?? job.submitTime) !== job.submitTime ||
    (o.startTime ?? job.startTime) !== job.startTime ||
    job.stale !== false
  );
}

/**
 * The finishing jobs with a scheduler id once `changed` is applied to
 * `active`: in `active`'s order, then those new in `changed` (the last write
 * of an id wins). Builds no copy of every active job.
 */
export function finishingAfter(active: ReadonlyMap<string, Job>, changed: readonly Job[]): Job[] {
  const changedById = new Map(changed.map((j) => [j.id, j]));
  const isFinishing = (j: Job): boolean => j.state === 'finishing' && j.schedulerJobId !== null;
  const finishing: Job[] = [];
  for (const job of active.values()) {
    const current = changedById.get(job.id) ?? job;
    if (isFinishing(current)) finishing.push(current);
  }
  for (const job of changedById.values())
    if (!active.has(job.id) && isFinishing(job)) finishing.push(job);
  return finishing;
}

/** Settle finishing jobs from accounting reports. Jobs without a report stay finishing. */
export function applyFinalReports(
  finishing: readonly Job[],
  reports: ReadonlyMap<string, FinalReport>,
  now: Date,
): Job[] {
  const changed: Job[] = [];
  for (const job of finishing) {
    const report = job.schedulerJobId === null ? undefined : reports.get(job.schedulerJobId);
    if (!report) continue;
    changed.push({
      ...job,
      state: outcomeToState(report.outcome),
      schedulerState: report.rawState,
      outcome: report.outcome,
      exitCode: report.exitCode,
      signal: report.signal,
      cancelledBy: report.cancelledBy,
      reason: report.reason ?? (report.outcome === 'COMPLETED' ? null : job.reason),
      submitTime: report.submitTime ?? job.submitTime,
      startTime: report.startTime ?? job.startTime,
      finishTime: report.finishTime ?? now.toISOString(),
      timeUsed: report.elapsed ?? job.timeUsed,
      stdoutPath: report.stdoutPath ?? job.stdoutPath,
      efficiency: report.efficiency ?? job.efficiency,
      stale: false,
      updatedAt: now.toISOString(),
    });
  }
  return changed;
}

/** A finishing job that neither the queue nor accounting knows: lost, never completed. */
export function markLost(job: Job, reason: string, now: Date): Job {
  return {
    ...job,
    state: 'unknown',
    outcome: 'LOST',
    reason,
    finishTime: job.finishTime ?? now.toISOString(),
    stale: false,
    updatedAt: now.toISOString(),
  };
}

export function markStale(jobs: readonly Job[], now: Date): Job[] {
  return jobs
    .filter((j) => !j.stale && !isTerminal(j.state))
    .map((j) => ({ ...j, stale: true, updatedAt: now.toISOString() }));
}
