import type { Job } from '@scripthut/core/domain';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { gridVariables } from './job-column-layout';
import { jobPath } from './job-columns';
import type { JobSort } from './job-query';
import { JobRow } from './job-row';
import type { BackState } from '../job-detail/back-link';
import { JobsTableHeader } from './jobs-table-header';
import type { TableRow } from './table-rows';
import { useRovingRow } from './use-roving-row';

/** Must match `--row-height` in jobs.css: rows are fixed-height so 10,000 of them virtualize without measuring. */
const ROW_HEIGHT_PX = 40;
const GRID_VARIABLES = gridVariables() as CSSProperties;

/**
 * The jobs grid: ARIA table roles over a virtual list. One row is in the tab
 * order at a time (roving tabindex); arrows, Page Up/Down and Home/End move
 * it, Enter opens the job. On an array's row, Right shows its tasks and Left
 * hides them; Left on a task goes back to its array.
 */
export function JobsTable({
  rows,
  sort,
  onSort,
  onToggle,
}: {
  rows: readonly TableRow[];
  sort: JobSort;
  onSort: (sort: JobSort) => void;
  onToggle: (arrayId: string) => void;
}) {
  const jobs = useMemo(() => rows.map((r) => r.job), [rows]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const { search } = useLocation();
  const open = useCallback(
    (job: Job) =>
      void navigate(jobPath(job), { state: { backTo: `/${search}` } satisfies BackState }),
    [navigate, search],
  );

  const virtualizer = useVirtualizer({
    count: jobs.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 10,
    scrollPaddingStart: ROW_HEIGHT_PX,
  });
  const items = virtualizer.getVirtualItems();
  const { active, setActiveId, onKeyDown, focusIndex } = useRovingRow(
    jobs,
    scrollRef,
    (i) => virtualizer.scrollToIndex(i, { align: 'auto' }),
    open,
  );
  // Keep one row tabbable even when the active one has been scrolled out of the DOM.
  const tabbable = items.some((i) => i.index === active) ? active : (items[0]?.index ?? 0);
  const onTreeKeys = (e: KeyboardEvent<HTMLElement>) => {
    const row = rows[active];
    if (
      row &&
      (e.key === 'ArrowRight' || e.key === 'ArrowLeft') &&
      (e.target as HTMLElement).getAttribute('role') === 'row'
    ) {
      if (row.expanded !== null && row.expanded === (e.key === 'ArrowLeft')) {
        e.preventDefault();
        onToggle(row.job.id);
        return;
      }
      if (e.key === 'ArrowLeft' && row.parentId !== null) {
        e.preventDefault();
        focusIndex(rows.findIndex((r) => r.job.id === row.parentId));
        return;
      }
    }
    onKeyDown(e);
  };

  return (
    <div
      role="table"
      aria-label="Jobs"
      aria-rowcount={rows.length + 1}
      className="jobs-table"
      data-testid="jobs-table"
      style={GRID_VARIABLES}
    >
      <div className="jobs-table__scroll" ref={scrollRef}>
        <JobsTableHeader sort={sort} onSort={onSort} />
        <div
          role="rowgroup"
          className="jobs-table__body"
          style={{ height: virtualizer.getTotalSize() }}
          onKeyDown={onTreeKeys}
        >
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const { job } = row;
            return (
              <JobRow
                key={job.id}
                job={job}
                depth={row.depth}
                expanded={row.expanded}
                parentId={row.parentId}
                index={item.index}
                top={item.start}
                active={item.index === tabbable}
                onActivate={setActiveId}
                onOpen={open}
                onToggle={onToggle}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
