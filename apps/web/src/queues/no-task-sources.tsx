import { EmptyState } from '../ui/empty-state';

const SNIPPET = `task_sources:
  - name: nightly
    cluster: hpc-cluster
    command: python3 make_tasks.py   # prints JSON: [{"id", "name", "command"}, …]
    max_concurrent: 5
    description: Nightly analysis`;

export function NoTaskSources() {
  return (
    <EmptyState title="No task sources configured" testId="no-task-sources">
      <p>
        A task source is a command that prints a JSON list of tasks; running it creates a queue that
        submits them to its cluster, at most <code>max_concurrent</code> at a time. Add one under{' '}
        <code>task_sources:</code> in <code>scripthut.yaml</code> and restart ScriptHut:
      </p>
      <pre className="code-block">{SNIPPET}</pre>
    </EmptyState>
  );
}
