import type { JobState } from '@scripthut/core/domain';

export interface JobFilters {
  text: string;
  /** Empty means every state. */
  states: readonly JobState[];
  /** Null means every cluster. */
  cluster: string | null;
}

export type UserScope = 'mine' | 'all';

export const SORT_KEYS = [
  'id',
  'name',
  'user',
  'state',
  'source',
  'cluster',
  'partition',
  'time',
  'resources',
  'submitTime',
  'exit',
  'cpuEff',
  'memEff',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface JobSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export const DEFAULT_SORT: JobSort = { key: 'submitTime', dir: 'desc' };
export const NO_FILTERS: JobFilters = { text: '', states: [], cluster: null };

export const hasFilters = (f: JobFilters): boolean =>
  f.text.trim() !== '' || f.states.length > 0 || f.cluster !== null;

/** Slurm time `[D-]HH:MM:SS`, `MM:SS` or `UNLIMITED` to seconds; null when absent or unparsable. */
export function slurmTimeToSeconds(text: string | null): number | null {
  if (!text) return null;
  if (/^(unlimited|infinite)$/i.test(text)) return Number.POSITIVE_INFINITY;
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s);
}
