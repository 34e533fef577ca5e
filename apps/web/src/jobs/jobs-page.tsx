import type { JobState } from '@scripthut/core/domain';
import { useDeferredValue, useMemo, useState } from 'react';
import { useSystemInfo } from '../api/use-system-info';
import { ClustersPanel } from '../clusters/clusters-panel';
import { useLiveSnapshot } from '../live/live-context';
import { JOB_LIST_LIMIT } from '../live/live-sync';
import { filterJobs, hasFilters, sortJobs } from './job-query';
import { JobsTable } from './jobs-table';
import { JobsToolbar } from './jobs-toolbar';
import { NoJobsAtAll, NoMatchingJobs } from './jobs-empty';
import { useJobView } from './use-job-view';
import '../styles/jobs.css';

export function JobsPage() {
  const snap = useLiveSnapshot();
  const view = useJobView();
  const infoQuery = useSystemInfo();
  const info = infoQuery.data;
  // What is in the search box now; the URL (view.filters.text) follows after a pause in typing.
  const [typed, setTyped] = useState<string | null>(null);
  const filters = useDeferredValue(
    useMemo(
      () => (typed === null ? view.filters : { ...view.filters, text: typed }),
      [view.filters, typed],
    ),
  );
  const { scope, myUser, sort } = view;

  const stateCounts = useMemo(() => {
    const counts = new Map<JobState, number>();
    for (const job of filterJobs(snap.jobs.values(), { ...filters, states: [] }, scope, myUser)) {
      counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
    }
    return counts;
  }, [snap.jobs, filters, scope, myUser]);
  const rows = useMemo(
    () => sortJobs(filterJobs(snap.jobs.values(), filters, scope, myUser), sort),
    [snap.jobs, filters, scope, myUser, sort],
  );

  const total = snap.jobs.size;
  // Wait for system.info too, so "My jobs" does not flash every user's jobs first.
  const ready = (snap.phase.kind === 'ready' || total > 0) && !infoQuery.isPending;
  return (
    <div className="page page--wide">
      <title>Jobs · ScriptHut</title>
      <div className="page-header">
        <h1>Jobs</h1>
        <p className="page-header__meta" data-testid="job-count">
          {ready
            ? `${rows.length.toLocaleString()} of ${total.toLocaleString()} jobs`
            : 'Loading jobs…'}
          {snap.serverTotal > total && (
            <span className="muted">
              {' '}
              · newest {JOB_LIST_LIMIT.toLocaleString()} of {snap.serverTotal.toLocaleString()}{' '}
              loaded
            </span>
          )}
        </p>
      </div>
      <ClustersPanel />
      {snap.phase.kind === 'error' && (
        <p className="alert alert--danger" role="alert" data-testid="jobs-load-error">
          Could not load jobs: {snap.phase.message}. Retrying…
        </p>
      )}
      {total > 0 && (
        <JobsToolbar
          view={view}
          clusterNames={snap.clusters.map((c) => c.name)}
          stateCounts={stateCounts}
          onType={setTyped}
        />
      )}
      {!ready ? (
        <div className="jobs-loading" aria-busy="true" data-testid="jobs-loading">
          Loading jobs…
        </div>
      ) : total === 0 ? (
        <NoJobsAtAll pollIntervalSeconds={info?.pollIntervalSeconds ?? null} />
      ) : rows.length === 0 ? (
        <NoMatchingJobs
          scope={scope}
          onlyScopeHides={scope === 'mine' && !hasFilters(filters)}
          onClear={() => {
            view.clearFilters();
            if (!hasFilters(filters)) view.setScope('all');
          }}
          onShowAllUsers={() => view.setScope('all')}
        />
      ) : (
        <JobsTable jobs={rows} sort={sort} onSort={view.setSort} />
      )}
    </div>
  );
}
