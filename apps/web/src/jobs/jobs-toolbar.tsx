import type { JobState } from '@scripthut/core/domain';
import { hasFilters } from './job-query';
import { SearchInput } from './search-input';
import { StateFilter } from './state-filter';
import type { JobView } from './use-job-view';
import { UserScopeToggle } from './user-scope-toggle';

export function JobsToolbar({
  view,
  clusterNames,
  stateCounts,
  onType,
}: {
  view: JobView;
  clusterNames: readonly string[];
  stateCounts: ReadonlyMap<JobState, number>;
  /** Each keystroke in the search box, before it reaches the URL. */
  onType?: (text: string) => void;
}) {
  const { filters } = view;
  return (
    <div className="jobs-toolbar">
      <div className="jobs-toolbar__row">
        <SearchInput
          value={filters.text}
          onChange={(text) => view.setFilters({ text })}
          {...(onType ? { onType } : {})}
        />
        <select
          className="input"
          aria-label="Cluster"
          data-testid="cluster-filter"
          value={filters.cluster ?? ''}
          onChange={(e) => view.setFilters({ cluster: e.target.value || null })}
        >
          <option value="">All clusters</option>
          {clusterNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <UserScopeToggle scope={view.scope} names={view.myUserNames} onChange={view.setScope} />
        {hasFilters(filters) && (
          <button
            type="button"
            className="button button--ghost"
            data-testid="clear-filters"
            onClick={view.clearFilters}
          >
            Clear filters
          </button>
        )}
      </div>
      <StateFilter selected={filters.states} counts={stateCounts} onToggle={view.toggleState} />
    </div>
  );
}
