import type { Job } from '@scripthut/core/domain';
import type { ReactNode } from 'react';
import { exitOrReason, jobBadge } from '../format/job-badge';
import { NO_VALUE } from '../format/time';
import { Badge } from '../ui/badge';
import { DateTime } from '../ui/time-text';
import type { SortKey } from './job-query';

export interface JobColumn {
  key: SortKey;
  label: string;
  /** CSS grid track for the column; `minRem` is its minimum width. */
  track: string;
  minRem: number;
  /** First click sorts this way (newest/longest first for times). */
  firstDir: 'asc' | 'desc';
  render: (job: Job) => ReactNode;
  /** Plain text for the cell's tooltip when it may be truncated. */
  title?: (job: Job) => string | undefined;
}

export const jobPath = (job: Pick<Job, 'id'>): string => `/jobs/${encodeURIComponent(job.id)}`;

const orDash = (v: string | number | null): string => (v === null || v === '' ? NO_VALUE : String(v));

export function resourcesText(job: Job): string {
  const parts = [job.cpus !== null ? `${job.cpus} CPU` : null, job.memory, job.nodes].filter((p) => p !== null && p !== '');
  return parts.length > 0 ? parts.join(' · ') : NO_VALUE;
}

export function StateCell({ job }: { job: Job }) {
  const badge = jobBadge(job);
  return (
    <span className="state-cell">
      <Badge tone={badge.tone} label={badge.label} title={badge.title} />
      {job.stale && (
        <span className="stale-marker" title="The last poll of this cluster failed: this is the last known state" data-testid="stale-marker">
          stale
        </span>
      )}
    </span>
  );
}

export const JOB_COLUMNS: readonly JobColumn[] = [
  { key: 'id', label: 'Job ID', track: '6.5rem', minRem: 6.5, firstDir: 'desc', render: (j) => <span className="mono">{j.schedulerJobId ?? NO_VALUE}</span> },
  {
    key: 'name',
    label: 'Name',
    track: 'minmax(10rem, 2fr)',
    minRem: 10,
    firstDir: 'asc',
    render: (j) => (
      <a href={jobPath(j)} tabIndex={-1} className="job-link">
        {j.name}
      </a>
    ),
    title: (j) => j.name,
  },
  { key: 'user', label: 'User', track: '6.5rem', minRem: 6.5, firstDir: 'asc', render: (j) => j.user, title: (j) => j.user },
  { key: 'state', label: 'State', track: '11.5rem', minRem: 11.5, firstDir: 'asc', render: (j) => <StateCell job={j} /> },
  {
    key: 'source',
    label: 'Source',
    track: '7.5rem',
    minRem: 7.5,
    firstDir: 'asc',
    render: (j) =>
      j.source === 'queue' ? (
        <span className="chip chip--queue" title={`Submitted by ScriptHut queue ${j.queueId ?? ''}`}>
          {j.queueId ?? 'queue'}
        </span>
      ) : (
        <span className="muted" title="Submitted outside ScriptHut">
          external
        </span>
      ),
  },
  { key: 'cluster', label: 'Cluster', track: '6rem', minRem: 6, firstDir: 'asc', render: (j) => j.cluster, title: (j) => j.cluster },
  { key: 'partition', label: 'Partition', track: '6.5rem', minRem: 6.5, firstDir: 'asc', render: (j) => orDash(j.partition), title: (j) => j.partition ?? undefined },
  {
    key: 'time',
    label: 'Used / limit',
    track: '13rem',
    minRem: 13,
    firstDir: 'desc',
    render: (j) => (
      <span className="mono">
        {orDash(j.timeUsed)} <span className="muted">/ {orDash(j.timeLimit)}</span>
      </span>
    ),
  },
  { key: 'resources', label: 'Resources', track: '11rem', minRem: 11, firstDir: 'desc', render: (j) => resourcesText(j), title: (j) => resourcesText(j) },
  { key: 'submitTime', label: 'Submitted', track: '10.5rem', minRem: 10.5, firstDir: 'desc', render: (j) => <DateTime iso={j.submitTime} /> },
  {
    key: 'exit',
    label: 'Exit / Reason',
    track: 'minmax(9rem, 1.5fr)',
    minRem: 9,
    firstDir: 'asc',
    render: (j) => exitOrReason(j) || <span className="muted">{NO_VALUE}</span>,
    title: (j) => exitOrReason(j) || undefined,
  },
];

export const JOB_GRID_TEMPLATE = JOB_COLUMNS.map((c) => c.track).join(' ');
export const JOB_TABLE_MIN_WIDTH = `${JOB_COLUMNS.reduce((sum, c) => sum + c.minRem, 0)}rem`;
