import { useParams } from 'react-router';
import { LogViewer } from '../logs/log-viewer';
import type { LogKind } from '../logs/log-types';
import { useTaskLogSource } from '../logs/use-log-sources';
import { EmptyState } from '../ui/empty-state';
import { TaskPageHeader } from './task-page-header';
import { isFinishedTask } from './task-badge';
import { useQueueDetail } from './use-queue-detail';
import '../styles/queues.css';
import '../styles/scripts.css';

const isLogKind = (k: string): k is LogKind => k === 'output' || k === 'error';

function TaskLog({
  queueId,
  taskId,
  cluster,
  kind,
  running,
}: {
  queueId: string;
  taskId: string;
  cluster: string | null;
  kind: LogKind;
  running: boolean;
}) {
  const source = useTaskLogSource(queueId, taskId, kind);
  return (
    <LogViewer
      key={source.key}
      source={source}
      cluster={cluster}
      label={`${kind === 'output' ? 'Output' : 'Error'} log of task ${taskId}`}
      defaultFollow={running}
    />
  );
}

/** A task's output or error log; follows it live by default while the task has not finished. */
export function TaskLogPage() {
  const { id = '', taskId = '', kind = '' } = useParams();
  const { detail, isPending } = useQueueDetail(id);
  const task = detail?.tasks.find((t) => t.taskId === taskId);
  return (
    <div className="page page--wide">
      <title>{`${kind === 'error' ? 'Error' : 'Output'} log of ${taskId} · ScriptHut`}</title>
      <TaskPageHeader queueId={id} taskId={taskId} task={task} />
      {!isLogKind(kind) ? (
        <EmptyState title="No such log" testId="not-found">
          <p>
            A task has an <code>output</code> and an <code>error</code> log.
          </p>
        </EmptyState>
      ) : isPending ? (
        <p className="muted" aria-busy="true">
          Loading…
        </p>
      ) : (
        <TaskLog
          queueId={id}
          taskId={taskId}
          cluster={detail?.queue.cluster ?? null}
          kind={kind}
          running={task !== undefined && !isFinishedTask(task.state)}
        />
      )}
    </div>
  );
}
