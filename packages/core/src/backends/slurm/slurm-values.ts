/**
 * Field-level conversions shared by the squeue and sacct parsers. Each field
 * has its own "no value" spellings; a job may legitimately be named `None`,
 * so nothing is nulled globally.
 */

const SLURM_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})$/;

/**
 * `2026-11-25T11:56:17` (printed under TZ=UTC) -> `2026-11-25T11:56:17Z`.
 * `N/A`, `Unknown`, `None` and anything that is not a timestamp -> null.
 */
export function utcTime(raw: string): string | null {
  const match = SLURM_TIME.exec(raw.trim());
  return match?.[1] === undefined ? null : `${match[1]}Z`;
}

/** The value, or null when it is empty or one of `absent` (compared exactly). */
export function orNull(raw: string, ...absent: readonly string[]): string | null {
  return raw === '' || absent.includes(raw) ? null : raw;
}

/** A non-negative integer count, or null (`N/A`, empty, garbage). */
export function count(raw: string): number | null {
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

/** A duration as Slurm prints it (`1:00:00`, `2-00:00:00`, `UNLIMITED`), or null. */
export function duration(raw: string): string | null {
  return orNull(raw, 'N/A', 'NOT_SET', 'INVALID', 'Unknown');
}

export interface ExitStatus {
  exitCode: number | null;
  signal: number | null;
}

/**
 * sacct `ExitCode` is `<exit>:<signal>`. Null for text that is not that shape:
 * an unreadable exit code never becomes a failure on its own.
 */
export function exitCodePair(raw: string): { exit: number; signal: number } | null {
  const match = /^(\d+):(\d+)$/.exec(raw.trim());
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { exit: Number(match[1]), signal: Number(match[2]) };
}
