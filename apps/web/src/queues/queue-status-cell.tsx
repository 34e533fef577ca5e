import { Badge } from '../ui/badge';
import type { QueueSummary } from './queue-types';
import { QUEUE_STATUS_BADGES } from './task-badge';

/** The queue's status, plus a marker when it is not progressing (the reason in full in its tooltip). */
export function QueueStatusCell({
  queue,
  testId,
}: {
  queue: Pick<QueueSummary, 'status' | 'blockedReason' | 'error' | 'ending'>;
  testId?: string;
}) {
  const badge = QUEUE_STATUS_BADGES[queue.status];
  return (
    <span className="state-cell">
      <Badge
        tone={badge.tone}
        label={badge.label}
        title={queue.ending ? `${badge.title ?? badge.label}: ${queue.ending}` : badge.title}
        testId={testId}
      />
      {queue.blockedReason && (
        <span className="blocked-marker" title={queue.blockedReason}>
          blocked
        </span>
      )}
      {queue.error && (
        <span className="blocked-marker" title={queue.error}>
          error
        </span>
      )}
    </span>
  );
}
