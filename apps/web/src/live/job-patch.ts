import type { AppRouter } from '@scripthut/api';
import type { Job } from '@scripthut/core/domain';
import type { inferRouterInputs } from '@trpc/server';

/** What `jobs.list` takes; its sort field names what a cached page is ordered by. */
export type JobListInput = Exclude<inferRouterInputs<AppRouter>['jobs']['list'], void | undefined>;
export type JobSortField = NonNullable<JobListInput['sort']>['field'];

/** One stream batch of job changes, reduced to the newest copy of each job. */
export interface JobChange {
  fresh: ReadonlyMap<string, Job>;
  removed: ReadonlySet<string>;
}

/** True when `incoming` is at least as new as `current` (ISO UTC strings compare lexically). */
export const isNewer = (incoming: Job, current: Job | undefined): boolean =>
  current === undefined || incoming.updatedAt >= current.updatedAt;

export function jobChange(upserted: readonly Job[], removed: readonly string[]): JobChange {
  const fresh = new Map<string, Job>();
  for (const job of upserted) if (isNewer(job, fresh.get(job.id))) fresh.set(job.id, job);
  return { fresh, removed: new Set(removed) };
}

/**
 * `jobs` with each job that has a newer copy in `change` replaced in place,
 * or the same array when none has (so caches and memos keep their identity).
 * A copy older than the listed one never replaces it. Removed jobs stay
 * until the list is fetched again, so rows below do not jump.
 */
export function patchJobs(jobs: readonly Job[], change: JobChange): readonly Job[] {
  let out: Job[] | null = null;
  jobs.forEach((job, i) => {
    const fresh = change.fresh.get(job.id);
    // An equal updatedAt is the same version: keep the object the list already has.
    if (fresh === undefined || fresh.updatedAt <= job.updatedAt) return;
    out ??= [...jobs];
    out[i] = fresh;
  });
  return out ?? jobs;
}

/** The value each server sort field orders by, to tell whether a change can move a job. */
const SORT_VALUE: Record<JobSortField, (job: Job) => unknown> = {
  submitTime: (j) => j.submitTime,
  startTime: (j) => j.startTime,
  finishTime: (j) => j.finishTime,
  name: (j) => j.name,
  user: (j) => j.user,
  state: (j) => j.state,
  cluster: (j) => j.cluster,
  schedulerJobId: (j) => j.schedulerJobId,
  updatedAt: (j) => j.updatedAt,
  cpuEfficiency: (j) => j.efficiency?.cpuEfficiency ?? null,
  memoryEfficiency: (j) => j.efficiency?.memoryEfficiency ?? null,
  maxRss: (j) => j.efficiency?.maxRssBytes ?? null,
  source: (j) => `${j.source} ${j.queueId ?? ''}`,
  partition: (j) => j.partition,
  cpus: (j) => j.cpus,
  timeUsed: (j) => j.timeUsed,
  exit: (j) => `${j.exitCode ?? ''} ${j.reason ?? ''}`,
  lifecycle: (j) => j.state,
  jobNumber: (j) => j.schedulerJobId,
};

/**
 * Whether `change` may alter which jobs a list holds, their order or its
 * total, so it has to be fetched again: a job was removed, a job not in the
 * list changed (it may be new, or have entered the filters), or a listed job
 * changed state or the value the list is sorted by. Anything else is a
 * patch in place.
 */
export function listMayChange(
  jobs: readonly Job[],
  change: JobChange,
  sortField: JobSortField = 'submitTime',
): boolean {
  if (change.removed.size > 0) return true;
  if (change.fresh.size === 0) return false;
  const listed = new Map<string, Job>();
  for (const job of jobs) listed.set(job.id, job);
  const value = SORT_VALUE[sortField];
  for (const fresh of change.fresh.values()) {
    const known = listed.get(fresh.id);
    if (known === undefined) return true;
    if (!isNewer(fresh, known)) continue;
    if (fresh.state !== known.state || value(fresh) !== value(known)) return true;
  }
  return false;
}
