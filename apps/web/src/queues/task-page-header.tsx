import { Link, NavLink } from 'react-router';
import { Badge } from '../ui/badge';
import { queuePath, taskPath, type QueueTask } from './queue-types';
import { taskBadge } from './task-badge';

const VIEWS = [
  { to: 'script', label: 'Script' },
  { to: 'logs/output', label: 'Output log' },
  { to: 'logs/error', label: 'Error log' },
] as const;

/** Back to the queue, the task and its state, and links between its script and logs. */
export function TaskPageHeader({
  queueId,
  taskId,
  task,
}: {
  queueId: string;
  taskId: string;
  task: QueueTask | undefined;
}) {
  const badge = task ? taskBadge(task.state, task.job) : null;
  const base = taskPath(queueId, taskId);
  return (
    <>
      <Link to={queuePath(queueId)} className="back-link">
        ← Queue {queueId}
      </Link>
      <div className="page-header">
        <h1>
          Task <span className="mono">{taskId}</span>
          {task && task.name !== taskId && <span className="muted"> · {task.name}</span>}
        </h1>
        {badge && (
          <Badge
            tone={badge.tone}
            label={badge.label}
            title={badge.title}
            testId={`task-status-${taskId}`}
          />
        )}
        {task?.job?.schedulerJobId && (
          <span className="page-header__meta">
            job <span className="mono">{task.job.schedulerJobId}</span> on {task.job.cluster}
          </span>
        )}
      </div>
      <nav className="view-tabs" aria-label="Task views">
        {VIEWS.map((v) => (
          <NavLink key={v.to} to={`${base}/${v.to}`} className="view-tabs__tab" end>
            {v.label}
          </NavLink>
        ))}
      </nav>
    </>
  );
}
