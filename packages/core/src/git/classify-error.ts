import { isCoreError } from '../runtime/errors';
import type { RemoteSession } from './remote-session';
import { isSourceError, SourceError } from './source-error';

export interface FailureContext {
  source: string;
  /** The configured URL, for messages. */
  url: string;
  branch: string;
  /** Where the checkout is (or was being written). */
  dir: string;
  session: RemoteSession | null;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
]);

/**
 * One SourceError for whatever a sync threw: the transport's own failure
 * first (isomorphic-git's error after a broken stream is misleading), then
 * file system errors by errno, then isomorphic-git's error codes.
 */
export function toSourceError(error: unknown, ctx: FailureContext): SourceError {
  if (isSourceError(error)) return error;
  const transport = ctx.session?.failure;
  if (transport) return transport;
  const errno = findErrno(error);
  const message = error instanceof Error ? error.message : String(error);
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    return new SourceError(
      'disk_full',
      `No space left on the disk holding ${ctx.dir} (${errno}). Free some space, or move settings.sources_cache_dir ` +
        `to a larger disk, then sync again.`,
      { errno },
      { cause: error },
    );
  }
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS') {
    return new SourceError(
      'other',
      `Cannot write the checkout at ${ctx.dir}: ${message}`,
      { errno },
      { cause: error },
    );
  }
  if (errno && NETWORK_CODES.has(errno)) {
    return new SourceError(
      'unreachable',
      `Cannot reach ${ctx.url}: ${message}`,
      { errno },
      { cause: error },
    );
  }
  if (isCoreError(error))
    return new SourceError('other', error.message, { code: error.code }, { cause: error });
  switch ((error as { code?: unknown } | null)?.code) {
    case 'NotFoundError':
      return branchNotFound(ctx, error);
    case 'CheckoutConflictError':
      return new SourceError(
        'local_changes',
        `Files in the checkout ${ctx.dir} were changed locally and the update would overwrite them (${message}). ` +
          `Reset discards the local changes and moves to the remote commit.`,
        {},
        { cause: error },
      );
    default:
      return new SourceError(
        'other',
        `Sync of ${ctx.url} failed: ${message}`,
        {},
        { cause: error },
      );
  }
}

function branchNotFound(ctx: FailureContext, cause: unknown): SourceError {
  const refs = ctx.session?.advertisedRefs;
  if (refs?.has(`refs/heads/${ctx.branch}`)) {
    return new SourceError(
      'other',
      `Sync of ${ctx.url} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      {},
      { cause },
    );
  }
  if (refs && refs.size === 0) {
    return new SourceError(
      'branch_not_found',
      `The repository ${ctx.url} is empty: it has no branch "${ctx.branch}" yet.`,
      {},
      { cause },
    );
  }
  const branches = refs
    ? [...refs.keys()]
        .filter((r) => r.startsWith('refs/heads/'))
        .map((r) => r.slice('refs/heads/'.length))
    : [];
  const known =
    branches.length > 0
      ? ` Branches there: ${branches.slice(0, 20).join(', ')}${branches.length > 20 ? ', …' : ''}.`
      : '';
  return new SourceError(
    'branch_not_found',
    `Branch "${ctx.branch}" does not exist in ${ctx.url}. Fix branch of source "${ctx.source}" (default: main).${known}`,
    { branches },
    { cause },
  );
}

/** The errno code of `error` or of any error in its cause chain. */
function findErrno(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return code;
    const match = e instanceof Error ? /\b(ENOSPC|EDQUOT)\b/.exec(e.message) : null;
    if (match?.[1]) return match[1];
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
