import type { ArrayCounts, Job, JobEfficiency, JobState } from '@scripthut/core/domain';
import { NO_VALUE } from './time';

const KiB = 1024;

/**
 * Bytes in Slurm's units (powers of 1024) with the labels Slurm users read
 * them by: `4G` asked is shown as `4 GB`. One decimal below 10, none above.
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return NO_VALUE;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= KiB && unit < units.length - 1) {
    value /= KiB;
    unit++;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`;
}

/** Slurm's short spelling: `211M`, `1.1G`, `4G`. */
export function formatBytesShort(bytes: number | null): string {
  return bytes === null
    ? NO_VALUE
    : formatBytes(bytes)
        .replace(/ ([KMGT])B$/, '$1')
        .replace(/ B$/, 'B');
}

/** `0.683` -> `68%`; under 1 % shows one decimal (`<0.1%` below that) so a nearly idle job does not read as 0. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null) return NO_VALUE;
  const percent = ratio * 100;
  if (percent > 0 && percent < 0.05) return '<0.1%';
  return percent > 0 && percent < 1 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

/** Seconds as `2.6 s`, `4 min 12 s`, `1 h 03 min`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return NO_VALUE;
  if (seconds < 60) return `${Number(seconds.toFixed(seconds < 10 ? 1 : 0))} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** `2.6 s CPU of 4 s × 1 CPU`: how the CPU efficiency was reached. */
export function cpuDetail(e: JobEfficiency): string {
  if (e.cpuSeconds === null || e.elapsedSeconds === null || e.allocCpus === null) return NO_VALUE;
  return `${formatSeconds(e.cpuSeconds)} CPU of ${formatSeconds(e.elapsedSeconds)} × ${e.allocCpus} CPU${e.allocCpus === 1 ? '' : 's'}`;
}

/** `211 MB of 400 MB asked`. */
export function memoryDetail(e: JobEfficiency): string {
  if (e.maxRssBytes === null) return NO_VALUE;
  return e.requestedMemoryBytes === null
    ? `${formatBytes(e.maxRssBytes)} used`
    : `${formatBytes(e.maxRssBytes)} of ${formatBytes(e.requestedMemoryBytes)} asked`;
}

/** What an array's counts say, in the order they are read: what ended badly first, then what is left. */
const COUNT_PARTS: ReadonlyArray<[label: string, count: (c: ArrayCounts) => number]> = [
  ['failed', (c) => c.failed - c.cancelled],
  ['cancelled', (c) => c.cancelled],
  ['lost / unknown', (c) => c.unknown],
  ['completed', (c) => c.completed],
  ['finishing', (c) => c.finishing],
  ['running', (c) => c.running],
  ['queued', (c) => c.submitted],
  ['pending', (c) => c.pending],
];

const STATES: readonly JobState[] = [
  'pending',
  'submitted',
  'running',
  'finishing',
  'completed',
  'failed',
  'unknown',
];

/** `20 tasks · 1 failed · 3 completed · 4 running · 12 queued` (parts with no task left out). */
export function arrayCountsText(counts: ArrayCounts, total: number | null): string {
  const parts = COUNT_PARTS.flatMap(([label, count]) =>
    count(counts) > 0 ? [`${count(counts)} ${label}`] : [],
  );
  const size = total ?? STATES.reduce((sum, s) => sum + counts[s], 0);
  return [`${size} task${size === 1 ? '' : 's'}`, ...parts].join(' · ');
}

export const isArrayRow = (job: Pick<Job, 'arrayCounts'>): boolean => job.arrayCounts !== null;
