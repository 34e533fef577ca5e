import type { Job } from '@scripthut/core/domain';
import { memo } from 'react';
import { JOB_COLUMNS } from './job-columns';

export interface JobRowProps {
  job: Job;
  index: number;
  top: number;
  active: boolean;
  onActivate: (jobId: string) => void;
  onOpen: (job: Job) => void;
}

/** One absolutely positioned row of the virtual list; `aria-rowindex` counts the header as row 1. */
export const JobRow = memo(function JobRow({
  job,
  index,
  top,
  active,
  onActivate,
  onOpen,
}: JobRowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-index={index}
      data-testid={`job-row-${job.id}`}
      data-state={job.state}
      className={`jobs-row${job.stale ? ' jobs-row--stale' : ''}`}
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
          {col.render(job)}
        </div>
      ))}
    </div>
  );
});
