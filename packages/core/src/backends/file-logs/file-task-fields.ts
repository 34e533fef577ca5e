import type { TaskSpec } from '../../domain/task';
import type { ResolveTaskResult } from '../cluster-runtime';

/** `~` and `~/…` against the cluster's home; other paths unchanged. */
export function resolveTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return `${home.replace(/\/+$/, '')}/${path.slice(2)}`;
  return path;
}

/** `<log_dir>/<queue id>`, `~` resolved, no trailing slash. */
export const queueLogDir = (logDir: string, queueId: string, home: string): string =>
  `${resolveTilde(logDir, home).replace(/\/+$/, '')}/${queueId}`;

/**
 * Task fields for kinds whose jobs run in a home directory and write log
 * files: `<log_dir>/<queue id>/<task id>.out|.err`, `~` resolved against
 * the cluster's home (Slurm does not expand `~` in `#SBATCH` lines).
 */
export function fileTaskFields(
  task: TaskSpec,
  queueId: string,
  home: string | null,
  cluster: { logDir: string; partition: string | null; account: string | null },
): ResolveTaskResult {
  if (home === null)
    return {
      ok: false,
      problems: [
        { field: 'working_dir', message: 'the home directory on the cluster is not known' },
      ],
    };
  const dir = queueLogDir(cluster.logDir, queueId, home);
  return {
    ok: true,
    resolved: {
      workingDir: resolveTilde(task.working_dir, home),
      partition: task.partition ?? cluster.partition,
      account: cluster.account,
      stdoutPath: `${dir}/${task.id}.out`,
      stderrPath: `${dir}/${task.id}.err`,
    },
  };
}
