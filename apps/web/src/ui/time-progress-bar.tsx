import type { Job } from '@scripthut/core/domain';
import { slurmDuration, timeProgress } from '../format/time-progress';
import { useNow } from './use-now';

/**
 * Elapsed time of a running job against its limit, as an ARIA progressbar
 * (values in seconds, the text says it as a person would). Renders nothing
 * for jobs that are not running or have no finite limit.
 */
export function TimeProgressBar({ job, testId }: { job: Job; testId?: string }) {
  const now = useNow(1_000);
  const progress = timeProgress(job, now);
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
