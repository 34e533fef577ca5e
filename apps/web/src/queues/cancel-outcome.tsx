import type { QueueCancelResult, TaskCancelOutcome } from './queue-types';

const RESULT_WORDS = {
  cancelled: 'cancelled before submission',
  cancel_requested: 'cancel requested from the scheduler',
  already_finished: 'already finished',
  failed: 'could not be cancelled',
} as const satisfies Record<TaskCancelOutcome['result'], string>;

/** What cancelling a queue did to each task, grouped, with every refusal in full. */
export function CancelOutcome({ result }: { result: QueueCancelResult }) {
  const groups = (Object.keys(RESULT_WORDS) as TaskCancelOutcome['result'][])
    .map((key) => ({ key, tasks: result.tasks.filter((t) => t.result === key) }))
    .filter((g) => g.tasks.length > 0);
  const failures = result.tasks.filter((t) => t.result === 'failed');
  return (
    <section
      className={`cancel-outcome${failures.length > 0 ? ' cancel-outcome--partial' : ''}`}
      role="status"
      data-testid="cancel-queue-outcome"
    >
      <p>
        <strong>Queue {result.queueId} cancelled:</strong>{' '}
        {groups.length === 0
          ? 'it had no tasks.'
          : groups.map((g) => `${g.tasks.length} ${RESULT_WORDS[g.key]}`).join(' · ')}
      </p>
      {failures.length > 0 && (
        <ul className="cancel-outcome__failures">
          {failures.map((t) => (
            <li key={t.taskId}>
              <span className="mono">{t.taskId}</span>
              {t.schedulerJobId && <> (job {t.schedulerJobId})</>}:{' '}
              <span className="selectable">{t.message ?? 'no message'}</span>
            </li>
          ))}
        </ul>
      )}
      {result.tasks.some((t) => t.result === 'cancel_requested') && (
        <p className="muted">
          Cancelled jobs show their final state when the scheduler confirms it.
        </p>
      )}
    </section>
  );
}
