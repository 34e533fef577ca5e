import { JOB_COLUMNS } from './job-columns';
import type { JobSort } from './job-query';

const ARROWS = { asc: '▲', desc: '▼' } as const;

export function JobsTableHeader({
  sort,
  onSort,
}: {
  sort: JobSort;
  onSort: (sort: JobSort) => void;
}) {
  return (
    <div role="rowgroup" className="jobs-table__head">
      <div role="row" aria-rowindex={1} className="jobs-row jobs-row--head">
        {JOB_COLUMNS.map((col) => {
          const active = sort.key === col.key;
          const nextDir = active ? (sort.dir === 'asc' ? 'desc' : 'asc') : col.firstDir;
          return (
            <div
              role="columnheader"
              key={col.key}
              className={`jobs-cell jobs-cell--head jobs-cell--p${col.priority}${active ? ' jobs-cell--sorted' : ''}`}
              aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button
                type="button"
                className="sort-button"
                data-testid={`sort-${col.key}`}
                title={`Sort by ${col.label}, ${nextDir === 'asc' ? 'ascending' : 'descending'}`}
                onClick={() => onSort({ key: col.key, dir: nextDir })}
              >
                {col.label}
                <span className="sort-button__arrow" aria-hidden="true">
                  {active ? ARROWS[sort.dir] : '↕'}
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
