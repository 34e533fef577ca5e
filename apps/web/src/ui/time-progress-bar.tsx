import type { Job } from '@scripthut/core/domain';
import { useSyncExternalStore } from 'react';
import { slurmDuration, timeProgress } from '../format/time-progress';

/** One shared one-second clock for every bar on the page (a table shows dozens at once). */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let nowMs = Date.now();
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    nowMs = Date.now();
    for (const l of listeners) l();
  }, 1_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const currentMs = (): number => nowMs;

/**
 * Elapsed time of a running job against its limit, as an ARIA progressbar
 * (values in seconds, the text says it as a person would). Renders nothing
 * for jobs that are not running or have no finite limit; only running jobs
 * pay for the clock.
 */
export function TimeProgressBar({ job, testId }: { job: Job; testId?: string }) {
  if (timeProgress(job, Date.now()) === null) return null;
  return <RunningBar job={job} testId={testId} />;
}

function RunningBar({ job, testId }: { job: Job; testId: string | undefined }) {
  const now = useSyncExternalStore(subscribe, currentMs);
  const progress = timeProgress(job, Math.max(now, Date.now() - 1_000));
  if (!progress) return null;
  const percent = Math.round(progress.ratio * 100);
  const text = `${slurmDuration(progress.elapsedSeconds)} of ${slurmDuration(progress.limitSeconds)} (${percent}%)`;
  const tone = progress.ratio >= 0.9 ? 'danger' : progress.ratio >= 0.75 ? 'warning' : 'progress';
  return (
    <span
      className={`time-progress time-progress--${tone}`}
      role="progressbar"
      aria-label="Time used of the limit"
      aria-valuemin={0}
      aria-valuemax={progress.limitSeconds}
      aria-valuenow={progress.elapsedSeconds}
      aria-valuetext={text}
      title={text}
      data-testid={testId}
    >
      <span className="time-progress__fill" style={{ width: `${percent}%` }} />
    </span>
  );
}
