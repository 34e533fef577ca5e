import type { ClusterKind } from '@scripthut/core/domain';
import { hasDefaultPartition } from '../format/cluster-words';
import { CopyButton } from '../ui/copy-button';
import type { DryRunTask } from './queue-types';

/** One task of a dry run: what it asks for, and (collapsible) the exact job script. */
export function DryRunTaskCard({
  task,
  kind,
  open,
}: {
  task: DryRunTask;
  kind: ClusterKind | null;
  open: boolean;
}) {
  const s = task.submit;
  const partition = s.partition ?? (hasDefaultPartition(kind) ? 'default partition' : null);
  return (
    <details className="dry-run-task" open={open} data-testid={`dry-run-task-${task.taskId}`}>
      <summary className="dry-run-task__summary">
        <span className="mono dry-run-task__id">{task.taskId}</span>
        <span className="dry-run-task__name">{task.name}</span>
        <span className="dry-run-task__facts muted">
          {partition && `${partition} · `}
          {s.cpus} CPU · {s.memory} · {s.timeLimit}
          {task.spec.depends_on.length > 0 && ` · after ${task.spec.depends_on.join(', ')}`}
        </span>
      </summary>
      <div className="dry-run-task__body">
        <div className="dry-run-task__toolbar">
          <span className="muted">
            {s.workingDir && (
              <>
                Runs in <span className="mono">{s.workingDir}</span>
                {s.stdoutPath ? '; ' : ''}
              </>
            )}
            {s.stdoutPath && (
              <>
                output to <span className="mono">{s.stdoutPath}</span>
              </>
            )}
          </span>
          <CopyButton text={task.script} label="Copy script" />
        </div>
        <pre
          className="code-block script-block selectable"
          tabIndex={0}
          aria-label={`Job script of task ${task.taskId}`}
          data-testid={`dry-run-script-${task.taskId}`}
        >
          {task.script}
        </pre>
      </div>
    </details>
  );
}
