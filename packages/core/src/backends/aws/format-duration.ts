/** Seconds as Slurm prints durations: `M:SS`, `H:MM:SS`, `D-HH:MM:SS`; null for a negative or unknown value. */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (days > 0) return `${days}-${two(h)}:${two(m)}:${two(sec)}`;
  if (h > 0) return `${h}:${two(m)}:${two(sec)}`;
  return `${m}:${two(sec)}`;
}

/** ISO-8601 UTC of a millisecond epoch (Batch, Logs) or a Date (ECS); null when absent. */
export function isoTime(t: number | Date | null | undefined): string | null {
  if (t === null || t === undefined) return null;
  const d = typeof t === 'number' ? new Date(t) : t;
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
