import fs from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import git, { type ProgressCallback } from 'isomorphic-git';
import type { SourceCommit } from '../domain/source';
import type { RemoteSession } from './remote-session';
import { readObject } from './pack/object-store';
import { SourceError } from './source-error';

/**
 * The isomorphic-git calls a source needs. `cache` is isomorphic-git's object
 * cache: sharing one across the calls of a sync keeps it from reading the
 * pack files again for every step.
 */
export interface RepoContext {
  dir: string;
  cache: object;
  onProgress?: ProgressCallback;
}

export interface RemoteContext {
  session: RemoteSession;
  /** What isomorphic-git is told the remote is (also stored as remote.origin.url). */
  url: string;
}

export type CheckoutState = 'absent' | 'foreign' | 'stale' | 'ok';

/** Is `dir` a checkout of `url` on `branch` (ok), of something else (stale), or not a git checkout (foreign)? */
export async function checkoutState(
  dir: string,
  url: string,
  branch: string,
): Promise<CheckoutState> {
  if (!(await exists(dir))) return 'absent';
  if (!(await exists(join(dir, '.git')))) return 'foreign';
  try {
    const origin = (await git.getConfig({ fs, dir, path: 'remote.origin.url' })) as unknown;
    const current = await git.currentBranch({ fs, dir, fullname: false });
    return origin === url && current === branch ? 'ok' : 'stale';
  } catch {
    return 'stale';
  }
}

export function localHead(repo: RepoContext, branch: string): Promise<string> {
  return git.resolveRef({ fs, dir: repo.dir, ref: `refs/heads/${branch}` });
}

export function isAncestor(repo: RepoContext, ancestor: string, oid: string): Promise<boolean> {
  return git.isDescendent({ fs, dir: repo.dir, oid, ancestor, depth: -1, cache: repo.cache });
}

/**
 * Move `branch` to `oid` and update the working tree. Without `force`, local
 * changes that would be overwritten stop it (CheckoutConflictError) and the
 * branch is moved back; with `force` the tree is made exactly `oid`'s, files
 * only in the old commit deleted.
 */
export async function moveBranch(
  repo: RepoContext,
  branch: string,
  oid: string,
  force: boolean,
): Promise<void> {
  const previous = await localHead(repo, branch);
  const ref = `refs/heads/${branch}`;
  await git.writeRef({ fs, dir: repo.dir, ref, value: oid, force: true });
  try {
    await git.checkout({
      fs,
      dir: repo.dir,
      ref: branch,
      force,
      cache: repo.cache,
      ...(repo.onProgress ? { onProgress: repo.onProgress } : {}),
    });
  } catch (error) {
    await restore(repo, ref, branch, previous, error);
    throw error;
  }
}

/** Put the branch and the files back at `previous` after a failed checkout; say so when that fails too. */
async function restore(
  repo: RepoContext,
  ref: string,
  branch: string,
  previous: string,
  cause: unknown,
): Promise<void> {
  try {
    await git.writeRef({ fs, dir: repo.dir, ref, value: previous, force: true });
    if ((cause as { code?: unknown }).code === 'CheckoutConflictError') return;
    await git.checkout({ fs, dir: repo.dir, ref: branch, force: true, cache: repo.cache });
  } catch (again) {
    throw new SourceError(
      'other',
      `Updating the checkout failed (${describe(cause)}) and restoring commit ${previous.slice(0, 12)} failed too ` +
        `(${describe(again)}); the files in ${repo.dir} may be incomplete. Reset restores them once the cause is fixed.`,
      {},
      { cause },
    );
  }
}

/** The commit HEAD points at, or null when there is none (not cloned, or an empty repository). */
export async function headCommit(repo: RepoContext): Promise<SourceCommit | null> {
  let sha: string;
  try {
    sha = await git.resolveRef({ fs, dir: repo.dir, ref: 'HEAD' });
  } catch {
    return null;
  }
  // Read through the .idx rather than isomorphic-git, which loads the whole pack for one commit.
  const { data } = await readObject(join(repo.dir, '.git'), sha);
  return { sha, ...describeCommit(data.toString('utf8')) };
}

/** Subject and author of a commit object's text (headers, a blank line, the message). */
export function describeCommit(text: string): Omit<SourceCommit, 'sha'> {
  const blank = text.indexOf('\n\n');
  const headers = text.slice(0, blank < 0 ? text.length : blank).split('\n');
  const message = blank < 0 ? '' : text.slice(blank + 2);
  const author = headers
    .map((line) => /^author (.*) <(.*)> (\d+) [+-]\d{4}$/.exec(line))
    .find((match) => match !== null);
  return {
    subject: message.split('\n', 1)[0] ?? '',
    author: author ? `${author[1]} <${author[2]}>` : '',
    date: new Date(Number(author?.[3] ?? 0) * 1000).toISOString(),
  };
}

/** HEAD's commit id without reading any object (cheap enough to call per queue). */
export async function headSha(dir: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, dir, ref: 'HEAD' });
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));
