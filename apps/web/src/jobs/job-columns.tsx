import type { Job } from '@scripthut/core/domain';
import type { ReactNode } from 'react';
import { exitOrReason, jobBadge } from '../format/job-badge';
import { NO_VALUE } from '../format/time';
import { Badge } from '../ui/badge';
import { DateTime } from '../ui/time-text';
import { COLUMN_LAYOUT, type ColumnLayout } from './job-column-layout';
import type { SortKey } from './job-query';

interface CellView {
  render: (job: Job) => ReactNode;
  /** Plain text for the cell's tooltip when it may be truncated. */
  title?: (job: Job) => string | undefined;
}

export type JobColumn = ColumnLayout & CellView;

export const jobPath = (job: Pick<Job, 'id'>): string => `/jobs/${encodeURIComponent(job.id)}`;

const orDash = (v: string | number | null): string =>
  v === null || v === '' ? NO_VALUE : String(v);

export function resourcesText(job: Job): string {
  const parts = [job.cpus !== null ? `${job.cpus} CPU` : null, job.memory, job.nodes].filter(
    (p) => p !== null && p !== '',
  );
  return parts.length > 0 ? parts.join(' · ') : NO_VALUE;
}

export function StateCell({ job }: { job: Job }) {
  const badge = jobBadge(job);
  return (
    <span className="state-cell">
      <Badge tone={badge.tone} label={badge.label} title={badge.title} />
      {job.stale && (
        <span
          className="stale-marker"
          title="The last poll of this cluster failed: this is the last known state"
          data-testid="stale-marker"
        >
          stale
        </span>
      )}
    </span>
  );
}

const CELLS = {
  id: { render: (j) => <span className="mono">{j.schedulerJobId ?? NO_VALUE}</span> },
  name: {
    render: (j) => (
      <a href={jobPath(j)} tabIndex={-1} className="job-link">
        {j.name}
      </a>
    ),
    title: (j) => j.name,
  },
  user: { render: (j) => j.user, title: (j) => j.user },
  state: { render: (j) => <StateCell job={j} /> },
  source: {
    render: (j) =>
      j.source === 'queue' ? (
        <span
          className="chip chip--queue"
          title={`Submitted by ScriptHut queue ${j.queueId ?? ''}`}
        >
          {j.queueId ?? 'queue'}
        </span>
      ) : (
        <span className="muted" title="Submitted outside ScriptHut">
          external
        </span>
      ),
  },
  cluster: { render: (j) => j.cluster, title: (j) => j.cluster },
  partition: { render: (j) => orDash(j.partition), title: (j) => j.partition ?? undefined },
  time: {
    render: (j) => (
      <span className="mono">
        {orDash(j.timeUsed)} <span className="muted">/ {orDash(j.timeLimit)}</span>
      </span>
    ),
  },
  resources: { render: (j) => resourcesText(j), title: (j) => resourcesText(j) },
  submitTime: { render: (j) => <DateTime iso={j.submitTime} /> },
  exit: {
    render: (j) => exitOrReason(j) || <span className="muted">{NO_VALUE}</span>,
    title: (j) => exitOrReason(j) || undefined,
  },
} satisfies Record<SortKey, CellView>;

/** Columns in display order: layout (width, priority, label) joined with how each cell renders. */
export const JOB_COLUMNS: readonly JobColumn[] = COLUMN_LAYOUT.map((layout) => ({
  ...layout,
  ...CELLS[layout.key],
}));
