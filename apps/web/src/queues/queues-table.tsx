import { Link } from 'react-router';
import { DateTime } from '../ui/time-text';
import { CancelQueueButton } from './cancel-queue-button';
import { QueueProgress } from './queue-progress';
import { QueueStatusCell } from './queue-status-cell';
import { queuePath, type QueueCancelResult, type QueueSummary } from './queue-types';
import { isFinishedQueue } from './task-badge';

function QueueRow({
  queue,
  onCancelled,
}: {
  queue: QueueSummary;
  onCancelled: (result: QueueCancelResult) => void;
}) {
  return (
    <tr data-testid={`queue-row-${queue.id}`} data-status={queue.status}>
      <th scope="row" className="mono">
        <Link to={queuePath(queue.id)}>{queue.id}</Link>
      </th>
      <td>{queue.sourceName}</td>
      <td>{queue.cluster}</td>
      <td className="nowrap">
        <DateTime iso={queue.createdAt} />
      </td>
      <td className="queues-table__progress">
        <QueueProgress queue={queue} />
      </td>
      <td>
        <QueueStatusCell queue={queue} />
      </td>
      <td className="queues-table__actions">
        <div className="queues-table__buttons">
          <Link
            className="button button--small"
            to={queuePath(queue.id)}
            aria-label={`View queue ${queue.id}`}
          >
            View
          </Link>
          {!isFinishedQueue(queue.status) && (
            <CancelQueueButton
              queue={queue}
              small
              testId={`cancel-queue-${queue.id}`}
              onDone={onCancelled}
            />
          )}
        </div>
      </td>
    </tr>
  );
}

/** Every queue, newest first. Times are in the user's zone (UTC in the tooltip). */
export function QueuesTable({
  queues,
  onCancelled,
}: {
  queues: readonly QueueSummary[];
  onCancelled: (result: QueueCancelResult) => void;
}) {
  return (
    <div className="table-scroll">
      <table className="data-table queues-table" data-testid="queues-table">
        <caption className="visually-hidden">Queues, newest first</caption>
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Source</th>
            <th scope="col">Cluster</th>
            <th scope="col">Created</th>
            <th scope="col">Progress</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <QueueRow key={q.id} queue={q} onCancelled={onCancelled} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
