import type { Job } from '@scripthut/core/domain';
import { useMutation } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useTRPC } from '../api/trpc';
import { arrayCountsText, formatPercent } from '../format/efficiency';
import { isTerminalState } from '../format/job-badge';
import { StateCell, jobPath } from '../jobs/job-columns';
import { sortTasks, taskLabel } from '../jobs/table-rows';
import { ArrayTasksError } from '../jobs/array-tasks-error';
import { useArrayTasks } from '../jobs/use-array-tasks';

type Outcome = { ok: boolean; message: string | null };

/**
 * An array's tasks on its own page: counts, every task with its state, and
 * a cancel of the tasks the user picks (`scancel 123_7 123_9`) with the
 * scheduler's answer shown on each.
 */
export function ArrayTasks({ array }: { array: Job }) {
  const trpc = useTRPC();
  const { tasksOf, problemOf } = useArrayTasks(useMemo(() => [array], [array]));
  const loaded = tasksOf(array.id);
  const problem = problemOf(array.id);
  const [picked, setPicked] = useState<ReadonlySet<string>>(() => new Set());
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, Outcome>>(() => new Map());
  const cancel = useMutation(
    trpc.jobs.cancelMany.mutationOptions({
      onSuccess: (result) => {
        setOutcomes(new Map(result.map((r) => [r.id, { ok: r.ok, message: r.message }])));
        setPicked(new Set());
      },
    }),
  );
  const list = sortTasks(loaded ?? []);
  const toggle = (id: string) =>
    setPicked((now) => {
      const next = new Set(now);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section
      className="detail-card detail-card--wide"
      aria-labelledby="tasks-title"
      data-testid="array-tasks"
    >
      <h2 id="tasks-title" className="detail-card__title">
        Tasks
        {array.arrayCounts && (
          <span className="detail-card__note" data-testid="array-counts">
            {' '}
            · {arrayCountsText(array.arrayCounts, array.arrayTasks)}
          </span>
        )}
      </h2>
      {problem && <ArrayTasksError array={array} problem={problem} />}
      {loaded === undefined ? (
        problem === null && (
          <p className="muted" aria-busy="true">
            Loading tasks…
          </p>
        )
      ) : (
        <>
          <div className="array-tasks__actions">
            <button
              type="button"
              className="button button--danger"
              data-testid="cancel-selected-tasks"
              disabled={picked.size === 0 || cancel.isPending}
              onClick={() => cancel.mutate({ ids: [...picked] })}
            >
              {cancel.isPending
                ? 'Cancelling…'
                : `Cancel ${picked.size} selected task${picked.size === 1 ? '' : 's'}`}
            </button>
            {cancel.error && (
              <span className="alert alert--danger" role="alert">
                {cancel.error.message}
              </span>
            )}
          </div>
          <table className="array-tasks">
            <thead>
              <tr>
                <th scope="col" aria-label="Select" />
                <th scope="col">Task</th>
                <th scope="col">State</th>
                <th scope="col">CPU eff.</th>
                <th scope="col">Cancel</th>
              </tr>
            </thead>
            <tbody>
              {list.map((task) => {
                const outcome = outcomes.get(task.id);
                const live = !isTerminalState(task.state) && task.schedulerJobId !== null;
                return (
                  <tr key={task.id} data-testid={`array-task-${task.schedulerJobId ?? task.id}`}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${taskLabel(task)}`}
                        disabled={!live}
                        checked={picked.has(task.id)}
                        onChange={() => toggle(task.id)}
                      />
                    </td>
                    <td>
                      <Link to={jobPath(task)} className="mono">
                        {task.schedulerJobId}
                      </Link>{' '}
                      <span className="muted">{taskLabel(task)}</span>
                    </td>
                    <td>
                      <StateCell job={task} />
                    </td>
                    <td className="mono">
                      {formatPercent(task.efficiency?.cpuEfficiency ?? null)}
                    </td>
                    <td data-testid={`cancel-outcome-${task.schedulerJobId ?? task.id}`}>
                      {outcome === undefined ? null : outcome.ok ? (
                        <span className="muted">cancel requested</span>
                      ) : (
                        <span className="selectable">{outcome.message}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
