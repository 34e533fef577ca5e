import type { Job } from '@scripthut/core/domain';
import { cpuDetail, formatPercent, memoryDetail } from '../format/efficiency';

/**
 * What a finished job used of what it asked, from accounting. On an array's
 * row, over the tasks that have figures. Renders nothing without figures.
 */
export function JobEfficiency({ job }: { job: Job }) {
  const e = job.efficiency;
  if (!e) return null;
  const over = job.arrayCounts !== null ? 'over its finished tasks' : 'from accounting';
  return (
    <section
      className="detail-card"
      aria-labelledby="efficiency-title"
      data-testid="job-efficiency"
    >
      <h2 id="efficiency-title" className="detail-card__title">
        Efficiency <span className="detail-card__note"> · {over}</span>
      </h2>
      <dl className="facts">
        <div className="facts__item" data-testid="fact-cpu-efficiency">
          <dt>CPU efficiency</dt>
          <dd>
            <strong>{formatPercent(e.cpuEfficiency)}</strong>{' '}
            <span className="muted">({cpuDetail(e)})</span>
          </dd>
        </div>
        <div className="facts__item" data-testid="fact-memory-used">
          <dt>Memory used</dt>
          <dd>
            <strong>{formatPercent(e.memoryEfficiency)}</strong>{' '}
            <span className="muted">({memoryDetail(e)})</span>
          </dd>
        </div>
      </dl>
    </section>
  );
}
