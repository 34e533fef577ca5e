import { RETRY_STATE_WORDS } from '@scripthut/core/domain';
import { Link } from 'react-router';
import { queuePath, type QueueTask } from './queue-types';

type Attempt = QueueTask['attempts'][number];

const TONES: Partial<Record<Attempt['state'], string>> = {
  completed: 'success',
  failed: 'danger',
  unknown: 'danger',
  cancelled: 'warning',
  skipped: 'neutral',
};

const word = (a: Attempt): string => (a.retryState ? RETRY_STATE_WORDS[a.retryState] : a.state);

/** One chip per attempt of the task, each linking to its queue; the one that counts is marked. */
export function TaskAttempts({ task, queueId }: { task: QueueTask; queueId: string }) {
  return (
    <span className="attempt-chips" data-testid={`task-attempts-${task.taskId}`}>
      {task.attempts.map((a) => {
        const label = `#${a.attempt} ${word(a)}`;
        const title = `Attempt ${a.attempt}: ${a.ended ?? a.state}${a.counts ? ' — this attempt counts' : ''}`;
        const className = `attempt-chip tone--${TONES[a.state] ?? 'progress'}${a.counts ? ' attempt-chip--counts' : ''}`;
        return a.queueId === queueId ? (
          <span key={a.queueId} className={className} title={title} data-counts={a.counts}>
            {label}
          </span>
        ) : (
          <Link
            key={a.queueId}
            to={queuePath(a.queueId)}
            className={className}
            title={title}
            data-counts={a.counts}
          >
            {label}
          </Link>
        );
      })}
    </span>
  );
}
