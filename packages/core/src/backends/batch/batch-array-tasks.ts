import type { JobDetail, JobSummary, ListJobsCommandInput } from '@aws-sdk/client-batch';
import type { ObservedJob } from '../backend';
import { formatDuration, isoTime } from '../aws/format-duration';
import { batchObservedJobOf, type ObserveContext } from './batch-observed-job';
import { BATCH_STATUSES, batchJobStateOf, type BatchStatus } from './batch-state';

/**
 * Batch arrays as Slurm arrays are shown: the parent (SubmitJob with
 * `arrayProperties.size`) is no row of its own; its children
 * `<parentId>:<index>` are its tasks, each with `arrayJobId` = the parent's
 * id, so the history store derives the array's row from them (one row with
 * counts per state, expanding to its tasks). Until a child exists the
 * parent's size is one placeholder `<parentId>:[0-<size-1>]`, a pending
 * range as Slurm's `123_[1-100]`.
 */

/** A parent array job (it has a size); its children have an index instead. */
export const isArrayParent = (d: Pick<JobDetail, 'arrayProperties'>): boolean =>
  d.arrayProperties?.size !== undefined && d.arrayProperties.index === undefined;

/**
 * The statuses to list the children in: those the parent's statusSummary
 * counts, the final two included (a child may start and end between two
 * polls); every status when the parent has no summary.
 */
export function childStatusesOf(parent: Pick<JobDetail, 'arrayProperties'>): BatchStatus[] {
  const summary = parent.arrayProperties?.statusSummary;
  if (summary === undefined) return [...BATCH_STATUSES];
  return BATCH_STATUSES.filter((s) => (summary[s] ?? 0) > 0);
}

/** One child of a live array: its own status and times, the rest as its parent (children share its spec). */
export function batchArrayTaskOf(
  child: JobSummary,
  parent: ObservedJob,
  c: ObserveContext,
): ObservedJob {
  const exit = child.container?.exitCode;
  return {
    ...parent,
    schedulerJobId: child.jobId ?? '',
    name: child.jobName ?? parent.name,
    rawState: child.status ?? 'UNKNOWN',
    state: batchJobStateOf(child.status),
    reason:
      child.statusReason ??
      child.container?.reason ??
      (exit !== undefined ? `exit code ${exit}` : null),
    timeUsed:
      child.status === 'RUNNING' && child.startedAt !== undefined
        ? formatDuration((c.nowMs - child.startedAt) / 1000)
        : null,
    submitTime: isoTime(child.createdAt),
    startTime: isoTime(child.startedAt),
    // Each child logs to its own stream, found by DescribeJobs when its log is read.
    stdoutPath: null,
    stderrPath: null,
    arrayJobId: parent.schedulerJobId,
    arrayTasks: 1,
  };
}

/** `<parentId>:[0-<size-1>]`, the id of a parent's tasks before any child exists. */
export const pendingTasksId = (parentId: string, size: number): string =>
  `${parentId}:[0-${size - 1}]`;

/** The parent id of a child `<id>:<index>` or of the placeholder `<id>:[…]`; null for any other id. */
export function parentIdOf(schedulerJobId: string): string | null {
  const m = /^(.+):(?:\d+|\[[^\]]*\])$/.exec(schedulerJobId);
  return m ? m[1]! : null;
}

/**
 * The tasks of one live parent: its children from ListJobs `arrayJobId`
 * (one query per status it counts, in turn, every page), or the placeholder while it
 * has none. `listAll` runs one ListJobs query to its last page.
 */
export async function listArrayTasks(
  parent: JobDetail,
  listAll: (input: ListJobsCommandInput) => Promise<JobSummary[]>,
  c: ObserveContext,
): Promise<ObservedJob[]> {
  const own = batchObservedJobOf(parent, c);
  const statuses = childStatusesOf(parent);
  const children = new Map<string, JobSummary>();
  // One status after the other: the parents are listed a few at a time, and every Batch call
  // of the account shares one 50 TPS quota.
  for (const jobStatus of statuses) {
    const page = await listAll({ arrayJobId: own.schedulerJobId, jobStatus, maxResults: 1000 });
    for (const s of page) if (s.jobId !== undefined) children.set(s.jobId, s);
  }
  if (children.size > 0) return [...children.values()].map((s) => batchArrayTaskOf(s, own, c));
  const size = parent.arrayProperties?.size ?? 0;
  return size > 0
    ? [
        {
          ...own,
          schedulerJobId: pendingTasksId(own.schedulerJobId, size),
          arrayJobId: own.schedulerJobId,
          arrayTasks: size,
        },
      ]
    : [];
}
