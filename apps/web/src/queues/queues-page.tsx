import { useState } from 'react';
import { EmptyState } from '../ui/empty-state';
import { CancelOutcome } from './cancel-outcome';
import { ErrorBlock } from './error-block';
import type { QueueCancelResult } from './queue-types';
import { QueuesTable } from './queues-table';
import { TaskSourcesPanel } from './task-sources-panel';
import { useQueues } from './use-queues';
import '../styles/queues.css';

export function QueuesPage() {
  const { queues, error, isPending } = useQueues();
  const [cancelled, setCancelled] = useState<QueueCancelResult | null>(null);
  return (
    <div className="page page--wide">
      <title>Queues · ScriptHut</title>
      <div className="page-header">
        <h1>Queues</h1>
        <p className="page-header__meta">
          Run a task source to turn its tasks into a queue that feeds its cluster.
        </p>
      </div>
      <TaskSourcesPanel />
      <section className="queues-section" aria-labelledby="queues-title">
        <h2 id="queues-title" className="section-title">
          Queues
        </h2>
        {cancelled && <CancelOutcome result={cancelled} />}
        {isPending ? (
          <p className="muted" aria-busy="true">
            Loading queues…
          </p>
        ) : error ? (
          <ErrorBlock message={`Could not load the queues: ${error.message}`} />
        ) : !queues || queues.length === 0 ? (
          <EmptyState title="No queues yet" testId="no-queues">
            <p>Run a task source to create one.</p>
          </EmptyState>
        ) : (
          <QueuesTable queues={queues} onCancelled={setCancelled} />
        )}
      </section>
    </div>
  );
}
