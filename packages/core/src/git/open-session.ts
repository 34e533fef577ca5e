import type { GitSourceConfig } from '../config/schema';
import { expandPath } from '../config/paths';
import type { Clock } from '../runtime/clock';
import type { KeyCache } from '../ssh/key-file';
import type { SshTarget } from '../ssh/ssh-target';
import { HttpsSession } from './https-session';
import type { RemoteSession } from './remote-session';
import { SourceError } from './source-error';
import type { SourceRemote } from './source-url';
import { SshUploadPack } from './ssh-upload-pack';

export interface SessionDeps {
  homeDir: string;
  /** Relative paths in the config (deploy_key, known_hosts) resolve against this. */
  cwd: string;
  /** Token variables the config names, and SSH_AUTH_SOCK; core never reads the process environment itself. */
  environment: Record<string, string | undefined>;
  clock: Clock;
  connectTimeoutMs?: number;
}

export type OpenSession = (signal: AbortSignal) => RemoteSession;

/**
 * How to open a transport session for one source. Built once per source; the
 * deploy key is decrypted once and reused while its file is unchanged.
 */
export function sessionOpener(
  config: GitSourceConfig,
  remote: SourceRemote,
  deps: SessionDeps,
): OpenSession {
  if (remote.kind === 'https') {
    return (signal) => {
      const token = config.token_env ? deps.environment[config.token_env] : undefined;
      if (config.token_env && !token) {
        throw new SourceError(
          'auth_failed',
          `token_env of source "${config.name}" names the environment variable ${config.token_env}, ` +
            `but it is not set (or empty) in the server's environment.`,
        );
      }
      return new HttpsSession({
        source: config.name,
        url: remote.url,
        tokenEnv: config.token_env ?? null,
        token: token ?? null,
        signal,
      });
    };
  }
  const keyCache: KeyCache = {};
  const target = sshTarget(config, remote, deps);
  return (signal) =>
    new SshUploadPack({
      source: config.name,
      target,
      path: remote.path,
      keyCache,
      clock: deps.clock,
      signal,
    });
}

function sshTarget(
  config: GitSourceConfig,
  remote: Extract<SourceRemote, { kind: 'ssh' }>,
  deps: SessionDeps,
): SshTarget {
  const resolve = (path: string): string => expandPath(path, deps.homeDir, deps.cwd);
  const agentSocket = deps.environment.SSH_AUTH_SOCK;
  return {
    host: remote.host,
    port: remote.port,
    user: remote.user,
    homeDir: deps.homeDir,
    connectTimeoutMs: deps.connectTimeoutMs ?? 20_000,
    ...(config.deploy_key ? { keyPath: resolve(config.deploy_key) } : {}),
    ...(config.known_hosts ? { knownHostsPath: resolve(config.known_hosts) } : {}),
    ...(config.host_key_fingerprint ? { hostKeyFingerprint: config.host_key_fingerprint } : {}),
    ...(agentSocket ? { agentSocket } : {}),
  };
}
