import type { SlurmClusterConfig } from '../../config';
import { shellQuote, type CommandRunner } from '../../runtime/command-runner';
import { CoreError } from '../../runtime/errors';
import { createSshConnection, describeTarget, type SshTarget } from '../../ssh';
import type { SubmitSpec } from '../backend';
import type { ClusterDeps, ClusterRuntime, IdentityRuntime, QueueSupport } from '../cluster-runtime';
import { fileTaskFields, queueLogDir } from '../file-logs/file-task-fields';
import { renderJobScript } from './render-job-script';
import { resolveHome } from './resolve-home';
import { SlurmBackend } from './slurm-backend';

/** One SSH connection and the Slurm backend on it, for one configured cluster. */
export function createSlurmCluster(cluster: SlurmClusterConfig, deps: ClusterDeps): ClusterRuntime {
  const ssh = cluster.ssh;
  const renderScript = (spec: SubmitSpec): string => renderJobScript(spec);
  const queueOptions = {
    cluster: cluster.name,
    logDir: cluster.log_dir,
    partition: cluster.partition ?? null,
    account: cluster.account ?? null,
    renderScript,
  };
  const connect = (login: Login, label: string) => {
    const target = sshTarget(ssh, login, deps);
    const connection = createSshConnection(target, {
      clock: deps.clock,
      log: (message) => deps.log(`[${label}] ${message}`),
    });
    const backend = new SlurmBackend(connection, {
      renderScript,
      connection: () => {
        const s = connection.status;
        return { state: s.state, lastError: s.lastError };
      },
    });
    return { target, connection, backend, queues: slurmQueueSupport(connection, queueOptions) };
  };
  const shared = connect(
    { user: ssh.user, keyPath: ssh.key_path, passphraseEnv: ssh.passphrase_env, agentSocket: deps.environment.SSH_AUTH_SOCK },
    cluster.name,
  );
  // Per-user connections open on first use: most users act rarely, and an unused key costs nothing.
  const identities = new Map<string, ReturnType<typeof connect>>();
  const identity = (name: string): IdentityRuntime | null => {
    const config = cluster.identities[name];
    if (!config) return null;
    let built = identities.get(name);
    if (!built) {
      built = connect(
        {
          user: config.user,
          keyPath: config.key_path,
          passphraseEnv: config.passphrase_env,
          agentSocket: config.agent_socket ?? (config.key_path ? undefined : deps.environment.SSH_AUTH_SOCK),
        },
        `${cluster.name} as ${name}`,
      );
      identities.set(name, built);
    }
    return { backend: built.backend, queues: built.queues, user: config.user };
  };
  return {
    backend: shared.backend,
    host: describeTarget(shared.target),
    user: ssh.user,
    queues: shared.queues,
    identity,
    close: async () => {
      await Promise.all([shared.connection.close(), ...[...identities.values()].map((i) => i.connection.close())]);
    },
  };
}

interface Login {
  user: string;
  keyPath: string | undefined;
  passphraseEnv: string | undefined;
  agentSocket: string | undefined;
}

/** The cluster's host and host-key settings with one login's user and key. */
function sshTarget(ssh: SlurmClusterConfig['ssh'], login: Login, deps: ClusterDeps): SshTarget {
  const passphrase = login.passphraseEnv ? deps.environment[login.passphraseEnv] : undefined;
  return {
    host: ssh.host,
    port: ssh.port,
    user: login.user,
    homeDir: deps.homeDir,
    ...(login.keyPath ? { keyPath: login.keyPath } : {}),
    ...(passphrase ? { passphrase } : {}),
    ...(ssh.cert_path && login.user === ssh.user ? { certPath: ssh.cert_path } : {}),
    ...(ssh.known_hosts ? { knownHostsPath: ssh.known_hosts } : {}),
    ...(ssh.host_key_fingerprint ? { hostKeyFingerprint: ssh.host_key_fingerprint } : {}),
    ...(login.agentSocket ? { agentSocket: login.agentSocket } : {}),
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
