import { CoreError } from '../runtime/errors';
import type { SshStatus } from './ssh-target';

/**
 * Errors for commands the connection could not serve. All are
 * CLUSTER_UNAVAILABLE; `details.started` says whether the command may have
 * run (false: it certainly did not, so retrying is safe) and
 * `details.reason` carries the SSH_* code of the underlying failure.
 */

export function fixNeededError(
  where: string,
  status: SshStatus,
  lastFailure: CoreError | null,
): CoreError {
  return new CoreError(
    'CLUSTER_UNAVAILABLE',
    status.lastError ?? `SSH connection to ${where} is not usable (${status.state}).`,
    { state: status.state, reason: status.lastErrorCode, started: false },
    { cause: lastFailure },
  );
}

export function waitTimeoutError(
  where: string,
  status: SshStatus,
  lastFailure: CoreError | null,
  waitedMs: number,
): CoreError {
  const why = status.lastError ? `: ${status.lastError}` : '';
  return new CoreError(
    'CLUSTER_UNAVAILABLE',
    `Timed out after ${waitedMs} ms waiting for the SSH connection to ${where} (${status.state})${why}`,
    { state: status.state, reason: status.lastErrorCode, started: false },
    { cause: lastFailure },
  );
}

export function lostDuringCommandError(where: string, reason: string): CoreError {
  return new CoreError(
    'CLUSTER_UNAVAILABLE',
    `Connection to ${where} was lost while the command was running (${reason}); it may or may not have completed.`,
    { reason: 'SSH_UNREACHABLE', started: true },
  );
}

export function closedError(where: string, started: boolean): CoreError {
  return new CoreError('CLUSTER_UNAVAILABLE', `The SSH connection to ${where} was closed.`, {
    state: 'disabled',
    started,
  });
}
