import type { TaskSpec } from '../domain/task';
import type { NewTask } from '../history/types';
import { CoreError } from '../runtime/errors';
import type { QueueCluster } from './queue-cluster';
import type { DryRunTask } from './queue-types';
import { storedTask, submissionTag, toJson, toSubmitSpec } from './task-record';

export interface PreparedTasks {
  tasks: DryRunTask[];
  records: NewTask[];
}

/**
 * Resolves and renders every task of a queue: what dry-run shows and what
 * run stores, byte for byte (dry-run uses queue id and tag `preview`).
 */
export function prepareTasks(cluster: QueueCluster, specs: readonly TaskSpec[], queueId: string, home: string, preview: boolean): PreparedTasks {
  const render = cluster.renderScript;
  if (render === null) throw new CoreError('CLUSTER_UNAVAILABLE', `Cluster ${cluster.name} cannot run queues (no job script renderer for it)`);
  const tasks: DryRunTask[] = [];
  const records: NewTask[] = [];
  specs.forEach((spec, position) => {
    const stored = storedTask(spec, queueId, home, cluster.settings);
    const submit = toSubmitSpec(stored, preview ? 'preview' : submissionTag(queueId, position));
    const script = render(submit);
    tasks.push({ taskId: spec.id, name: spec.name, spec, submit, script });
    records.push({ taskId: spec.id, position, name: spec.name, spec: toJson(stored), script });
  });
  return { tasks, records };
}
