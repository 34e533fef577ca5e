// ssh2 is CommonJS: Node's ESM loader exposes only its default export.
import ssh2, {
  type AgentAuthMethod,
  type Client,
  type ConnectConfig,
  type PublicKeyAuthMethod,
} from 'ssh2';
import { CoreError } from '../runtime/errors';
import { describeConnectError, type ConnectFailure } from './connect-errors';
import { checkHostKey, type HostKeyVerdict } from './host-key-check';
import { preferredHostKeyAlgorithms } from './host-key';
import { loadHostKeyPolicy } from './host-key-policy';
import { resolveIdentity, type Identity, type KeyCache } from './key-file';
import { knownKeyTypes } from './known-hosts';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_COUNT_MAX,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  describeTarget,
  type SshTarget,
} from './ssh-target';

export type ConnectResult = { ok: true; client: Client } | { ok: false; failure: ConnectFailure };

export interface ConnectHooks {
  /** Keeps a decrypted key across attempts. */
  keyCache: KeyCache;
  /** Called once when an established connection ends, with the reason in words. */
  onLost: (reason: string) => void;
  /** Aborting gives up the attempt (used by close()). */
  signal: AbortSignal;
}

/**
 * One connection attempt: identity, host key policy, TCP, handshake, auth.
 * Never rejects; a failure says which ConnectionState it leads to.
 */
export async function connectClient(
  target: SshTarget,
  hooks: ConnectHooks,
): Promise<ConnectResult> {
  let identity: Identity;
  let policy: Awaited<ReturnType<typeof loadHostKeyPolicy>>;
  try {
    identity = await resolveIdentity(target, hooks.keyCache);
    policy = await loadHostKeyPolicy(target);
  } catch (error) {
    return { ok: false, failure: failureFromSetup(error, target) };
  }
  if (hooks.signal.aborted) return { ok: false, failure: closedFailure(target) };

  const client = new ssh2.Client();
  const auth: PublicKeyAuthMethod | AgentAuthMethod =
    identity.kind === 'key'
      ? { type: 'publickey', username: target.user, key: identity.key }
      : { type: 'agent', username: target.user, agent: identity.socket };
  let verdict: HostKeyVerdict | null = null;
  const knownTypes =
    policy.kind === 'known-hosts' ? knownKeyTypes(policy.entries, target.host, target.port) : [];
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    readyTimeout: target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveInterval: target.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
    keepaliveCountMax: target.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT_MAX,
    algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownTypes) },
    hostVerifier: (key: Buffer): boolean => {
      verdict = checkHostKey(policy, target, key);
      return verdict.ok;
    },
    // Only the configured method: no 'none' or password probing.
    authHandler: [auth],
  };

  return new Promise<ConnectResult>((resolve) => {
    let ready = false;
    let lastError: Error | null = null;
    const finish = (result: ConnectResult): void => {
      hooks.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = (): void => {
      client.destroy();
    };
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    client.on('ready', () => {
      ready = true;
      lastError = null;
      if (hooks.signal.aborted) {
        client.destroy();
        return finish({ ok: false, failure: closedFailure(target) });
      }
      finish({ ok: true, client });
    });
    // An 'error' listener must stay attached for the client's whole life: ssh2 emits keepalive and socket errors.
    client.on('error', (error) => {
      lastError = error;
    });
    client.on('close', () => {
      if (ready) {
        hooks.onLost(
          lastError ? lostReason(lastError) : `${describeTarget(target)} closed the connection`,
        );
        return;
      }
      if (hooks.signal.aborted) return finish({ ok: false, failure: closedFailure(target) });
      const rejected: HostKeyVerdict | null = verdict;
      finish({ ok: false, failure: describeConnectError(lastError, rejected, target, identity) });
    });
    try {
      client.connect(config);
      // Without this every back-to-back exec stalls ~40 ms (Nagle + delayed ACK).
      client.setNoDelay(true);
    } catch (error) {
      client.destroy();
      finish({ ok: false, failure: failureFromSetup(error, target) });
    }
  });
}

function lostReason(error: Error): string {
  if (/keepalive/i.test(error.message)) return 'the server stopped answering keepalives';
  return error.message;
}

function failureFromSetup(error: unknown, target: SshTarget): ConnectFailure {
  if (error instanceof CoreError) {
    const state = error.code === 'SSH_HOST_KEY_UNKNOWN' ? 'host_key_unknown' : 'auth_failed';
    return { state, error };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    state: 'unreachable',
    error: new CoreError(
      'SSH_UNREACHABLE',
      `Cannot connect to ${describeTarget(target)}: ${message}`,
      {},
      { cause: error },
    ),
  };
}

function closedFailure(target: SshTarget): ConnectFailure {
  return {
    state: 'disabled',
    error: new CoreError(
      'CLUSTER_UNAVAILABLE',
      `The SSH connection to ${describeTarget(target)} was closed.`,
    ),
  };
}
