import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useClusterKind } from '../clusters/use-cluster-kind';
import { EmptyState } from '../ui/empty-state';
import { CancelOutcome } from './cancel-outcome';
import { QueueEfficiency } from './queue-efficiency';
import { DependencyView } from './dependency-view';
import { QueueAttempts } from './queue-attempts';
import { QueueHeader } from './queue-header';
import type { QueueCancelResult } from './queue-types';
import { TasksTable } from './tasks-table';
import { useQueueDetail } from './use-queue-detail';
import '../styles/detail.css';
import '../styles/queues.css';
import '../styles/attempts.css';

export function QueueDetailPage() {
  const { id = '' } = useParams();
  const { detail, error, notFound, isPending } = useQueueDetail(id);
  const [cancelled, setCancelled] = useState<QueueCancelResult | null>(null);
  const kind = useClusterKind(detail?.queue.cluster);

  return (
    <div className="page page--wide">
      <title>{`Queue ${id} · ScriptHut`}</title>
      <Link to="/queues" className="back-link">
        ← All queues
      </Link>
      {detail ? (
        <div data-testid="queue-detail">
          <QueueHeader detail={detail} onCancelled={setCancelled} />
          {cancelled && <CancelOutcome result={cancelled} />}
          <QueueEfficiency queueId={detail.queue.id} tasks={detail.tasks} />
          <QueueAttempts detail={detail} />
          <DependencyView tasks={detail.tasks} />
          <TasksTable
            queueId={detail.queue.id}
            owner={detail.queue.owner}
            kind={kind}
            tasks={detail.tasks}
            showAttempts={detail.attempts.length > 1}
          />
        </div>
      ) : isPending ? (
        <p className="muted" aria-busy="true">
          Loading queue…
        </p>
      ) : (
        <EmptyState
          title={notFound ? 'Queue not found' : 'Could not load this queue'}
          testId="queue-not-found"
        >
          <p className="selectable">
            {notFound ? (
              <>
                No queue with id <code>{id}</code>. Finished queues are removed from the history
                after the retention period.
              </>
            ) : (
              error?.message
            )}
          </p>
        </EmptyState>
      )}
    </div>
  );
}
