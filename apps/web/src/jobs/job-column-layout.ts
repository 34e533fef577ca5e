import type { SortKey } from './job-query';

export type DetailLevel = 1 | 2 | 3 | 4;
export const DETAIL_LEVELS: readonly DetailLevel[] = [1, 2, 3, 4];

export interface ColumnLayout {
  key: SortKey;
  label: string;
  /** First click sorts this way (newest/longest first for times and ids). */
  firstDir: 'asc' | 'desc';
  /** Minimum width in rem; fixed columns are exactly this wide. */
  minRem: number;
  /** Share of spare width (fr); 0 for fixed columns. */
  grow: number;
  /**
   * 1: always shown; higher numbers are dropped first as the table narrows
   * (4 below minWidthRem(4), 3 below minWidthRem(3)…). The detail page shows everything.
   */
  priority: DetailLevel;
}

export const COLUMN_LAYOUT: readonly ColumnLayout[] = [
  { key: 'id', label: 'Job ID', firstDir: 'desc', minRem: 6, grow: 0, priority: 2 },
  { key: 'name', label: 'Name', firstDir: 'asc', minRem: 10, grow: 2, priority: 1 },
  { key: 'user', label: 'User', firstDir: 'asc', minRem: 6, grow: 0, priority: 2 },
  { key: 'state', label: 'State', firstDir: 'asc', minRem: 13, grow: 0, priority: 1 },
  { key: 'source', label: 'Source', firstDir: 'asc', minRem: 7, grow: 0, priority: 4 },
  { key: 'cluster', label: 'Cluster', firstDir: 'asc', minRem: 5.5, grow: 0, priority: 2 },
  { key: 'partition', label: 'Partition', firstDir: 'asc', minRem: 6.5, grow: 0, priority: 4 },
  { key: 'time', label: 'Used / limit', firstDir: 'desc', minRem: 11, grow: 0, priority: 3 },
  { key: 'resources', label: 'Resources', firstDir: 'desc', minRem: 9.5, grow: 0, priority: 3 },
  { key: 'submitTime', label: 'Submitted', firstDir: 'desc', minRem: 10.5, grow: 0, priority: 2 },
  { key: 'exit', label: 'Exit / Reason', firstDir: 'asc', minRem: 9, grow: 1.5, priority: 2 },
  { key: 'cpuEff', label: 'CPU eff.', firstDir: 'asc', minRem: 5, grow: 0, priority: 3 },
  { key: 'memEff', label: 'Memory used', firstDir: 'asc', minRem: 7.5, grow: 0, priority: 4 },
];

const visible = (level: DetailLevel) => COLUMN_LAYOUT.filter((c) => c.priority <= level);

/** Width in rem below which the table drops to the next lower level (see the @container rules in jobs.css). */
export const minWidthRem = (level: DetailLevel): number =>
  visible(level).reduce((sum, c) => sum + c.minRem, 0);

export const gridTemplate = (level: DetailLevel): string =>
  visible(level)
    .map((c) => (c.grow > 0 ? `minmax(${c.minRem}rem, ${c.grow}fr)` : `${c.minRem}rem`))
    .join(' ');

/** CSS custom properties the stylesheet switches between with container queries. */
export function gridVariables(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const level of DETAIL_LEVELS) {
    vars[`--job-cols-${level}`] = gridTemplate(level);
    vars[`--job-min-${level}`] = `${minWidthRem(level)}rem`;
  }
  return vars;
}
