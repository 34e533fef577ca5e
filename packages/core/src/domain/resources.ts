/**
 * Task resource values (`memory`, `time_limit` in TaskSpec's formats) in the
 * units backends without Slurm's syntax need. Pure and browser-safe.
 */

const MEMORY = /^([1-9][0-9]{0,9})([KMGTkmgt]?)$/;
const MIB_PER_UNIT: Readonly<Record<string, number>> = {
  K: 1 / 1024,
  M: 1,
  '': 1,
  G: 1024,
  T: 1024 * 1024,
};

/** `4G` -> 4096, `512M` -> 512, `4000` -> 4000 (megabytes, as Slurm reads it), `1500K` -> 2 (rounded up). */
export function memoryMiB(memory: string): number | null {
  const m = MEMORY.exec(memory);
  if (!m) return null;
  const perUnit = MIB_PER_UNIT[m[2]!.toUpperCase()];
  return perUnit === undefined ? null : Math.ceil(Number(m[1]) * perUnit);
}

/**
 * Seconds of a Slurm-style time limit: `30` (minutes), `30:15` (min:sec),
 * `1:00:00` (h:min:sec), `2-12` (days-hours), `2-12:30`, `2-12:30:15`.
 * `UNLIMITED`/`INFINITE` -> null (no limit); an unreadable value -> NaN.
 */
export function timeLimitSeconds(limit: string): number | null {
  if (limit === 'UNLIMITED' || limit === 'INFINITE') return null;
  const m = /^(?:(\d{1,4})-)?(\d{1,6})(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(limit);
  if (!m) return Number.NaN;
  const [, days, a, b, c] = m;
  const n = (s: string | undefined): number => (s === undefined ? 0 : Number(s));
  if (days !== undefined) return n(days) * 86_400 + n(a) * 3_600 + n(b) * 60 + n(c);
  if (c !== undefined) return n(a) * 3_600 + n(b) * 60 + n(c);
  if (b !== undefined) return n(a) * 60 + n(b);
  return n(a) * 60;
}
