import type { Job } from '@scripthut/core/domain';
import {
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';

const PAGE_ROWS = 10;

/**
 * Roving focus over a virtual list. The active row is tracked by job id, not
 * index, so live inserts above it do not move focus to another job.
 */
export function useRovingRow(
  jobs: readonly Job[],
  containerRef: RefObject<HTMLElement | null>,
  scrollToIndex: (index: number) => void,
  onOpen: (job: Job) => void,
) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const focusPending = useRef(false);
  const indexById = useMemo(() => new Map(jobs.map((job, i) => [job.id, i])), [jobs]);
  const active = (activeId === null ? undefined : indexById.get(activeId)) ?? 0;

  // The target row may only be rendered after the virtualizer scrolls; retry on each render until it is.
  useLayoutEffect(() => {
    if (!focusPending.current) return;
    const row = containerRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter') {
      const job = jobs[active];
      if (job && (e.target as HTMLElement).getAttribute('role') === 'row') {
        e.preventDefault();
        onOpen(job);
      }
      return;
    }
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + PAGE_ROWS,
      PageUp: active - PAGE_ROWS,
      Home: 0,
      End: jobs.length - 1,
    };
    const target = moves[e.key];
    if (target === undefined) return;
    e.preventDefault();
    focusIndex(Math.max(0, Math.min(jobs.length - 1, target)));
  };

  /** Makes row `index` the active one, scrolls to it and focuses it once it is rendered. */
  const focusIndex = (index: number) => {
    const job = jobs[index];
    if (!job) return;
    focusPending.current = true;
    setActiveId(job.id);
    scrollToIndex(index);
  };

  return { active, setActiveId, onKeyDown, focusIndex };
}
