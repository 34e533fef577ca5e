import type { ConnectFailure } from '../ssh/connect-errors';
import type { SshTarget } from '../ssh/ssh-target';
import { SourceError } from './source-error';

/** Where an SSH source lives, for messages. */
export interface SshSourceContext {
  source: string;
  target: SshTarget;
  path: string;
}

const where = (t: SshTarget): string => `${t.user}@${t.host}:${t.port}`;

/** A failed SSH connect, worded for a git source (deploy key, source config) instead of a cluster. */
export function connectFailureError(failure: ConnectFailure, ctx: SshSourceContext): SourceError {
  const { error } = failure;
  const cause = { cause: error };
  const { target, source } = ctx;
  switch (error.code) {
    case 'SSH_AUTH_FAILED': {
      const key = target.keyPath;
      const message = key
        ? `Permission denied: ${where(target)} rejected the deploy key ${key} (publickey authentication failed). ` +
          `Give that key read access to the repository (add its public key, printed by ssh-keygen -y -f ${key}, ` +
          `as a deploy key of the repository, or to ~${target.user}/.ssh/authorized_keys on a plain git server), ` +
          `or point deploy_key of source "${source}" at the key that has access.`
        : `Permission denied: ${error.message} No deploy_key is configured for source "${source}".`;
      return new SourceError(
        'auth_failed',
        message,
        { host: target.host, port: target.port },
        cause,
      );
    }
    case 'SSH_HOST_KEY_UNKNOWN':
      return new SourceError(
        'host_key_unknown',
        sourceWording(error.message, source),
        { host: target.host, port: target.port },
        cause,
      );
    case 'SSH_HOST_KEY_MISMATCH':
      return new SourceError(
        'host_key_mismatch',
        sourceWording(error.message, source),
        { host: target.host, port: target.port },
        cause,
      );
    case 'SSH_KEY_UNREADABLE':
      return new SourceError(
        'key_unreadable',
        target.keyPath
          ? `Deploy key of source "${source}": ${error.message}`
          : `Source "${source}" has no deploy_key, and no other key is available (no ssh-agent socket, and none of ` +
              `~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa exists). Set deploy_key to the private key that may read the repository.`,
        {},
        cause,
      );
    case 'SSH_UNREACHABLE':
      return new SourceError(
        'unreachable',
        `Cannot reach the git server of source "${source}": ${error.message}`,
        {},
        cause,
      );
    default:
      return new SourceError('other', error.message, {}, cause);
  }
}

/** The host key messages are written for clusters; the fix for a source goes in its own config entry. */
function sourceWording(message: string, source: string): string {
  return message.replace('in the cluster config', `in the config of source "${source}"`);
}

/**
 * Why upload-pack failed, from its exit status and stderr (git-shell and
 * hosting services explain themselves there).
 */
export function uploadPackFailure(
  stderr: string,
  exitCode: number | null,
  ctx: SshSourceContext,
): SourceError {
  const said = stderr ? ` The server said: ${stderr}` : '';
  const details = { exitCode, stderr };
  const at = `${where(ctx.target)}`;
  if (
    /does not appear to be a git repository|not a git repository|repository not found|no such (file|repo)/i.test(
      stderr,
    )
  ) {
    return new SourceError(
      'repo_not_found',
      `Repository ${ctx.path} not found on ${at}: check the path in the url of source "${ctx.source}" ` +
        `and that the deploy key may read it.${said}`,
      details,
    );
  }
  if (/permission|denied|not allowed|access/i.test(stderr)) {
    return new SourceError(
      'auth_failed',
      `Permission denied: ${at} refused access to ${ctx.path} for the deploy key of source "${ctx.source}".${said}`,
      details,
    );
  }
  if (/not our ref/i.test(stderr)) {
    return new SourceError(
      'other',
      `The branch changed on ${at} while it was being fetched; sync again.${said}`,
      details,
    );
  }
  if (/unrecognized command|bad argument/i.test(stderr)) {
    return new SourceError(
      'other',
      `${at} refused to run git-upload-pack (is the account limited to other commands?).${said}`,
      details,
    );
  }
  const status = exitCode === null ? 'without an exit status' : `with exit status ${exitCode}`;
  return new SourceError(
    'other',
    `git-upload-pack on ${at} failed ${status} for ${ctx.path}.${said}`,
    details,
  );
}
