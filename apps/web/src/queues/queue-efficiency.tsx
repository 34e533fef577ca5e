import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '../api/trpc';
import { formatBytes, formatPercent } from '../format/efficiency';
import { isTerminalState } from '../format/job-badge';
import type { QueueTask } from './queue-types';

/**
 * What the queue's finished tasks used of what they asked, with a smaller
 * request that would do (a value in the task's own format, e.g. `2G`, that
 * a retry can take). Fetched again whenever another task finishes; renders
 * nothing until a finished task has figures.
 */
export function QueueEfficiency({
  queueId,
  tasks,
}: {
  queueId: string;
  tasks: readonly QueueTask[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.jobs.queueEfficiency.queryOptions({ queueId });
  const query = useQuery({ ...options, staleTime: 0 });
  const finished = tasks.filter((t) => t.job !== null && isTerminalState(t.job.state)).length;
  const seen = useRef(finished);
  const key = useRef(options.queryKey);
  key.current = options.queryKey;
  useEffect(() => {
    if (seen.current === finished) return;
    seen.current = finished;
    void queryClient.invalidateQueries({ queryKey: key.current });
  }, [finished, queryClient]);

  const data = query.data;
  if (!data || data.summary.jobs === 0) return null;
  const { summary, hint } = data;
  const cpuRange =
    summary.minCpuEfficiency !== null && summary.maxCpuEfficiency !== null && summary.jobs > 1
      ? ` (${formatPercent(summary.minCpuEfficiency)}–${formatPercent(summary.maxCpuEfficiency)})`
      : '';
  return (
    <section
      className="queue-efficiency"
      aria-labelledby="queue-efficiency-title"
      data-testid="queue-efficiency"
    >
      <h2 id="queue-efficiency-title" className="section-title">
        Efficiency{' '}
        <span className="muted">
          ({summary.jobs} finished task{summary.jobs === 1 ? '' : 's'})
        </span>
      </h2>
      <ul className="queue-efficiency__list">
        {summary.cpuEfficiency !== null && (
          <li data-testid="queue-efficiency-cpu">
            CPU: tasks kept {formatPercent(summary.cpuEfficiency)} of their CPUs busy{cpuRange}
            {hint.cpus && (
              <>
                ;{' '}
                <strong>
                  {hint.cpus.suggested} CPU{hint.cpus.suggested === 1 ? '' : 's'} would do
                </strong>{' '}
                ({hint.cpus.asked} asked)
              </>
            )}
          </li>
        )}
        {summary.maxRssBytes !== null && (
          <li data-testid="queue-efficiency-memory">
            Memory: tasks used at most {formatBytes(summary.maxRssBytes)}
            {summary.maxRequestedMemoryBytes !== null && (
              <> of {formatBytes(summary.maxRequestedMemoryBytes)} asked</>
            )}
            {hint.memory && (
              <>
                ; <strong data-testid="queue-memory-hint">{hint.memory.suggested} would do</strong>
              </>
            )}
          </li>
        )}
      </ul>
    </section>
  );
}
