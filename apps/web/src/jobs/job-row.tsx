import type { Job } from '@scripthut/core/domain';
import { memo } from 'react';
import { JOB_COLUMNS } from './job-columns';

export interface JobRowProps {
  job: Job;
  /** 0: a job or an array; 1: a task shown under its expanded array. */
  depth: 0 | 1;
  /** For an array's own row: whether its tasks are shown; null otherwise. */
  expanded: boolean | null;
  parentId: string | null;
  index: number;
  top: number;
  active: boolean;
  onActivate: (jobId: string) => void;
  onOpen: (job: Job) => void;
  onToggle: (arrayId: string) => void;
}

/**
 * One absolutely positioned row of the virtual list; `aria-rowindex` counts
 * the header as row 1. Props are plain values (no per-render row object) so
 * the memo skips rows that did not change.
 */
export const JobRow = memo(function JobRow({
  job,
  depth,
  expanded,
  parentId,
  index,
  top,
  active,
  onActivate,
  onOpen,
  onToggle,
}: JobRowProps) {
  const ctx = { row: { job, depth, expanded, parentId }, onToggle };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-expanded={expanded ?? undefined}
      data-index={index}
      data-testid={`job-row-${job.id}`}
      data-state={job.state}
      data-depth={depth}
      className={`jobs-row${job.stale ? ' jobs-row--stale' : ''}${depth === 1 ? ' jobs-row--task' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      tabIndex={active ? 0 : -1}
      onFocus={() => onActivate(job.id)}
      onClick={(e) => {
        // Modified clicks on the name link open a tab natively; selecting text must not navigate.
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        if (window.getSelection()?.toString()) return;
        onOpen(job);
      }}
    >
      {JOB_COLUMNS.map((col) => (
        <div
          role="cell"
          key={col.key}
          className={`jobs-cell jobs-cell--${col.key} jobs-cell--p${col.priority}`}
          title={col.title?.(job)}
        >
          {col.render(job, ctx)}
        </div>
      ))}
    </div>
  );
});

/** A line whose window is still loading: holds its place (and the scroll height) until the job arrives. */
export function LoadingRow({ index, top }: { index: number; top: number }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-busy="true"
      data-testid="jobs-loading-row"
      className="jobs-row jobs-row--loading"
      style={{ transform: `translateY(${top}px)` }}
    >
      <div role="cell" className="jobs-cell muted">
        Loading…
      </div>
    </div>
  );
}
