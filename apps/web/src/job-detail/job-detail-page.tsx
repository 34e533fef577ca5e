import type { Job } from '@scripthut/core/domain';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTRPC } from '../api/trpc';
import { isTerminalState } from '../format/job-badge';
import { StateCell } from '../jobs/job-columns';
import { useClusterKind } from '../clusters/use-cluster-kind';
import { JobLogs } from '../logs/job-logs';
import { EmptyState } from '../ui/empty-state';
import { ArrayTasks } from './array-tasks';
import { BackLink } from './back-link';
import { CancelJobButton } from './cancel-job-button';
import { JobEfficiency } from './job-efficiency';
import { JobFacts } from './job-facts';
import '../styles/detail.css';

/** The job fetched by id; stream events patch it in the cache as polls arrive (job-cache-sync.ts). */
function useJob(id: string): {
  job: Job | undefined;
  loading: boolean;
  missing: boolean;
  error: string | null;
} {
  const trpc = useTRPC();
  const fetched = useQuery({
    ...trpc.jobs.get.queryOptions({ id }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const notFound = fetched.error?.data?.code === 'NOT_FOUND';
  return {
    job: notFound ? undefined : fetched.data,
    loading: fetched.isPending,
    missing: notFound,
    error: fetched.error && !notFound ? fetched.error.message : null,
  };
}

export function JobDetailPage() {
  const { id = '' } = useParams();
  const { job, loading, missing, error } = useJob(id);
  const kind = useClusterKind(job?.cluster);

  if (!job) {
    return (
      <div className="page">
        <BackLink />
        {loading ? (
          <p className="muted" aria-busy="true">
            Loading job…
          </p>
        ) : (
          <EmptyState
            title={missing ? 'Job not found' : 'Could not load this job'}
            testId="job-not-found"
          >
            <p>
              {missing ? (
                <>
                  No job with id <code>{id}</code>. It may have been removed from the history.
                </>
              ) : (
                error
              )}
            </p>
          </EmptyState>
        )}
      </div>
    );
  }

  const isArray = job.arrayCounts !== null;
  return (
    <div className="page" data-testid="job-detail">
      <title>{`${job.name} · ScriptHut`}</title>
      <BackLink />
      <div className="detail-header">
        <div className="detail-header__title">
          <h1 className="detail-header__name">{job.name}</h1>
          <p className="detail-header__sub muted">
            {isArray && 'Array '}
            <span className="mono">{job.schedulerJobId ?? 'not submitted yet'}</span> on{' '}
            {job.cluster} · {job.user}
          </p>
        </div>
        <div className="detail-header__state" data-testid="job-state">
          <StateCell job={job} />
        </div>
        <div className="detail-header__actions">
          {!isTerminalState(job.state) && job.schedulerJobId && <CancelJobButton job={job} />}
        </div>
      </div>
      <JobFacts job={job} kind={kind} />
      {job.efficiency && (
        <div className="detail-grid">
          <JobEfficiency job={job} />
        </div>
      )}
      {isArray ? (
        <ArrayTasks array={job} />
      ) : (
        <section className="detail-card" aria-labelledby="logs-title" data-testid="job-logs">
          <h2 id="logs-title" className="detail-card__title">
            Logs
          </h2>
          <JobLogs jobId={job.id} cluster={job.cluster} active={!isTerminalState(job.state)} />
        </section>
      )}
    </div>
  );
}
