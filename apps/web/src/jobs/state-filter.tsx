import type { JobState } from '@scripthut/core/domain';
import { JOB_STATES, STATE_FILTER_LABELS } from '../format/job-badge';

/** Toggle chips, one per state, with how many jobs each would show. None pressed means every state. */
export function StateFilter({
  selected,
  counts,
  onToggle,
}: {
  selected: readonly JobState[];
  counts: ReadonlyMap<JobState, number>;
  onToggle: (state: JobState) => void;
}) {
  return (
    <div
      className="state-filter"
      role="group"
      aria-label="Filter by state"
      data-testid="state-filter"
    >
      {JOB_STATES.map((state) => {
        const pressed = selected.includes(state);
        const count = counts.get(state) ?? 0;
        return (
          <button
            key={state}
            type="button"
            className={`filter-chip filter-chip--${state}`}
            aria-pressed={pressed}
            data-testid={`state-filter-${state}`}
            onClick={() => onToggle(state)}
          >
            {STATE_FILTER_LABELS[state]}
            <span className="filter-chip__count">{count.toLocaleString()}</span>
          </button>
        );
      })}
    </div>
  );
}
