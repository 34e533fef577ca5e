/**
 * Time formatting for the dashboard. All inputs are ISO-8601 UTC strings from
 * the API; `timeZone` defaults to the browser's zone (the user's), tests pass
 * one explicitly. Null or unparsable input formats as an em dash.
 */

export const NO_VALUE = '—';

export interface ZoneOptions {
  /** IANA zone; undefined means the user's own. */
  timeZone?: string;
}

const parse = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string | undefined, withZoneName: boolean): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${withZoneName}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(withZoneName ? { timeZoneName: 'short' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

function pieces(
  date: Date,
  timeZone: string | undefined,
  withZoneName = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFormatter(timeZone, withZoneName).formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** `2026-01-01 14:03` in the user's zone: sortable, unambiguous across locales. */
export function formatDateTime(
  iso: string | null | undefined,
  opts: ZoneOptions & { seconds?: boolean } = {},
): string {
  const d = parse(iso);
  if (!d) return NO_VALUE;
  const p = pieces(d, opts.timeZone);
  const time = opts.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${p.year}-${p.month}-${p.day} ${time}`;
}

/** `2026-01-01 14:03:05 GMT+1`: the full local time with its zone, for tooltips. */
export function formatDateTimeWithZone(
  iso: string | null | undefined,
  opts: ZoneOptions = {},
): string {
  const d = parse(iso);
  if (!d) return NO_VALUE;
  const p = pieces(d, opts.timeZone, true);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName ?? ''}`.trimEnd();
}

/** `2026-01-01 13:03:05 UTC`. */
export function formatUtc(iso: string | null | undefined): string {
  const d = parse(iso);
  if (!d) return NO_VALUE;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Compact distance from now: `just now`, `12s ago`, `5m ago`, `in 40s`, `3h ago`, `2d ago`. */
export function formatRelative(iso: string | null | undefined, nowMs: number): string {
  const d = parse(iso);
  if (!d) return NO_VALUE;
  const deltaMs = d.getTime() - nowMs;
  const abs = Math.abs(deltaMs);
  if (abs < 1_000) return deltaMs > 0 ? 'in a moment' : 'just now';
  const text = formatSpan(abs);
  return deltaMs > 0 ? `in ${text}` : `${text} ago`;
}

/** The largest unit that fits, floored: `45s`, `5m`, `3h`, `2d`. */
function formatSpan(ms: number): string {
  const s = Math.floor(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** A measured duration: `42 ms`, `1.2 s`, `2m 05s`, `1h 02m`. */
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return NO_VALUE;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.floor(ms / 1_000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Whole seconds, rounded up, for "try again in 4s" (never says 0s for a positive wait). */
export function formatWaitSeconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1_000))}s`;
}
