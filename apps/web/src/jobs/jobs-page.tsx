import type { Job, JobState } from '@scripthut/core/domain';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useSystemInfo } from '../api/use-system-info';
import { ClustersPanel } from '../clusters/clusters-panel';
import { ArrayTasksError } from './array-tasks-error';
import { useLiveSnapshot } from '../live/live-context';
import { JOB_LIST_LIMIT } from '../live/live-sync';
import { filterJobs, hasFilters, sortJobs } from './job-query';
import { JobsTable } from './jobs-table';
import { JobsToolbar } from './jobs-toolbar';
import { NoJobsAtAll, NoMatchingJobs } from './jobs-empty';
import { tableRows } from './table-rows';
import { useArrayTasks } from './use-array-tasks';
import { useJobView } from './use-job-view';
import '../styles/jobs.css';

/**
 * The Jobs page. Arrays are grouped on the server: the list it loads has one
 * row per array (its tasks counted by state) in place of the tasks, so the
 * row count, paging and sorting treat an array as one job. Task rows that
 * reach the browser through live events are kept out of the top level; an
 * expanded array shows its tasks, fetched for it, as rows under it.
 */
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

  const topLevel = useMemo(() => {
    const out: Job[] = [];
    for (const job of snap.jobs.values()) if (job.arrayId === null) out.push(job);
    return out;
  }, [snap.jobs]);
  const stateCounts = useMemo(() => {
    const counts = new Map<JobState, number>();
    for (const job of filterJobs(topLevel, { ...filters, states: [] }, scope, myUser)) {
      counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
    }
    return counts;
  }, [topLevel, filters, scope, myUser]);
  const sorted = useMemo(
    () => sortJobs(filterJobs(topLevel, filters, scope, myUser), sort),
    [topLevel, filters, scope, myUser, sort],
  );

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback(
    (arrayId: string) =>
      setExpanded((open) => {
        const next = new Set(open);
        if (!next.delete(arrayId)) next.add(arrayId);
        return next;
      }),
    [],
  );
  const openArrays = useMemo(
    () => sorted.filter((j) => j.arrayCounts !== null && expanded.has(j.id)),
    [sorted, expanded],
  );
  const { tasksOf, problemOf } = useArrayTasks(openArrays, snap.jobs);
  const rows = useMemo(
    () => tableRows(sorted, expanded, tasksOf, filters.states),
    [sorted, expanded, tasksOf, filters.states],
  );

  const total = topLevel.length;
  // Wait for system.info too, so "My jobs" does not flash every user's jobs first.
  const ready = (snap.phase.kind === 'ready' || total > 0) && !infoQuery.isPending;
  return (
    <div className="page page--wide">
      <title>Jobs · ScriptHut</title>
      <div className="page-header">
        <h1>Jobs</h1>
        <p className="page-header__meta" data-testid="job-count">
          {ready
            ? `${sorted.length.toLocaleString()} of ${total.toLocaleString()} jobs`
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
      ) : sorted.length === 0 ? (
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
        <>
          {openArrays.map((array) => {
            const problem = problemOf(array.id);
            return problem && <ArrayTasksError key={array.id} array={array} problem={problem} />;
          })}
          <JobsTable rows={rows} sort={sort} onSort={view.setSort} onToggle={toggle} />
        </>
      )}
    </div>
  );
}
