import { Badge } from '../ui/badge';
import { groupByLevel, hasDependencies } from './dependency-levels';
import type { QueueTask } from './queue-types';
import { taskBadge } from './task-badge';

/** Tasks shown per level; a wider level says how many more it holds (the table lists them all). */
const SHOWN_PER_LEVEL = 60;

/** The queue's dependency graph, compactly: one row per level (0: no dependencies), each task with its state and what it runs after. */
export function DependencyView({ tasks }: { tasks: readonly QueueTask[] }) {
  if (!hasDependencies(tasks)) return null;
  const levels = groupByLevel(tasks);
  return (
    <section
      aria-labelledby="dependencies-title"
      className="queues-section"
      data-testid="dependency-levels"
    >
      <h2 id="dependencies-title" className="section-title">
        Dependencies <span className="muted">({levels.length} levels)</span>
      </h2>
      <ol className="dependency-levels">
        {levels.map(({ level, tasks: members }) => (
          <li
            key={level}
            className="dependency-levels__level"
            data-testid={`dependency-level-${level}`}
          >
            <span className="dependency-levels__label">Level {level}</span>
            <ul className="dependency-levels__tasks">
              {members.slice(0, SHOWN_PER_LEVEL).map((t) => {
                const badge = taskBadge(t.state, t.job, {
                  reason: t.reason,
                  dependsOn: t.dependsOn,
                });
                return (
                  <li
                    key={t.taskId}
                    data-testid={`dependency-task-${t.taskId}`}
                    data-state={t.state}
                  >
                    <span className="mono">{t.taskId}</span>{' '}
                    <Badge tone={badge.tone} label={badge.label} title={badge.title} />
                    {t.dependsOn.length > 0 && (
                      <span className="muted"> after: {t.dependsOn.join(', ')}</span>
                    )}
                  </li>
                );
              })}
              {members.length > SHOWN_PER_LEVEL && (
                <li className="muted">… and {members.length - SHOWN_PER_LEVEL} more</li>
              )}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
