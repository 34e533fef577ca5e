import { progressSegments, progressText } from './progress-segments';
import type { QueueSummary } from './queue-types';

/** A bar with one segment per state group, and the counts in words (the bar is only a picture of them). */
export function QueueProgress({
  queue,
}: {
  queue: Pick<QueueSummary, 'id' | 'counts' | 'taskCount'>;
}) {
  const segments = progressSegments(queue.counts).filter((s) => s.count > 0);
  const text = progressText(queue.counts, queue.taskCount);
  const total = Math.max(1, queue.taskCount);
  return (
    <div className="queue-progress" data-testid={`queue-progress-${queue.id}`}>
      <div className="queue-progress__bar" aria-hidden="true">
        {segments.map((s) => (
          <span
            key={s.key}
            className={`queue-progress__segment tone--${s.tone}`}
            data-segment={s.key}
            style={{ flexGrow: s.count / total }}
            title={`${s.count} ${s.label}`}
          />
        ))}
      </div>
      <span className="queue-progress__text">{text}</span>
    </div>
  );
}
