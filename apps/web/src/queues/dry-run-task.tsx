import { CopyButton } from '../ui/copy-button';
import type { DryRunTask } from './queue-types';

/** One task of a dry run: what it asks for, and (collapsible) the exact job script. */
export function DryRunTaskCard({ task, open }: { task: DryRunTask; open: boolean }) {
  const s = task.submit;
  return (
    <details className="dry-run-task" open={open} data-testid={`dry-run-task-${task.taskId}`}>
      <summary className="dry-run-task__summary">
        <span className="mono dry-run-task__id">{task.taskId}</span>
        <span className="dry-run-task__name">{task.name}</span>
        <span className="dry-run-task__facts muted">
          {s.partition ?? 'default partition'} · {s.cpus} CPU · {s.memory} · {s.timeLimit}
        </span>
      </summary>
      <div className="dry-run-task__body">
        <div className="dry-run-task__toolbar">
          <span className="muted">
            Runs in <span className="mono">{s.workingDir}</span>; output to{' '}
            <span className="mono">{s.stdoutPath}</span>
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
