import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import git, { type GitProgressEvent } from 'isomorphic-git';
import type { RemoteContext, RepoContext } from './git-repo';
import { encodeIndex } from './pack/index-file';
import { listRefs } from './pack/fetch-pack';
import { PackFile } from './pack/pack-file';
import { WorkTreeWriter } from './pack/work-tree';
import { receivePack } from './receive-pack';

/** Classified like isomorphic-git's own NotFoundError: the branch is not among the advertised refs. */
export class BranchNotAdvertised extends Error {
  readonly code = 'NotFoundError';
}

/**
 * A single-branch clone into `repo.dir` without holding the pack in memory:
 * one ref listing, the pack streamed to `.git/objects/pack` and indexed as it
 * arrives, the work tree written while it arrives (and from the pack after),
 * then `.git/index`. The result is the repository isomorphic-git's clone
 * would leave (same config, refs and HEAD), so its checkouts work on it.
 * Full history is fetched (no shallow clone): fast-forward checks walk it.
 */
export async function cloneBranch(
  repo: RepoContext,
  remote: RemoteContext,
  branch: string,
): Promise<void> {
  const packRemote = { session: remote.session, url: remote.url };
  const advertisement = await listRefs(packRemote);
  const ref = `refs/heads/${branch}`;
  const tip = advertisement.refs.get(ref);
  if (!tip) throw new BranchNotAdvertised(`Could not find ${ref} on the remote.`);

  const { dir } = repo;
  const gitdir = join(dir, '.git');
  await git.init({ fs, dir, defaultBranch: branch });
  await git.addRemote({ fs, dir, remote: 'origin', url: remote.url });
  await git.setConfig({ fs, dir, path: `branch.${branch}.remote`, value: 'origin' });
  await git.setConfig({ fs, dir, path: `branch.${branch}.merge`, value: ref });

  const { onProgress } = repo;
  const progress = onProgress
    ? (event: GitProgressEvent): void => void onProgress(event)
    : undefined;
  const workTree = new WorkTreeWriter(dir, tip, progress);
  try {
    const stored = await receivePack(gitdir, packRemote, advertisement, tip, {
      haves: [],
      sink: workTree,
      onProgress: progress,
    });
    const pack = await PackFile.open(stored.path, stored.offsetOf);
    try {
      const entries = await workTree.finish(pack, stored.offsetOf);
      await writeFile(join(gitdir, 'index'), encodeIndex(entries));
    } finally {
      await pack.close();
    }
  } finally {
    await workTree.settle();
  }
  await git.writeRef({ fs, dir, ref: `refs/remotes/origin/${branch}`, value: tip, force: true });
  await git.writeRef({ fs, dir, ref, value: tip, force: true });
}
