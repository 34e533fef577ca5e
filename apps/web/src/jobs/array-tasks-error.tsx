import type { Job } from '@scripthut/core/domain';
import type { ArrayTasksProblem } from './use-array-tasks';

/** An array's task list could not be fetched: what the server said, and a button to fetch it again. */
export function ArrayTasksError({ array, problem }: { array: Job; problem: ArrayTasksProblem }) {
  const id = array.schedulerJobId ?? array.id;
  return (
    <div
      className="alert alert--danger array-tasks-error"
      role="alert"
      data-testid={`array-tasks-error-${array.id}`}
    >
      <span>
        Could not load the tasks of array <span className="mono">{id}</span>: {problem.message}
      </span>{' '}
      <button
        type="button"
        className="button button--small"
        data-testid="array-tasks-retry"
        disabled={problem.retrying}
        onClick={problem.retry}
      >
        {problem.retrying ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
