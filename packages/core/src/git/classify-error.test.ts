import { describe, expect, it } from 'vitest';
import { CoreError } from '../runtime/errors';
import { toSourceError, type FailureContext } from './classify-error';
import type { RemoteSession } from './remote-session';
import { SourceError } from './source-error';
import { connectFailureError, uploadPackFailure } from './ssh-failure';

const session = (over: Partial<RemoteSession>): RemoteSession => ({
  http: { request: () => Promise.reject(new Error('unused')) },
  failure: null,
  advertisedRefs: null,
  bytesReceived: 0,
  close: () => Promise.resolve(),
  ...over,
});
const ctx = (over: Partial<FailureContext> = {}): FailureContext => ({
  source: 'jobs',
  url: 'git@host:org/jobs.git',
  branch: 'main',
  dir: '/cache/jobs',
  session: null,
  ...over,
});
const errno = (code: string, message = `${code}: failed`): Error =>
  Object.assign(new Error(message), { code });
const gitError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { code });

describe('toSourceError', () => {
  it('prefers the transport’s own failure over what isomorphic-git made of the broken stream', () => {
    const failure = new SourceError('repo_not_found', 'Repository x not found');
    const error = toSourceError(
      gitError('CommitNotFetchedError', 'commit not available'),
      ctx({ session: session({ failure }) }),
    );
    expect(error).toBe(failure);
  });

  it('reads ENOSPC anywhere in the cause chain as a full disk', () => {
    const error = toSourceError(new Error('write failed', { cause: errno('ENOSPC') }), ctx());
    expect(error).toMatchObject({ kind: 'disk_full', code: 'GIT_ERROR' });
    expect(error.message).toMatch(/^No space left on the disk holding \/cache\/jobs \(ENOSPC\)/);
  });

  it('reads network errno codes as an unreachable host', () => {
    expect(
      toSourceError(errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), ctx()),
    ).toMatchObject({ kind: 'unreachable' });
    expect(toSourceError(errno('ENOTFOUND'), ctx()).message).toMatch(
      /^Cannot reach git@host:org\/jobs\.git/,
    );
  });

  it('names the branches that exist when the branch is missing', () => {
    const refs = new Map([
      ['HEAD', 'a'],
      ['refs/heads/dev', 'a'],
      ['refs/heads/release', 'b'],
      ['refs/tags/v1', 'c'],
    ]);
    const error = toSourceError(
      gitError('NotFoundError', 'Could not find main.'),
      ctx({ session: session({ advertisedRefs: refs }) }),
    );
    expect(error).toMatchObject({
      kind: 'branch_not_found',
      details: { branches: ['dev', 'release'] },
    });
    expect(error.message).toBe(
      'Branch "main" does not exist in git@host:org/jobs.git. Fix branch of source "jobs" (default: main). Branches there: dev, release.',
    );
  });

  it('says when the repository has no branch at all', () => {
    const error = toSourceError(
      gitError('NotFoundError', 'Could not find main.'),
      ctx({ session: session({ advertisedRefs: new Map() }) }),
    );
    expect(error.message).toMatch(/is empty: it has no branch "main" yet/);
  });

  it('offers reset when local changes block the update', () => {
    const error = toSourceError(
      gitError('CheckoutConflictError', 'Your local changes would be overwritten'),
      ctx(),
    );
    expect(error).toMatchObject({ kind: 'local_changes', code: 'CONFLICT' });
    expect(error.message).toMatch(/Reset discards the local changes/);
  });

  it('keeps other errors with their message', () => {
    expect(toSourceError(new Error('odd'), ctx())).toMatchObject({
      kind: 'other',
      message: 'Sync of git@host:org/jobs.git failed: odd',
    });
  });
});

describe('SSH failure messages', () => {
  const target = {
    host: 'git.example',
    port: 22,
    user: 'git',
    homeDir: '/home/me',
    keyPath: '/keys/deploy',
  };
  const sshCtx = { source: 'jobs', target, path: 'org/jobs.git' };

  it('words a rejected key as a deploy key problem with the way to fix it', () => {
    const failure = {
      state: 'auth_failed' as const,
      error: new CoreError('SSH_AUTH_FAILED', 'rejected'),
    };
    const error = connectFailureError(failure, sshCtx);
    expect(error).toMatchObject({ kind: 'auth_failed', code: 'SSH_AUTH_FAILED' });
    expect(error.message).toMatch(
      /^Permission denied: git@git\.example:22 rejected the deploy key \/keys\/deploy/,
    );
    expect(error.message).toContain('ssh-keygen -y -f /keys/deploy');
    expect(error.message).toContain('deploy_key of source "jobs"');
  });

  it('points the host key fix at the source’s own config entry', () => {
    const message =
      'Host key of git.example is not known; … or pin it in the cluster config with: host_key_fingerprint: SHA256:x';
    const failure = {
      state: 'host_key_unknown' as const,
      error: new CoreError('SSH_HOST_KEY_UNKNOWN', message),
    };
    expect(connectFailureError(failure, sshCtx).message).toContain(
      'pin it in the config of source "jobs" with: host_key_fingerprint',
    );
  });

  it.each([
    ["fatal: 'org/jobs.git' does not appear to be a git repository", 'repo_not_found'],
    ['ERROR: Repository not found.', 'repo_not_found'],
    ['ERROR: Permission to org/jobs.git denied to deploy key', 'auth_failed'],
    ["fatal: unrecognized command 'git-upload-pack x'", 'other'],
    ['fatal: git upload-pack: not our ref 1111', 'other'],
    ['', 'other'],
  ])('classifies upload-pack stderr %j', (stderr, kind) => {
    const error = uploadPackFailure(stderr, 128, sshCtx);
    expect(error.kind).toBe(kind);
    if (stderr) expect(error.message).toContain(`The server said: ${stderr}`);
  });
});
