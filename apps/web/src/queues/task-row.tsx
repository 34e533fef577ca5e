import { Link } from 'react-router';
import { NO_VALUE } from '../format/time';
import { jobPath } from '../jobs/job-columns';
import { Badge } from '../ui/badge';
import { DateTime } from '../ui/time-text';
import { CancelTaskButton } from './cancel-task-button';
import { taskPath, type QueueTask, type TaskCancelOutcome } from './queue-types';
import { TaskAttempts } from './task-attempts';
import { isFinishedTask, taskBadge } from './task-badge';

export function TaskRow({
  queueId,
  owner,
  task,
  rowIndex,
  defaultPartition,
  showAttempts,
  onCancelled,
}: {
  queueId: string;
  /** The queue's owner (null: the shared account). */
  owner: string | null;
  task: QueueTask;
  /** Position in the whole table, the header being row 1 (`aria-rowindex`). */
  rowIndex: number;
  /** The queue's family has more than one attempt. */
  showAttempts: boolean;
  /** The cluster has a default partition (Slurm) that an absent one stands for. */
  defaultPartition: boolean;
  onCancelled: (outcome: TaskCancelOutcome) => void;
}) {
  const { job, submit } = task;
  const badge = taskBadge(task.state, job, { reason: task.reason, dependsOn: task.dependsOn });
  const base = taskPath(queueId, task.taskId);
  const partition = job?.partition ?? submit.partition;
  return (
    <tr data-testid={`task-row-${task.taskId}`} data-state={task.state} aria-rowindex={rowIndex}>
      <th scope="row" className="mono">
        {task.taskId}
      </th>
      <td className="tasks-table__name" title={task.name}>
        {task.name}
      </td>
      <td>
        <Badge
          tone={badge.tone}
          label={badge.label}
          title={badge.title}
          testId={`task-status-${task.taskId}`}
        />
        {task.reason && (
          <span className="task-reason muted" data-testid={`task-reason-${task.taskId}`}>
            {task.reason}
          </span>
        )}
      </td>
      {showAttempts && (
        <td>
          <TaskAttempts task={task} queueId={queueId} />
        </td>
      )}
      <td className="mono">
        {job?.schedulerJobId ? (
          <Link to={jobPath(job)} aria-label={`Job ${job.schedulerJobId} of task ${task.taskId}`}>
            {job.schedulerJobId}
          </Link>
        ) : (
          <span className="muted">{NO_VALUE}</span>
        )}
      </td>
      <td>
        {partition ?? <span className="muted">{defaultPartition ? 'default' : NO_VALUE}</span>}
      </td>
      <td className="nowrap">
        {submit.cpus} CPU · {submit.memory} · {submit.timeLimit}
      </td>
      <td className="nowrap" data-testid={`task-submitted-${task.taskId}`}>
        <DateTime iso={job?.submitTime ?? null} seconds />
      </td>
      <td className="nowrap" data-testid={`task-started-${task.taskId}`}>
        <DateTime iso={job?.startTime ?? null} seconds />
      </td>
      <td className="nowrap">
        <DateTime iso={job?.finishTime ?? null} seconds />
      </td>
      <td className="tasks-table__actions">
        <Link to={`${base}/script`} aria-label={`Script of task ${task.taskId}`}>
          Script
        </Link>
        <Link to={`${base}/logs/output`} aria-label={`Output log of task ${task.taskId}`}>
          Output
        </Link>
        <Link to={`${base}/logs/error`} aria-label={`Error log of task ${task.taskId}`}>
          Error
        </Link>
        {!isFinishedTask(task.state) && (
          <CancelTaskButton queueId={queueId} owner={owner} task={task} onDone={onCancelled} />
        )}
      </td>
    </tr>
  );
}
