import type { SlurmClusterConfig } from '../../config';
import type { ConnectionInfo } from '../../poller/cluster-monitor';
import type { Clock } from '../../runtime/clock';
import type { CommandRunner } from '../../runtime/command-runner';
import { createSshConnection, describeTarget, type SshTarget } from '../../ssh';
import type { Backend, SubmitSpec } from '../backend';
import { renderJobScript } from './render-job-script';
import { SlurmBackend } from './slurm-backend';

export interface SlurmRuntimeDeps {
  homeDir: string;
  clock: Clock;
  environment: Record<string, string | undefined>;
  log: (message: string) => void;
}

export interface SlurmRuntime {
  backend: Backend;
  runner: CommandRunner;
  /** The batch script of a queue task: what the backend sends to sbatch, so the stored script is the submitted one. */
  renderScript: (spec: SubmitSpec) => string;
  host: string;
  user: string;
  connection: () => ConnectionInfo;
  close: () => Promise<void>;
}

/** One SSH connection and the Slurm backend on it, for one configured cluster. */
export function createSlurmRuntime(cluster: SlurmClusterConfig, deps: SlurmRuntimeDeps): SlurmRuntime {
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
  const backend = new SlurmBackend(connection, { renderScript });
  return {
    backend,
    runner: connection,
    renderScript,
    host: describeTarget(target),
    user: ssh.user,
    connection: () => {
      const s = connection.status;
      return { state: s.state, lastError: s.lastError };
    },
    close: () => connection.close(),
  };
}
