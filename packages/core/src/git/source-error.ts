import type { SourceErrorKind } from '../domain/source';
import { CoreError, type CoreErrorCode } from '../runtime/errors';

const CODE_BY_KIND = {
  auth_failed: 'SSH_AUTH_FAILED',
  host_key_unknown: 'SSH_HOST_KEY_UNKNOWN',
  host_key_mismatch: 'SSH_HOST_KEY_MISMATCH',
  key_unreadable: 'SSH_KEY_UNREADABLE',
  unreachable: 'GIT_ERROR',
  repo_not_found: 'GIT_ERROR',
  branch_not_found: 'GIT_ERROR',
  non_fast_forward: 'CONFLICT',
  local_changes: 'CONFLICT',
  disk_full: 'GIT_ERROR',
  unsupported_url: 'CONFIG_INVALID',
  not_a_checkout: 'CONFLICT',
  timeout: 'COMMAND_TIMEOUT',
  other: 'GIT_ERROR',
} as const satisfies Record<SourceErrorKind, CoreErrorCode>;

/**
 * A failed sync, with the kind the UI branches on (`details.kind`) and a
 * message that says what to do. The core code follows the kind (SSH_* for
 * SSH failures, CONFLICT for a rewritten upstream, GIT_ERROR otherwise).
 */
export class SourceError extends CoreError {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(CODE_BY_KIND[kind], message, { kind, ...details }, options);
  }
}

export const isSourceError = (e: unknown): e is SourceError => e instanceof SourceError;
