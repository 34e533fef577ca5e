import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTRPC } from '../api/trpc';
import { CopyButton } from '../ui/copy-button';
import { ErrorBlock } from './error-block';
import { TaskPageHeader } from './task-page-header';
import { useQueueDetail } from './use-queue-detail';
import '../styles/queues.css';
import '../styles/scripts.css';

/** The job script of a task: the one submitted, or the one that will be. */
export function TaskScriptPage() {
  const { id = '', taskId = '' } = useParams();
  const trpc = useTRPC();
  const script = useQuery({
    ...trpc.queues.script.queryOptions({ queueId: id, taskId }),
    retry: false,
  });
  const task = useQueueDetail(id).detail?.tasks.find((t) => t.taskId === taskId);
  return (
    <div className="page">
      <title>{`Script of ${taskId} · ScriptHut`}</title>
      <TaskPageHeader queueId={id} taskId={taskId} task={task} />
      {script.isPending ? (
        <p className="muted" aria-busy="true">
          Loading script…
        </p>
      ) : script.error ? (
        <ErrorBlock message={script.error.message} />
      ) : (
        <section className="script-view" aria-label="Job script">
          <div className="script-view__toolbar">
            <span className="muted">
              {task && task.job ? 'Submitted as:' : 'Will be submitted as:'}
            </span>
            <CopyButton text={script.data.script} label="Copy script" />
          </div>
          <pre
            className="code-block script-block selectable"
            tabIndex={0}
            aria-label={`Job script of task ${taskId}`}
            data-testid="task-script"
          >
            {script.data.script}
          </pre>
        </section>
      )}
    </div>
  );
}
