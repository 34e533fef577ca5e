import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTRPC } from '../api/trpc';
import { ErrorBlock } from './error-block';
import { NoTaskSources } from './no-task-sources';
import { dryRunPath, type TaskSourceInfo } from './queue-types';
import { RunProgress } from './run-progress';
import { useRunSource } from './use-run-source';

function TaskSourceCard({ source }: { source: TaskSourceInfo }) {
  const run = useRunSource();
  const headingId = `task-source-title-${source.name}`;
  return (
    <article
      className="task-source"
      aria-labelledby={headingId}
      data-testid={`task-source-${source.name}`}
    >
      <div className="task-source__main">
        <h3 id={headingId} className="task-source__name">
          {source.name}
        </h3>
        <p className="task-source__facts muted">
          on <strong>{source.cluster}</strong> · at most {source.maxConcurrent} at a time{' '}
          {!source.available && <span className="badge badge--warning">cluster unavailable</span>}
        </p>
        {source.description && <p className="task-source__description">{source.description}</p>}
      </div>
      <div className="task-source__actions">
        <Link
          className="button"
          to={dryRunPath(source.name)}
          data-testid={`dry-run-source-${source.name}`}
          aria-label={`Dry run ${source.name}`}
        >
          Dry run
        </Link>
        <button
          type="button"
          className="button button--primary"
          data-testid={`run-source-${source.name}`}
          aria-label={`Run ${source.name}`}
          disabled={run.isPending || !source.available}
          onClick={() => run.mutate({ name: source.name })}
        >
          {run.isPending ? 'Running…' : 'Run'}
        </button>
      </div>
      <code className="task-source__command" title={source.command}>
        {source.command}
      </code>
      {run.isPending && <RunProgress what="Running the task source command on the cluster…" />}
      {run.error && (
        <div className="task-source__error">
          <p>
            <strong>Nothing was submitted.</strong> {source.name} could not be run:
          </p>
          <ErrorBlock message={run.error.message} testId={`run-error-${source.name}`} />
        </div>
      )}
    </article>
  );
}

/** The configured task sources, each with Run and Dry run. */
export function TaskSourcesPanel() {
  const trpc = useTRPC();
  const sources = useQuery(trpc.taskSources.list.queryOptions());
  return (
    <section className="queues-section" aria-labelledby="task-sources-title">
      <h2 id="task-sources-title" className="section-title">
        Task sources
      </h2>
      {sources.isPending ? (
        <p className="muted" aria-busy="true">
          Loading task sources…
        </p>
      ) : sources.error ? (
        <ErrorBlock message={`Could not load the task sources: ${sources.error.message}`} />
      ) : sources.data.length === 0 ? (
        <NoTaskSources />
      ) : (
        <div className="task-source-list">
          {sources.data.map((s) => (
            <TaskSourceCard key={s.name} source={s} />
          ))}
        </div>
      )}
    </section>
  );
}
