/**
 * Field-level conversions shared by the squeue and sacct parsers. Each field
 * has its own "no value" spellings; a job may legitimately be named `None`,
 * so nothing is nulled globally. These run once per field of every polled
 * record, so they test characters instead of running regexes.
 */

const SLURM_TIME_LENGTH = 19;

/**
 * `2026-11-25T11:56:17` (printed under TZ=UTC) -> `2026-11-25T11:56:17Z`.
 * `N/A`, `Unknown`, `None` and anything that is not a timestamp -> null.
 * Surrounding whitespace is ignored.
 */
export function utcTime(raw: string): string | null {
  if (raw.length < SLURM_TIME_LENGTH) return null;
  const text = raw.length === SLURM_TIME_LENGTH ? raw : raw.trim();
  return isSlurmTime(text) ? `${text}Z` : null;
}

/** `dddd-dd-ddTdd:dd:dd` exactly. */
function isSlurmTime(s: string): boolean {
  if (s.length !== SLURM_TIME_LENGTH) return false;
  for (let i = 0; i < SLURM_TIME_LENGTH; i++) {
    const c = s.charCodeAt(i);
    const expected = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : -1;
    if (expected === -1 ? c < 48 || c > 57 : c !== expected) return false;
  }
  return true;
}

/** The value, or null when it is empty or one of `absent` (compared exactly). */
export function orNull(raw: string, ...absent: readonly string[]): string | null {
  return raw === '' || absent.includes(raw) ? null : raw;
}

/** True when `raw` is one or more ASCII digits. */
export function isDigits(raw: string): boolean {
  if (raw.length === 0) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A non-negative integer count, or null (`N/A`, empty, garbage). */
export function count(raw: string): number | null {
  return isDigits(raw) ? Number(raw) : null;
}

/** A duration as Slurm prints it (`1:00:00`, `2-00:00:00`, `UNLIMITED`), or null. */
export function duration(raw: string): string | null {
  return raw === '' || raw === 'N/A' || raw === 'NOT_SET' || raw === 'INVALID' || raw === 'Unknown'
    ? null
    : raw;
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
  const text = raw.trim();
  const colon = text.indexOf(':');
  if (colon === -1) return null;
  const exit = text.slice(0, colon);
  const signal = text.slice(colon + 1);
  if (!isDigits(exit) || !isDigits(signal)) return null;
  return { exit: Number(exit), signal: Number(signal) };
}

const DURATION = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/;

/**
 * Seconds of a duration as sacct prints Elapsed and TotalCPU: `00:00:08`,
 * `1-02:03:04`, and TotalCPU's short form `MM:SS.mmm` (`00:04.012`).
 * Null for empty or unreadable text.
 */
export function durationSeconds(raw: string): number | null {
  const m = DURATION.exec(raw.trim());
  if (!m) return null;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = m;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
}

const SIZE = /^(\d+(?:\.\d+)?)([KMGTP]?)([nc]?)$/;
const SIZE_UNIT: Readonly<Record<string, number>> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
  P: 1024 ** 5,
};

/**
 * Bytes of a size as sacct prints MaxRSS (`4232K`, `0`) and ReqMem (`100M`;
 * before 21.08 with `n` per node or `c` per CPU, which `cpus` multiplies).
 * Units are powers of 1024, as Slurm means them. Null for empty or unreadable text.
 */
export function sizeBytes(raw: string, cpus: number | null = null): number | null {
  const m = SIZE.exec(raw.trim());
  if (!m) return null;
  const [, amount = '0', unit = '', per = ''] = m;
  const bytes = Math.round(Number(amount) * (SIZE_UNIT[unit] ?? 1));
  if (per !== 'c') return bytes;
  return cpus === null ? null : bytes * cpus;
}
