import { useState } from 'react';
import { useClusterKind } from '../clusters/use-cluster-kind';
import { hasDefaultPartition, partitionLabel } from '../format/cluster-words';
import type { QueueTask, TaskCancelOutcome } from './queue-types';
import { TaskRow } from './task-row';

const OUTCOME_WORDS = {
  cancelled: 'cancelled; it will not be submitted',
  cancel_requested: 'cancel requested from the scheduler; the state changes when it confirms',
  already_finished: 'had already finished',
  failed: 'could not be cancelled',
} as const satisfies Record<TaskCancelOutcome['result'], string>;

/** The queue's tasks in queue order. Times are in the user's zone (UTC in the tooltip). */
export function TasksTable({
  queueId,
  cluster,
  tasks,
  showAttempts = false,
}: {
  queueId: string;
  cluster: string;
  tasks: readonly QueueTask[];
  showAttempts?: boolean;
}) {
  const [outcome, setOutcome] = useState<TaskCancelOutcome | null>(null);
  const kind = useClusterKind(cluster);
  return (
    <section aria-labelledby="tasks-title" className="queues-section">
      <h2 id="tasks-title" className="section-title">
        Tasks <span className="muted">({tasks.length})</span>
      </h2>
      {outcome && (
        <p
          className={outcome.result === 'failed' ? 'alert alert--danger' : 'notice'}
          role="status"
          data-testid="cancel-task-outcome"
        >
          Task <span className="mono">{outcome.taskId}</span> {OUTCOME_WORDS[outcome.result]}
          {outcome.message && (
            <>
              : <span className="selectable">{outcome.message}</span>
            </>
          )}
        </p>
      )}
      <div className="table-scroll">
        <table className="data-table tasks-table" data-testid="tasks-table">
          <thead>
            <tr>
              <th scope="col">Task ID</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              {showAttempts && <th scope="col">Attempts</th>}
              <th scope="col">Job ID</th>
              <th scope="col">{partitionLabel(kind)}</th>
              <th scope="col">Resources</th>
              <th scope="col">Submitted</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t) => (
              <TaskRow
                key={t.taskId}
                queueId={queueId}
                task={t}
                defaultPartition={hasDefaultPartition(kind)}
                showAttempts={showAttempts}
                onCancelled={setOutcome}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
