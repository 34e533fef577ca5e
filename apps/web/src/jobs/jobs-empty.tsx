import { EmptyState } from '../ui/empty-state';
import type { UserScope } from './job-query';

export function NoJobsAtAll({ pollIntervalSeconds }: { pollIntervalSeconds: number | null }) {
  const interval =
    pollIntervalSeconds === null
      ? 'one poll interval'
      : `one poll interval (${pollIntervalSeconds}s)`;
  return (
    <EmptyState title="No jobs yet" testId="jobs-empty">
      <p>
        No jobs on your clusters right now. Jobs appear here within {interval} of being submitted.
      </p>
    </EmptyState>
  );
}

/** Jobs exist, but the filters hide all of them. */
export function NoMatchingJobs({
  scope,
  onlyScopeHides,
  onClear,
  onShowAllUsers,
}: {
  scope: UserScope;
  /** True when text/state/cluster filters are empty and only "my jobs" hides everything. */
  onlyScopeHides: boolean;
  onClear: () => void;
  onShowAllUsers: () => void;
}) {
  if (onlyScopeHides) {
    return (
      <EmptyState title="You have no jobs right now" testId="jobs-no-match">
        <p>Other users have jobs on these clusters.</p>
        <button type="button" className="button" onClick={onShowAllUsers}>
          Show all users
        </button>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No jobs match these filters" testId="jobs-no-match">
      <p>
        {scope === 'mine'
          ? 'Try other filters, or include other users’ jobs.'
          : 'Try other filters.'}
      </p>
      <button type="button" className="button" data-testid="clear-filters-empty" onClick={onClear}>
        Clear filters
      </button>
    </EmptyState>
  );
}
