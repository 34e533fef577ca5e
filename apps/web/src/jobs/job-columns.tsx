import type { Job } from '@scripthut/core/domain';
import type { ReactNode } from 'react';
import {
  arrayCountsText,
  cpuDetail,
  formatBytesShort,
  formatPercent,
  memoryDetail,
} from '../format/efficiency';
import { exitOrReason, jobBadge } from '../format/job-badge';
import { NO_VALUE } from '../format/time';
import { Badge } from '../ui/badge';
import { TimeProgressBar } from '../ui/time-progress-bar';
import { DateTime } from '../ui/time-text';
import { COLUMN_LAYOUT, type ColumnLayout } from './job-column-layout';
import type { SortKey } from './job-query';
import { taskLabel, type TableRow } from './table-rows';

/** What a cell needs besides the job: where the row sits, and how an array row opens. */
export interface RowContext {
  row: TableRow;
  onToggle: (arrayId: string) => void;
}

interface CellView {
  render: (job: Job, ctx: RowContext) => ReactNode;
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
    render: (j, ctx) => <NameCell job={j} ctx={ctx} />,
    title: (j) => (j.arrayId === null ? j.name : `${j.name} · ${taskLabel(j)}`),
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
      <span className="time-cell">
        <span className="mono">
          {orDash(j.timeUsed)} <span className="muted">/ {orDash(j.timeLimit)}</span>
        </span>
        <TimeProgressBar job={j} testId={`time-progress-${j.id}`} />
      </span>
    ),
  },
  resources: { render: (j) => resourcesText(j), title: (j) => resourcesText(j) },
  submitTime: { render: (j) => <DateTime iso={j.submitTime} /> },
  exit: {
    render: (j) =>
      j.arrayCounts !== null ? (
        <span data-testid={`array-counts-${j.id}`}>
          {arrayCountsText(j.arrayCounts, j.arrayTasks)}
        </span>
      ) : (
        exitOrReason(j) || <span className="muted">{NO_VALUE}</span>
      ),
    title: (j) =>
      j.arrayCounts !== null
        ? arrayCountsText(j.arrayCounts, j.arrayTasks)
        : exitOrReason(j) || undefined,
  },
  cpuEff: {
    render: (j) => (
      <span className="mono" data-testid={`cpu-eff-${j.id}`}>
        {formatPercent(j.efficiency?.cpuEfficiency ?? null)}
      </span>
    ),
    title: (j) => (j.efficiency ? `CPU efficiency: ${cpuDetail(j.efficiency)}` : undefined),
  },
  memEff: {
    render: (j) =>
      j.efficiency?.maxRssBytes != null ? (
        <span className="mono" data-testid={`mem-eff-${j.id}`}>
          {formatBytesShort(j.efficiency.maxRssBytes)}
          <span className="muted"> / {formatBytesShort(j.efficiency.requestedMemoryBytes)}</span>
        </span>
      ) : (
        <span className="muted">{NO_VALUE}</span>
      ),
    title: (j) =>
      j.efficiency
        ? `Memory: ${memoryDetail(j.efficiency)} (${formatPercent(j.efficiency.memoryEfficiency)})`
        : undefined,
  },
} satisfies Record<SortKey, CellView>;

/** The name, with a disclosure button on an array's row and the task's place in its array on a task row. */
function NameCell({ job, ctx }: { job: Job; ctx: RowContext }) {
  const { row, onToggle } = ctx;
  if (row.depth === 1) {
    return (
      <span className="name-cell name-cell--task">
        <span aria-hidden="true" className="name-cell__branch">
          ↳
        </span>
        <a href={jobPath(job)} tabIndex={-1} className="job-link">
          {taskLabel(job)}
        </a>
      </span>
    );
  }
  return (
    <span className="name-cell">
      {row.expanded !== null && (
        <button
          type="button"
          className="disclosure"
          tabIndex={-1}
          aria-expanded={row.expanded}
          aria-label={`${row.expanded ? 'Hide' : 'Show'} the ${job.arrayTasks ?? ''} tasks of array ${job.schedulerJobId ?? ''}`}
          data-testid={`expand-${job.id}`}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(job.id);
          }}
        >
          <span aria-hidden="true">{row.expanded ? '▾' : '▸'}</span>
        </button>
      )}
      <a href={jobPath(job)} tabIndex={-1} className="job-link">
        {job.name}
      </a>
      {row.expanded !== null && <span className="chip">array</span>}
    </span>
  );
}

/** Columns in display order: layout (width, priority, label) joined with how each cell renders. */
export const JOB_COLUMNS: readonly JobColumn[] = COLUMN_LAYOUT.map((layout) => ({
  ...layout,
  ...CELLS[layout.key],
}));
