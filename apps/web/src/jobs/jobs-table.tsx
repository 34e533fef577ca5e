import type { Job } from '@scripthut/core/domain';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { JOB_GRID_TEMPLATE, jobPath } from './job-columns';
import type { JobSort } from './job-query';
import { JobRow } from './job-row';
import { JobsTableHeader } from './jobs-table-header';

/** Must match `--row-height` in jobs.css: rows are fixed-height so 10,000 of them virtualize without measuring. */
const ROW_HEIGHT_PX = 40;
const PAGE_ROWS = 10;

/**
 * The jobs grid: ARIA table roles over a virtual list. One row is in the tab
 * order at a time (roving tabindex); arrows, Page Up/Down and Home/End move
 * it, Enter opens the job.
 */
export function JobsTable({ jobs, sort, onSort }: { jobs: readonly Job[]; sort: JobSort; onSort: (sort: JobSort) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const [activeIndex, setActiveIndex] = useState(0);
  const focusPending = useRef(false);
  const active = Math.min(activeIndex, jobs.length - 1);

  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 12,
    scrollPaddingStart: ROW_HEIGHT_PX,
  });
  const items = virtualizer.getVirtualItems();
  // Keep one row tabbable even when the active one has been scrolled out of the DOM.
  const tabbable = items.some((i) => i.index === active) ? active : (items[0]?.index ?? 0);

  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const open = useCallback((job: Job) => void navigate(jobPath(job)), [navigate]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + PAGE_ROWS,
      PageUp: active - PAGE_ROWS,
      Home: 0,
      End: jobs.length - 1,
    };
    if (e.key === 'Enter') {
      const job = jobs[active];
      if (job && (e.target as HTMLElement).getAttribute('role') === 'row') {
        e.preventDefault();
        open(job);
      }
      return;
    }
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(jobs.length - 1, target));
    focusPending.current = true;
    setActiveIndex(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div
      role="table"
      aria-label="Jobs"
      aria-rowcount={jobs.length + 1}
      className="jobs-table"
      data-testid="jobs-table"
      style={{ '--job-cols': JOB_GRID_TEMPLATE } as CSSProperties}
    >
      <div className="jobs-table__scroll" ref={scrollRef}>
        <JobsTableHeader sort={sort} onSort={onSort} />
        <div role="rowgroup" className="jobs-table__body" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onKeyDown}>
          {items.map((item) => {
            const job = jobs[item.index];
            if (!job) return null;
            return (
              <JobRow key={job.id} job={job} index={item.index} top={item.start} active={item.index === tabbable} onActivate={setActiveIndex} onOpen={open} />
            );
          })}
        </div>
      </div>
    </div>
  );
}
