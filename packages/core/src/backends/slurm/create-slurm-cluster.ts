import type { SlurmClusterConfig } from '../../config';
import { shellQuote, type CommandRunner } from '../../runtime/command-runner';
import { CoreError } from '../../runtime/errors';
import { createSshConnection, describeTarget, type SshTarget } from '../../ssh';
import type { SubmitSpec } from '../backend';
import type { ClusterDeps, ClusterRuntime, QueueSupport } from '../cluster-runtime';
import { fileTaskFields, queueLogDir } from '../file-logs/file-task-fields';
import { renderJobScript } from './render-job-script';
import { resolveHome } from './resolve-home';
import { SlurmBackend } from './slurm-backend';

/** One SSH connection and the Slurm backend on it, for one configured cluster. */
export function createSlurmCluster(cluster: SlurmClusterConfig, deps: ClusterDeps): ClusterRuntime {
  const ssh = cluster.ssh;
  const passphrase = ssh.passphrase_env ? deps.environment[ssh.passphrase_env] : undefined;
  const agentSocket = deps.environment.SSH_AUTH_SOCK;
  const target: SshTarget = {
    host: ssh.host,
    port: ssh.port,
    user: ssh.user,
    homeDir: deps.homeDir,
    ...(ssh.key_path ? { keyPath: ssh.key_path } : {}),
    ...(passphrase ? { passphrase } : {}),
    ...(ssh.cert_path ? { certPath: ssh.cert_path } : {}),
    ...(ssh.known_hosts ? { knownHostsPath: ssh.known_hosts } : {}),
    ...(ssh.host_key_fingerprint ? { hostKeyFingerprint: ssh.host_key_fingerprint } : {}),
    ...(agentSocket ? { agentSocket } : {}),
  };
  const connection = createSshConnection(target, {
    clock: deps.clock,
    log: (message) => deps.log(`[${cluster.name}] ${message}`),
  });
  const renderScript = (spec: SubmitSpec): string => renderJobScript(spec);
  const backend = new SlurmBackend(connection, {
    renderScript,
    connection: () => {
      const s = connection.status;
      return { state: s.state, lastError: s.lastError };
    },
  });
  return {
    backend,
    host: describeTarget(target),
    user: ssh.user,
    queues: slurmQueueSupport(connection, {
      cluster: cluster.name,
      logDir: cluster.log_dir,
      partition: cluster.partition ?? null,
      account: cluster.account ?? null,
      renderScript,
    }),
    close: () => connection.close(),
  };
}

/**
 * Queues on a Slurm cluster: task sources run on the login node, `~` is the
 * SSH user's `$HOME` there, logs go to `<log_dir>/<queue id>/` (made with
 * `mkdir -p` before the queue's tasks are stored).
 */
export function slurmQueueSupport(
  runner: CommandRunner,
  o: {
    cluster: string;
    logDir: string;
    partition: string | null;
    account: string | null;
    renderScript: (spec: SubmitSpec) => string;
  },
): QueueSupport {
  return {
    taskRunner: runner,
    renderScript: o.renderScript,
    home: () => resolveHome(runner, o.cluster),
    resolveTask: (task, queueId, home) => fileTaskFields(task, queueId, home, o),
    prepareLogDir: async (queueId, home) => {
      const dir = queueLogDir(o.logDir, queueId, home ?? '~');
      const mkdir = await runner.run(`mkdir -p -- ${shellQuote(dir)}`, { timeoutMs: 30_000 });
      if (mkdir.exitCode !== 0) {
        throw new CoreError(
          'SCHEDULER_ERROR',
          `Cannot create the log directory ${dir} on ${o.cluster}: ${mkdir.stderr.trim()}`,
        );
      }
      return dir;
    },
    maxConcurrent: null,
    account: o.account,
  };
}
