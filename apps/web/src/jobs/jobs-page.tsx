import type { Job } from '@scripthut/core/domain';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useSystemInfo } from '../api/use-system-info';
import { ClustersPanel } from '../clusters/clusters-panel';
import { ArrayTasksError } from './array-tasks-error';
import { useLiveSnapshot } from '../live/live-context';
import { hasFilters } from './job-query';
import { gridModel } from './job-windows';
import { JobsTable, type VisibleRows } from './jobs-table';
import { JobsToolbar } from './jobs-toolbar';
import { NoJobsAtAll, NoMatchingJobs } from './jobs-empty';
import { jobFilterInput, serverSort } from './server-query';
import { useArrayTasks } from './use-array-tasks';
import { useJobCounts } from './use-job-counts';
import { useJobView } from './use-job-view';
import { useJobWindows } from './use-job-windows';
import '../styles/jobs.css';

/**
 * The Jobs page. The server filters, sorts and pages: the grid fetches the
 * windows of rows it shows, its height is the server's total, and the counts
 * (chips, "N of M jobs", cluster cards) are the server's too. Arrays are
 * grouped on the server (one row per array, its tasks counted by state); an
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
  const { scope, sort } = view;
  // Without system.info the "My jobs" scope is unknown: wait, so every user's jobs do not flash first.
  const infoReady = !infoQuery.isPending;
  const filter = useMemo(() => jobFilterInput(filters, scope, info), [filters, scope, info]);
  const listQuery = useMemo(() => ({ ...filter, sort: serverSort(sort) }), [filter, sort]);
  const chipFilter = useMemo(() => {
    const { states: _states, ...rest } = filter;
    return rest;
  }, [filter]);
  const everything = useJobCounts({});
  const chips = useJobCounts(chipFilter, infoReady);

  const [visible, setVisible] = useState<VisibleRows>({ first: 0, last: 60 });
  const list = useJobWindows(listQuery, visible, infoReady);

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
  const openArrays = useMemo(() => {
    const out: Job[] = [];
    for (const jobs of list.windows.values())
      for (const job of jobs) if (job.arrayCounts !== null && expanded.has(job.id)) out.push(job);
    return out;
  }, [list.windows, expanded]);
  const { tasksOf, problemOf } = useArrayTasks(openArrays);
  const model = useMemo(
    () => gridModel(list.total, list.windows, expanded, tasksOf, filters.states),
    [list.total, list.windows, expanded, tasksOf, filters.states],
  );

  const total = everything?.total ?? 0;
  const ready = list.shown && everything !== undefined && infoReady;
  return (
    <div className="page page--wide">
      <title>Jobs · ScriptHut</title>
      <div className="page-header">
        <h1>Jobs</h1>
        <p className="page-header__meta" data-testid="job-count">
          {ready
            ? `${list.total.toLocaleString()} of ${total.toLocaleString()} jobs`
            : 'Loading jobs…'}
        </p>
      </div>
      <ClustersPanel />
      {list.failure !== null && (
        <p className="alert alert--danger" role="alert" data-testid="jobs-load-error">
          Could not load jobs: {list.failure}. Retrying…
        </p>
      )}
      {total > 0 && (
        <JobsToolbar
          view={view}
          clusterNames={snap.clusters.map((c) => c.name)}
          stateCounts={chips?.byState ?? new Map()}
          onType={setTyped}
        />
      )}
      {!ready ? (
        <div className="jobs-loading" aria-busy="true" data-testid="jobs-loading">
          Loading jobs…
        </div>
      ) : total === 0 ? (
        <NoJobsAtAll pollIntervalSeconds={info?.pollIntervalSeconds ?? null} />
      ) : list.total === 0 ? (
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
          <JobsTable
            model={model}
            sort={sort}
            onSort={view.setSort}
            onToggle={toggle}
            onVisible={setVisible}
            busy={list.previous}
          />
        </>
      )}
    </div>
  );
}
