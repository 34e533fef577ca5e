/**
 * Delays before the 2nd, 3rd, … attempt, after the Standard Webhooks example
 * (5 s, 5 min, 30 min, 2 h, 5 h, …) with a 30 s step added early, so a short
 * outage heals within a minute. The last step repeats until the give-up time.
 */
export const RETRY_DELAYS_MS = [5_000, 30_000, 300_000, 1_800_000, 7_200_000, 18_000_000] as const;

/** The delay before attempt `attempt + 1` (attempt counts from 1), ±10% jitter from `random` (0.5: none). */
export function retryDelayMs(attempt: number, random: () => number): number {
  const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0];
  return Math.round(base * (0.9 + 0.2 * random()));
}

/** Longest Retry-After honoured; a longer one is capped (the give-up time still bounds it). */
export const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return null;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date names its month; Date.parse alone would also read "1.5" or "-5" as dates.
  if (!/[a-z]{3}/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now.getTime()), MAX_RETRY_AFTER_MS);
}
