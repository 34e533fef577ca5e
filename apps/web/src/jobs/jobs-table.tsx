import type { Job } from '@scripthut/core/domain';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, type CSSProperties, type KeyboardEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { BackState } from '../job-detail/back-link';
import { gridVariables } from './job-column-layout';
import { jobPath } from './job-columns';
import type { JobSort } from './job-query';
import { JobRow, LoadingRow } from './job-row';
import { WINDOW_ROWS, type GridModel } from './job-windows';
import { JobsTableHeader } from './jobs-table-header';
import { useRovingRow } from './use-roving-row';

/** Must match `--row-height` in jobs.css: rows are fixed-height so 10,000 of them virtualize without measuring. */
const ROW_HEIGHT_PX = 40;
const GRID_VARIABLES = gridVariables() as CSSProperties;

/** Top-level rows on screen (with overscan): the grid needs the windows they fall in. */
export interface VisibleRows {
  first: number;
  last: number;
}

/**
 * The jobs grid: ARIA table roles over a virtual list of the server's rows.
 * Lines whose window is not loaded yet show as placeholders. One row is in
 * the tab order at a time (roving tabindex); arrows, Page Up/Down and
 * Home/End move it, Enter opens the job. On an array's row, Right shows its
 * tasks and Left hides them; Left on a task goes back to its array.
 */
export function JobsTable({
  model,
  sort,
  onSort,
  onToggle,
  onVisible,
  busy = false,
}: {
  model: GridModel;
  /** The rows are an earlier filter's or sort's while the new answer loads. */
  busy?: boolean;
  sort: JobSort;
  onSort: (sort: JobSort) => void;
  onToggle: (arrayId: string) => void;
  onVisible: (rows: VisibleRows) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const { search } = useLocation();
  const open = useCallback(
    (job: Job) =>
      void navigate(jobPath(job), { state: { backTo: `/${search}` } satisfies BackState }),
    [navigate, search],
  );

  const virtualizer = useVirtualizer({
    count: model.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 10,
    scrollPaddingStart: ROW_HEIGHT_PX,
  });
  const items = virtualizer.getVirtualItems();
  const firstTop = items.length > 0 ? model.topIndexAt(items[0]!.index) : 0;
  const lastTop = items.length > 0 ? model.topIndexAt(items[items.length - 1]!.index) : 0;
  const firstWindow = Math.floor(firstTop / WINDOW_ROWS);
  const lastWindow = Math.floor(lastTop / WINDOW_ROWS);
  // Report only when the windows change, not on every scrolled row.
  useEffect(() => {
    onVisible({ first: firstWindow * WINDOW_ROWS, last: lastWindow * WINDOW_ROWS });
  }, [firstWindow, lastWindow, onVisible]);

  const { active, setActiveId, onKeyDown, focusIndex } = useRovingRow(
    model,
    scrollRef,
    (i) => virtualizer.scrollToIndex(i, { align: 'auto' }),
    open,
  );
  // Keep one row tabbable even when the active one has been scrolled out of the DOM.
  const tabbable = items.some((i) => i.index === active) ? active : (items[0]?.index ?? 0);
  const onTreeKeys = (e: KeyboardEvent<HTMLElement>) => {
    const line = model.at(active);
    const row = line?.kind === 'row' ? line.row : undefined;
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
        const parent = model.indexOf(row.parentId);
        if (parent !== undefined) focusIndex(parent);
        return;
      }
    }
    onKeyDown(e);
  };

  return (
    <div
      role="table"
      aria-label="Jobs"
      aria-rowcount={model.count + 1}
      aria-busy={busy || undefined}
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
            const line = model.at(item.index);
            if (!line) return null;
            if (line.kind === 'loading')
              return (
                <LoadingRow key={`loading-${item.index}`} index={item.index} top={item.start} />
              );
            const { job } = line.row;
            return (
              <JobRow
                key={job.id}
                job={job}
                depth={line.row.depth}
                expanded={line.row.expanded}
                parentId={line.row.parentId}
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
