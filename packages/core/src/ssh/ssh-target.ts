import type { ConnectionState } from '../domain/cluster';
import type { Clock } from '../runtime/clock';
import type { CoreErrorCode } from '../runtime/errors';

/** Where and how to connect. Paths may start with `~/`, meaning `homeDir`. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /**
   * Private key file. When absent: ssh-agent at `agentSocket` if given, else
   * the first of ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa that exists.
   */
  keyPath?: string;
  /** Passphrase of an encrypted key, by value (the caller reads it from wherever it lives). */
  passphrase?: string;
  /**
   * OpenSSH user certificate. Not supported by ssh2: a warning is logged, the
   * plain key is offered, and an auth failure message mentions it.
   */
  certPath?: string;
  /** known_hosts file; default `~/.ssh/known_hosts`. Ignored when `hostKeyFingerprint` is set. */
  knownHostsPath?: string;
  /** Pinned host key, `SHA256:…` as printed by `ssh-keygen -lf`; replaces known_hosts. */
  hostKeyFingerprint?: string;
  /** ssh-agent socket (the caller passes SSH_AUTH_SOCK); used only when no key file is given. */
  agentSocket?: string;
  /** Local home directory, for `~/` and the default key and known_hosts paths. */
  homeDir: string;
  /** TCP connect + SSH handshake + auth. Default 20 s. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval; the connection counts as lost after `keepaliveCountMax` (default 3) unanswered. Default 15 s. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Concurrent exec channels on the connection; further commands wait in FIFO order. Default 8. */
  maxChannels?: number;
}

export interface SshConnectionDeps {
  /** Drives reconnect backoff and command timeouts (not ssh2's own connect/keepalive timers). */
  clock: Clock;
  log?: (message: string) => void;
  /** Jitter source in [0, 1); backoff delays are scaled by 0.8–1.2. Default Math.random; return 0.5 for none. */
  random?: () => number;
}

export interface SshStatus {
  state: ConnectionState;
  /** Why the connection is not (or was not last) usable, in words for the dashboard; null when healthy. */
  lastError: string | null;
  /** Code of the failure behind `lastError` (SSH_UNREACHABLE, SSH_AUTH_FAILED, …). */
  lastErrorCode: CoreErrorCode | null;
  /** When `state` last changed. */
  since: Date;
}

export type SshStatusListener = (status: SshStatus) => void;

export const DEFAULT_MAX_CHANNELS = 8;
export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 15_000;
export const DEFAULT_KEEPALIVE_COUNT_MAX = 3;
/** Cap on captured stdout (and separately stderr) when the caller gives no `maxOutputBytes`. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function describeTarget(target: Pick<SshTarget, 'host' | 'port' | 'user'>): string {
  return `${target.user}@${target.host}:${target.port}`;
}
