import type { ConnectionState } from '../domain/cluster';
import { CoreError } from '../runtime/errors';
import type { HostKeyVerdict } from './host-key-check';
import type { Identity } from './key-file';
import { describeTarget, type SshTarget } from './ssh-target';

export type FailureState = Extract<
  ConnectionState,
  'auth_failed' | 'host_key_mismatch' | 'host_key_unknown' | 'unreachable' | 'disabled'
>;

/** Why a connection attempt failed: the state it leads to and the error shown to the user. */
export interface ConnectFailure {
  state: FailureState;
  error: CoreError;
}

/** Error fields ssh2 and Node's socket errors carry. */
interface ConnectErrorFields {
  level?: string;
  code?: string;
}

export function describeConnectError(
  error: Error | null,
  verdict: HostKeyVerdict | null,
  target: SshTarget,
  identity: Identity,
): ConnectFailure {
  if (verdict && !verdict.ok) {
    const code =
      verdict.state === 'host_key_unknown' ? 'SSH_HOST_KEY_UNKNOWN' : 'SSH_HOST_KEY_MISMATCH';
    return {
      state: verdict.state,
      error: new CoreError(code, verdict.message, { host: target.host, port: target.port }),
    };
  }
  const where = describeTarget(target);
  const endpoint = `${target.host}:${target.port}`;
  const fields = (error ?? {}) as ConnectErrorFields;
  const cause = { cause: error };
  if (fields.level === 'client-authentication') {
    const how =
      identity.kind === 'key'
        ? `the key ${identity.path}`
        : `the keys in ssh-agent (${identity.socket})`;
    const certNote = target.certPath
      ? ' Certificate authentication (cert_path) is not supported; only the plain key was offered.'
      : '';
    return {
      state: 'auth_failed',
      error: new CoreError(
        'SSH_AUTH_FAILED',
        `${where} rejected ${how} (publickey authentication failed). Check that the matching public key is in ` +
          `~${target.user}/.ssh/authorized_keys on ${target.host}.${certNote}`,
        { user: target.user, host: target.host, port: target.port },
        cause,
      ),
    };
  }
  if (fields.level === 'agent') {
    return {
      state: 'auth_failed',
      error: new CoreError(
        'SSH_AUTH_FAILED',
        `ssh-agent at ${identity.kind === 'agent' ? identity.socket : '?'} could not be used for ${where}: ${error?.message ?? 'unknown error'}`,
        { user: target.user, host: target.host, port: target.port },
        cause,
      ),
    };
  }
  return {
    state: 'unreachable',
    error: new CoreError(
      'SSH_UNREACHABLE',
      unreachableMessage(error, fields, target, endpoint),
      {},
      cause,
    ),
  };
}

function unreachableMessage(
  error: Error | null,
  fields: ConnectErrorFields,
  target: SshTarget,
  endpoint: string,
): string {
  if (!error) return `${endpoint} closed the connection during the SSH handshake.`;
  switch (fields.code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${endpoint} (is sshd running and listening on port ${target.port}?).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NODATA':
      return `Cannot resolve host name "${target.host}" (${fields.code}).`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return `${endpoint} is not reachable (${fields.code}).`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${endpoint} reset the connection during the SSH handshake.`;
    default:
      break;
  }
  if (fields.level === 'client-dns')
    return `Cannot resolve host name "${target.host}": ${error.message}`;
  if (fields.level === 'client-timeout') {
    const timeoutMs = target.connectTimeoutMs;
    return `Timed out${timeoutMs ? ` after ${timeoutMs} ms` : ''} connecting to ${endpoint} (no SSH handshake).`;
  }
  if (fields.level === 'protocol' || fields.level === 'handshake') {
    return `SSH handshake with ${endpoint} failed: ${error.message}`;
  }
  return `Cannot connect to ${endpoint}: ${error.message}`;
}
