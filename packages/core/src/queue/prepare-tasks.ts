import type { TaskSpec } from '../domain/task';
import type { NewTask } from '../history/types';
import { invalidTasks, type TaskIssue } from './parse-task-source';
import type { QueueCluster } from './queue-cluster';
import type { DryRunTask } from './queue-types';
import { submissionTag, toJson, toSubmitSpec, type StoredTask } from './task-record';

export interface PreparedTasks {
  tasks: DryRunTask[];
  records: NewTask[];
}

/**
 * Resolves and renders every task of a queue: what dry-run shows and what
 * run stores, byte for byte (dry-run uses queue id and tag `preview`). A
 * field the cluster's kind cannot honour (a partition on ECS) refuses the
 * whole queue, naming every task and field, before anything is stored.
 * Each task waits for its `depends_on`, or for what `dependsOn` gives it (a
 * retry, whose other dependencies completed in an earlier attempt).
 */
export function prepareTasks(
  cluster: QueueCluster,
  sourceName: string,
  specs: readonly TaskSpec[],
  queueId: string,
  home: string | null,
  preview: boolean,
  dependsOn?: ReadonlyMap<string, string[]>,
): PreparedTasks {
  const render = cluster.support.renderScript;
  const tasks: DryRunTask[] = [];
  const records: NewTask[] = [];
  const issues: TaskIssue[] = [];
  specs.forEach((spec, position) => {
    const fields = cluster.support.resolveTask(spec, queueId, home);
    if (!fields.ok) {
      for (const p of fields.problems) issues.push({ index: position, taskId: spec.id, field: p.field, message: p.message });
      return;
    }
    const stored: StoredTask = { ...spec, resolved: fields.resolved };
    const submit = toSubmitSpec(stored, preview ? 'preview' : submissionTag(queueId, position));
    const script = render(submit);
    tasks.push({ taskId: spec.id, name: spec.name, spec, submit, script });
    records.push({ taskId: spec.id, position, name: spec.name, spec: toJson(stored), script, dependsOn: dependsOn?.get(spec.id) ?? spec.depends_on });
  });
  if (issues.length > 0) throw invalidTasks(sourceName, issues);
  return { tasks, records };
}
