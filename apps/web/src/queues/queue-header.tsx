import { DateTime } from '../ui/time-text';
import { CancelQueueButton } from './cancel-queue-button';
import { QueueProgress } from './queue-progress';
import { QueueStatusCell } from './queue-status-cell';
import type { QueueCancelResult, QueueSummary } from './queue-types';
import { isFinishedQueue } from './task-badge';

export function QueueHeader({
  queue,
  onCancelled,
}: {
  queue: QueueSummary;
  onCancelled: (result: QueueCancelResult) => void;
}) {
  const commit = queue.sourceCommit;
  return (
    <>
      <div className="detail-header">
        <div className="detail-header__title">
          <h1 className="detail-header__name">
            Queue <span className="mono">{queue.id}</span>
          </h1>
          <p className="detail-header__sub muted">
            <strong>{queue.sourceName}</strong> on <strong>{queue.cluster}</strong> · created{' '}
            <DateTime iso={queue.createdAt} seconds />
            {queue.maxConcurrent !== null && <> · at most {queue.maxConcurrent} at a time</>}
            {commit && (
              <>
                {' '}
                · commit <span className="mono selectable">{commit.slice(0, 12)}</span>
              </>
            )}
          </p>
        </div>
        <div className="detail-header__state">
          <QueueStatusCell queue={queue} testId="queue-status" />
          {queue.cancelledAt && (
            <span className="muted">
              {' '}
              cancelled <DateTime iso={queue.cancelledAt} seconds />
            </span>
          )}
        </div>
        <div className="detail-header__actions">
          {!isFinishedQueue(queue.status) && (
            <CancelQueueButton queue={queue} testId="cancel-queue" onDone={onCancelled} />
          )}
        </div>
      </div>
      <QueueProgress queue={queue} />
      {queue.blockedReason && (
        <div className="alert alert--warning" role="status" data-testid="queue-blocked">
          <strong>Not progressing:</strong>{' '}
          <span className="selectable">{queue.blockedReason}</span>
        </div>
      )}
      {queue.error && (
        <pre className="code-block code-block--inline error-block" role="alert">
          {queue.error}
        </pre>
      )}
    </>
  );
}
