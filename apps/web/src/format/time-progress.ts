import type { Job } from '@scripthut/core/domain';
import { slurmTimeToSeconds } from '../jobs/job-query';

export interface TimeProgress {
  elapsedSeconds: number;
  limitSeconds: number;
  /** 0..1, capped at 1. */
  ratio: number;
}

/**
 * How far a running job is into its time limit. The scheduler's time used
 * was read at the last poll (`lastSeen`), so the time since then is added;
 * null for jobs that are not running or have no finite limit.
 */
export function timeProgress(
  job: Pick<Job, 'state' | 'timeUsed' | 'timeLimit' | 'lastSeen'>,
  nowMs: number,
): TimeProgress | null {
  if (job.state !== 'running') return null;
  const limitSeconds = slurmTimeToSeconds(job.timeLimit);
  const used = slurmTimeToSeconds(job.timeUsed);
  if (limitSeconds === null || !Number.isFinite(limitSeconds) || limitSeconds <= 0 || used === null)
    return null;
  const seenMs = job.lastSeen === null ? Number.NaN : Date.parse(job.lastSeen);
  const sinceSeconds = Number.isNaN(seenMs) ? 0 : Math.max(0, (nowMs - seenMs) / 1000);
  const elapsedSeconds = Math.min(limitSeconds, Math.floor(used + sinceSeconds));
  return { elapsedSeconds, limitSeconds, ratio: elapsedSeconds / limitSeconds };
}

/** `[D-]H:MM:SS` or `M:SS`, as Slurm prints durations. */
export function slurmDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  if (days > 0) return `${days}-${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
