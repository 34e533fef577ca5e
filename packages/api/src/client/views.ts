import type { DryRunResult, Job, JobPage, QueueSummary } from '@scripthut/core';
import type { ApiTokenRecord } from '../auth/api-token-file';
import { formatTime, printable, renderTable, type Column } from './table';

/** How a table is laid out: the terminal's width (undefined: not a terminal, nothing is cut) and time zone. */
export interface Layout {
  width?: number;
  timeZone?: string;
}

/** `failed` alone says little: the outcome says how (timeout, out of memory, cancelled…). */
export function jobState(job: Pick<Job, 'state' | 'outcome' | 'stale'>): string {
  const how = job.outcome !== null && job.outcome !== 'COMPLETED' && job.outcome !== 'FAILED' ? ` (${job.outcome.toLowerCase().replace(/_/g, ' ')})` : '';
  return `${job.state}${how}${job.stale ? ' ?' : ''}`;
}

export function jobsView(page: JobPage, l: Layout): string {
  const columns: Column<Job>[] = [
    { header: 'ID', value: (j) => j.id },
    { header: 'NAME', value: (j) => j.name, shrink: true },
    { header: 'STATE', value: jobState },
    { header: 'EXIT', value: (j) => (j.exitCode === null ? '-' : String(j.exitCode)), align: 'right' },
    { header: 'CLUSTER', value: (j) => j.cluster, shrink: true },
    { header: 'USER', value: (j) => j.user, shrink: true },
    { header: 'SUBMITTED', value: (j) => formatTime(j.submitTime, l.timeZone) },
  ];
  if (page.jobs.length === 0) return `No jobs match (${page.total} in total without a limit).\n`;
  const more = page.total > page.jobs.length ? `; --limit for more` : '';
  const stale = page.jobs.some((j) => j.stale) ? '\n? the cluster could not be polled lately: the state is the last one seen' : '';
  return `${renderTable(columns, page.jobs, l.width)}\n${page.jobs.length} of ${page.total} jobs, newest first${more}${stale}\n`;
}

const done = (q: QueueSummary): string => `${q.counts.completed}/${q.taskCount}`;

export function queuesView(queues: readonly QueueSummary[], l: Layout): string {
  if (queues.length === 0) return 'No queues yet. Start one with: scripthut run SOURCE\n';
  const columns: Column<QueueSummary>[] = [
    { header: 'ID', value: (q) => q.id },
    { header: 'SOURCE', value: (q) => q.sourceName, shrink: true },
    { header: 'CLUSTER', value: (q) => q.cluster, shrink: true },
    { header: 'STATUS', value: (q) => q.status },
    { header: 'DONE', value: done, align: 'right' },
    { header: 'FAILED', value: (q) => String(q.counts.failed + q.counts.unknown), align: 'right' },
    { header: 'ATTEMPT', value: (q) => String(q.attempt), align: 'right' },
    { header: 'CREATED', value: (q) => formatTime(q.createdAt, l.timeZone) },
    { header: 'NOTE', value: (q) => q.error ?? q.blockedReason ?? q.ending ?? '', shrink: true },
  ];
  const newestFirst = [...queues].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return renderTable(columns, newestFirst, l.width);
}

export function queueStartedView(q: QueueSummary): string {
  return `Started queue ${q.id} from ${printable(q.sourceName)} on ${q.cluster}: ${q.taskCount} task${q.taskCount === 1 ? '' : 's'}, ${q.status}.\nFollow it with: scripthut jobs --search ${q.id}\n`;
}

export function dryRunView(d: DryRunResult, l: Layout): string {
  const columns: Column<DryRunResult['tasks'][number]>[] = [
    { header: 'TASK', value: (t) => t.taskId },
    { header: 'NAME', value: (t) => t.name, shrink: true },
    { header: 'CPUS', value: (t) => String(t.spec.cpus), align: 'right' },
    { header: 'MEMORY', value: (t) => t.spec.memory },
    { header: 'TIME', value: (t) => t.spec.time_limit },
    { header: 'AFTER', value: (t) => t.spec.depends_on.join(',') || '-', shrink: true },
  ];
  const head = `Dry run of ${printable(d.source)} on ${d.cluster}: ${d.taskCount} task${d.taskCount === 1 ? '' : 's'}; nothing was submitted.\n\n`;
  return `${head}${d.tasks.length ? renderTable(columns, d.tasks, l.width) : ''}`;
}

export function tokensView(tokens: readonly ApiTokenRecord[], l: Layout): string {
  if (tokens.length === 0) return 'No tokens. Create one with: scripthut token create NAME\n';
  const columns: Column<ApiTokenRecord>[] = [
    { header: 'ID', value: (t) => t.id },
    { header: 'NAME', value: (t) => t.name, shrink: true },
    { header: 'USER', value: (t) => t.user ?? '(shared)' },
    { header: 'CREATED', value: (t) => formatTime(t.created_at, l.timeZone) },
    { header: 'LAST USED', value: (t) => formatTime(t.last_used_at, l.timeZone) },
    { header: 'REVOKED', value: (t) => formatTime(t.revoked_at, l.timeZone) },
  ];
  return renderTable(columns, tokens, l.width);
}
