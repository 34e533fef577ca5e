import fs from 'node:fs';
import { join } from 'node:path';
import git, { type GitProgressEvent } from 'isomorphic-git';
import { BranchNotAdvertised } from './clone-branch';
import type { RemoteContext, RepoContext } from './git-repo';
import { listRefs } from './pack/fetch-pack';
import { hasObject } from './pack/object-store';
import { receivePack } from './receive-pack';

/**
 * Where `branch` is on the remote, fetched into refs/remotes/origin/<branch>:
 * one ref listing, and when the remote commit is neither `local` (null: not
 * known) nor already here, one pack of what `local` lacks, streamed and indexed by our own
 * indexer (isomorphic-git's fetch holds it in memory). When the remote is
 * where `local` is, nothing is requested, written or read: a no-op sync costs
 * the listing alone. Null: the remote is empty.
 */
export async function fetchBranch(
  repo: RepoContext,
  remote: RemoteContext,
  branch: string,
  local: string | null,
): Promise<string | null> {
  const advertisement = await listRefs(remote);
  const ref = `refs/heads/${branch}`;
  const tip = advertisement.refs.get(ref);
  if (!tip) {
    if (advertisement.refs.size === 0) return null;
    throw new BranchNotAdvertised(`Could not find ${ref} on the remote.`);
  }
  if (tip === local) return tip;
  const gitdir = join(repo.dir, '.git');
  if (!(await hasObject(gitdir, tip))) {
    const { onProgress } = repo;
    await receivePack(gitdir, remote, advertisement, tip, {
      haves: local === null ? [] : [local],
      sink: null,
      onProgress: onProgress
        ? (event: GitProgressEvent): void => void onProgress(event)
        : undefined,
    });
  }
  await git.writeRef({
    fs,
    dir: repo.dir,
    ref: `refs/remotes/origin/${branch}`,
    value: tip,
    force: true,
  });
  return tip;
}
