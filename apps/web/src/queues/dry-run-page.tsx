import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTRPC } from '../api/trpc';
import { useClusterKind } from '../clusters/use-cluster-kind';
import { DryRunTaskCard } from './dry-run-task';
import { ErrorBlock } from './error-block';
import { RunProgress } from './run-progress';
import { useRunSource } from './use-run-source';
import '../styles/queues.css';
import '../styles/scripts.css';

/** Tasks expanded at first; more would make a long page, so the rest start collapsed. */
const OPEN_AT_FIRST = 3;

/** The job scripts a run would submit. Nothing is submitted or written until "Run" is clicked. */
export function DryRunPage() {
  const { name = '' } = useParams();
  const trpc = useTRPC();
  const dry = useQuery({
    ...trpc.taskSources.dryRun.queryOptions({ name }),
    retry: false,
    staleTime: 0,
  });
  const run = useRunSource();
  const count = dry.data?.taskCount ?? 0;
  const kind = useClusterKind(dry.data?.cluster);

  return (
    <div className="page" data-testid="dry-run">
      <title>{`Dry run of ${name} · ScriptHut`}</title>
      <Link to="/queues" className="back-link">
        ← Queues
      </Link>
      <div className="page-header">
        <h1>
          Dry run of <span className="mono">{name}</span>
        </h1>
        {dry.data && (
          <p className="page-header__meta">
            {count} task(s) for <strong>{dry.data.cluster}</strong> ·{' '}
            {dry.data.home && (
              <>
                <code>~</code> is <span className="mono">{dry.data.home}</span> ·{' '}
              </>
            )}
            nothing has been submitted
          </p>
        )}
      </div>
      {dry.isFetching && <RunProgress what="Running the task source command on the cluster…" />}
      {dry.error && (
        <>
          <p>
            <strong>The task source cannot be run as it is.</strong> Nothing was submitted.
          </p>
          <ErrorBlock message={dry.error.message} testId="dry-run-error" />
          <button type="button" className="button" onClick={() => void dry.refetch()}>
            Try again
          </button>
        </>
      )}
      {dry.data && (
        <>
          <div className="dry-run-actions">
            <button
              type="button"
              className="button button--primary"
              data-testid="run-dry-run"
              disabled={run.isPending}
              onClick={() => run.mutate({ name })}
            >
              {run.isPending ? 'Running…' : `Run these ${count} tasks`}
            </button>
            <button
              type="button"
              className="button"
              disabled={dry.isFetching}
              onClick={() => void dry.refetch()}
            >
              Dry run again
            </button>
            <span className="muted">
              Running executes the command again and queues the tasks it prints then.
            </span>
          </div>
          {run.isPending && <RunProgress what="Running the task source and creating the queue…" />}
          {run.error && <ErrorBlock message={run.error.message} testId="run-error" />}
          <div className="dry-run-tasks">
            {dry.data.tasks.map((task, i) => (
              <DryRunTaskCard key={task.taskId} task={task} kind={kind} open={i < OPEN_AT_FIRST} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
