import { Link } from 'react-router';
import { Badge } from '../ui/badge';
import { DateTime } from '../ui/time-text';
import { originWords } from './attempt-words';
import { progressText } from './progress-segments';
import { queuePath, type QueueDetail } from './queue-types';
import { QUEUE_STATUS_BADGES } from './task-badge';

/** Every attempt of the queue's family, this one marked, and the family's result counting each task's latest attempt. */
export function QueueAttempts({ detail }: { detail: QueueDetail }) {
  if (detail.attempts.length < 2) return null;
  const total = Object.values(detail.counted).reduce((n, c) => n + c, 0);
  return (
    <section
      aria-labelledby="attempts-title"
      className="queues-section"
      data-testid="queue-attempts"
    >
      <h2 id="attempts-title" className="section-title">
        Attempts <span className="muted">({detail.attempts.length})</span>
      </h2>
      <ol className="attempt-list">
        {detail.attempts.map((a) => {
          const badge = QUEUE_STATUS_BADGES[a.status];
          const here = a.id === detail.queue.id;
          return (
            <li
              key={a.id}
              data-testid={`attempt-${a.attempt}`}
              data-status={a.status}
              aria-current={here ? 'page' : undefined}
            >
              {here ? (
                <strong>Attempt {a.attempt}</strong>
              ) : (
                <Link to={queuePath(a.id)}>Attempt {a.attempt}</Link>
              )}{' '}
              <span className="mono">{a.id}</span>{' '}
              <Badge tone={badge.tone} label={badge.label} title={badge.title} /> {a.taskCount}{' '}
              task(s) · {originWords(a.origin)} · <DateTime iso={a.createdAt} seconds />
            </li>
          );
        })}
      </ol>
      <p className="muted" data-testid="counted-progress">
        Counting each task’s latest attempt: {progressText(detail.counted, total)}
      </p>
    </section>
  );
}
