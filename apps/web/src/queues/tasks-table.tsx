import type { ClusterKind } from '@scripthut/core/domain';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { hasDefaultPartition, partitionLabel } from '../format/cluster-words';
import type { QueueTask, TaskCancelOutcome } from './queue-types';
import { TaskRow } from './task-row';

const OUTCOME_WORDS = {
  cancelled: 'cancelled; it will not be submitted',
  cancel_requested: 'cancel requested from the scheduler; the state changes when it confirms',
  already_finished: 'had already finished',
  failed: 'could not be cancelled',
} as const satisfies Record<TaskCancelOutcome['result'], string>;

/** Must match `--task-row-height` in queues.css: rows are fixed-height so thousands virtualize without measuring. */
export const TASK_ROW_HEIGHT_PX = 44;
/** Columns without the Attempts one (shown when the queue has several attempts). */
const COLUMN_COUNT = 10;

/**
 * The queue's tasks in queue order. Times are in the user's zone (UTC in the
 * tooltip). A table over a virtual list, as the jobs table: only the rows in
 * view (and a few around them) are in the DOM, between two spacer rows that
 * keep the scroll height of all of them; `aria-rowcount` and
 * `aria-rowindex` give the real size and position.
 */
export function TasksTable({
  queueId,
  owner,
  kind,
  tasks,
  showAttempts = false,
}: {
  queueId: string;
  /** The queue's owner (null: the shared account). */
  owner: string | null;
  /** The queue's cluster kind; null while unknown (or the cluster was removed). */
  kind: ClusterKind | null;
  tasks: readonly QueueTask[];
  showAttempts?: boolean;
}) {
  const [outcome, setOutcome] = useState<TaskCancelOutcome | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tasks.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TASK_ROW_HEIGHT_PX,
    overscan: 10,
    scrollPaddingStart: TASK_ROW_HEIGHT_PX,
  });
  const items = virtualizer.getVirtualItems();
  const above = items[0]?.start ?? 0;
  const below = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
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
      {/* Focusable, so the keyboard scrolls it (rows out of view are not in the tab order). */}
      <div
        className="table-scroll tasks-table__scroll"
        ref={scrollRef}
        tabIndex={0}
        role="region"
        aria-labelledby="tasks-title"
        data-testid="tasks-scroll"
      >
        <table
          className="data-table tasks-table"
          data-testid="tasks-table"
          aria-rowcount={tasks.length + 1}
        >
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">Task ID</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              {showAttempts && <th scope="col">Attempts</th>}
              <th scope="col">Job ID</th>
              <th scope="col">{partitionLabel(kind)}</th>
              <th scope="col">Resources</th>
              <th scope="col" className="tasks-table__time">
                Submitted
              </th>
              <th scope="col" className="tasks-table__time">
                Started
              </th>
              <th scope="col" className="tasks-table__time">
                Finished
              </th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            <SpacerRow heightPx={above} columns={COLUMN_COUNT + (showAttempts ? 1 : 0)} />
            {items.map((item) => {
              const task = tasks[item.index];
              if (!task) return null;
              return (
                <TaskRow
                  key={task.taskId}
                  queueId={queueId}
                  owner={owner}
                  task={task}
                  rowIndex={item.index + 2}
                  defaultPartition={hasDefaultPartition(kind)}
                  showAttempts={showAttempts}
                  onCancelled={setOutcome}
                />
              );
            })}
            <SpacerRow heightPx={below} columns={COLUMN_COUNT + (showAttempts ? 1 : 0)} />
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Stands for the rows scrolled out of the DOM; nothing when there are none. */
function SpacerRow({ heightPx, columns }: { heightPx: number; columns: number }) {
  if (heightPx <= 0) return null;
  return (
    <tr className="tasks-table__spacer" aria-hidden="true" style={{ height: heightPx }}>
      <td colSpan={columns} />
    </tr>
  );
}
