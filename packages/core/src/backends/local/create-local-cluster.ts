import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalClusterConfig } from '../../config';
import { CoreError } from '../../runtime/errors';
import type { ClusterDeps, ClusterRuntime } from '../cluster-runtime';
import { fileTaskFields, queueLogDir } from '../file-logs/file-task-fields';
import { LocalBackend } from './local-backend';
import { renderLocalScript } from './render-local-script';

/** Polled at least this often: asking the local backend costs a directory listing. */
const LOCAL_MAX_POLL_INTERVAL_MS = 5_000;

/** Jobs as processes on this machine, as the server's user. */
export function createLocalCluster(cluster: LocalClusterConfig, deps: ClusterDeps): ClusterRuntime {
  const backend = new LocalBackend({
    root: join(deps.dataDir, 'local', cluster.name),
    homeDir: deps.homeDir,
    user: deps.localUser,
    clock: deps.clock,
  });
  const settings = { logDir: cluster.log_dir, partition: null, account: null };
  return {
    backend,
    host: 'this machine',
    user: deps.localUser,
    maxPollIntervalMs: LOCAL_MAX_POLL_INTERVAL_MS,
    queues: {
      taskRunner: deps.localRunner,
      renderScript: renderLocalScript,
      home: () => Promise.resolve(deps.homeDir),
      resolveTask: (task, queueId, home) => fileTaskFields(task, queueId, home, settings),
      prepareLogDir: async (queueId, home) => {
        const dir = queueLogDir(cluster.log_dir, queueId, home ?? deps.homeDir);
        try {
          await mkdir(dir, { recursive: true });
        } catch (e) {
          throw new CoreError(
            'SCHEDULER_ERROR',
            `Cannot create the log directory ${dir}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        return dir;
      },
      maxConcurrent: cluster.max_concurrent,
      account: null,
    },
  };
}
