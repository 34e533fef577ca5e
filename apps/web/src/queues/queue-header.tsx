import { Link } from 'react-router';
import { DateTime } from '../ui/time-text';
import { originWords } from './attempt-words';
import { CancelQueueButton } from './cancel-queue-button';
import { QueueProgress } from './queue-progress';
import { QueueStatusCell } from './queue-status-cell';
import { queuePath, type QueueCancelResult, type QueueDetail } from './queue-types';
import { RerunQueueButton } from './rerun-queue-button';
import { RetryQueueButton } from './retry-queue-button';
import { isFinishedQueue } from './task-badge';

export function QueueHeader({
  detail,
  onCancelled,
}: {
  detail: QueueDetail;
  onCancelled: (result: QueueCancelResult) => void;
}) {
  const { queue } = detail;
  const commit = queue.sourceCommit;
  // A new attempt may start only once every attempt of the family has finished.
  const running = detail.attempts.find((a) => !isFinishedQueue(a.status) && a.id !== queue.id);
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
          {queue.attempt > 1 && (
            <p className="detail-header__sub muted" data-testid="queue-origin">
              Attempt {queue.attempt} of queue{' '}
              <Link to={queuePath(queue.originalId)} className="mono">
                {queue.originalId}
              </Link>
              : {originWords(queue.origin)}
            </p>
          )}
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
          {isFinishedQueue(queue.status) &&
            (running ? (
              <Link to={queuePath(running.id)} className="muted" data-testid="attempt-running">
                Attempt {running.attempt} is running
              </Link>
            ) : (
              <>
                <RetryQueueButton detail={detail} />
                <RerunQueueButton detail={detail} />
              </>
            ))}
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
