/**
 * Error codes core can raise. The API maps each to an HTTP/tRPC code in one
 * table; the web reads codes, never message text.
 */
export type CoreErrorCode =
  | 'CONFIG_INVALID'
  | 'NOT_FOUND'
  | 'CLUSTER_UNAVAILABLE'
  | 'SSH_AUTH_FAILED'
  | 'SSH_HOST_KEY_UNKNOWN'
  | 'SSH_HOST_KEY_MISMATCH'
  | 'SSH_UNREACHABLE'
  | 'SSH_KEY_UNREADABLE'
  | 'COMMAND_TIMEOUT'
  | 'COMMAND_ABORTED'
  | 'OUTPUT_TOO_LARGE'
  /** A command line the operating system refuses to start as too long (E2BIG); details: commandBytes, limitBytes. */
  | 'COMMAND_TOO_LONG'
  | 'SCHEDULER_ERROR'
  | 'SCHEDULER_REFUSED'
  | 'TASK_SOURCE_INVALID'
  | 'RATE_LIMITED'
  | 'CONFLICT'
  | 'STORE_UNAVAILABLE'
  | 'GIT_ERROR'
  | 'INVALID_INPUT'
  /** A log path ScriptHut refuses to read (a symlink, not a regular file, another user's file). */
  | 'PATH_REFUSED'
  /** The logged-in user may not do this (another user's job or queue); details: reason, owner. */
  | 'FORBIDDEN';

export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;
