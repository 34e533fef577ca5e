import type { Job } from '@scripthut/core/domain';
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { GridModel } from './job-windows';

const PAGE_ROWS = 10;

/**
 * Roving focus over a virtual list. The active row is tracked by job id, not
 * index, so live inserts above it do not move focus to another job; a move
 * to a line whose window is not loaded yet (End on 10,000 jobs) is tracked
 * by index until its job arrives and takes focus.
 */
export function useRovingRow(
  model: GridModel,
  containerRef: RefObject<HTMLElement | null>,
  scrollToIndex: (index: number) => void,
  onOpen: (job: Job) => void,
) {
  const [activeId, setActiveIdState] = useState<string | null>(null);
  const [pendingIndex, setPendingIndex] = useState<number | null>(null);
  const focusPending = useRef(false);
  const byId = activeId === null ? undefined : model.indexOf(activeId);
  const active = pendingIndex ?? byId ?? 0;

  const setActiveId = (id: string) => {
    setPendingIndex(null);
    setActiveIdState(id);
  };

  // The target row may only be rendered (or loaded) after the virtualizer scrolls; retry on each render until it is.
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const row = containerRef.current?.querySelector<HTMLElement>(
      `[data-index="${active}"][data-testid^="job-row-"]`,
    );
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter') {
      const line = model.at(active);
      if (line?.kind === 'row' && (e.target as HTMLElement).getAttribute('role') === 'row') {
        e.preventDefault();
        onOpen(line.row.job);
      }
      return;
    }
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + PAGE_ROWS,
      PageUp: active - PAGE_ROWS,
      Home: 0,
      End: model.count - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    focusIndex(Math.max(0, Math.min(model.count - 1, target)));
  };

  /** Makes line `index` the active one, scrolls to it and focuses it once it is rendered. */
  const focusIndex = (index: number) => {
    if (index < 0 || index >= model.count) return;
    focusPending.current = true;
    const line = model.at(index);
    if (line?.kind === 'row') setActiveId(line.row.job.id);
    else setPendingIndex(index);
    scrollToIndex(index);
  };

  return { active, setActiveId, onKeyDown, focusIndex };
}
