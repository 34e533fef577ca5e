import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import git, { type GitProgressEvent } from 'isomorphic-git';
import type { RemoteContext, RepoContext } from './git-repo';
import { encodeIdx } from './pack/idx-file';
import { encodeIndex } from './pack/index-file';
import { fetchPack, listRefs } from './pack/fetch-pack';
import { PackFile } from './pack/pack-file';
import { completeIndex } from './pack/pack-index';
import { WorkTreeWriter } from './pack/work-tree';

/** Classified like isomorphic-git's own NotFoundError: the branch is not among the advertised refs. */
class BranchNotAdvertised extends Error {
  readonly code = 'NotFoundError';
}

/**
 * A single-branch clone into `repo.dir` without holding the pack in memory:
 * one ref listing, the pack streamed to `.git/objects/pack`, indexed by our
 * own indexer, the work tree and `.git/index` written from it. The result is
 * the repository isomorphic-git's clone would leave (same config, refs and
 * HEAD), so fetches and checkouts afterwards go through isomorphic-git.
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
  const packDir = join(gitdir, 'objects', 'pack');
  const incoming = join(packDir, `tmp_pack_${randomBytes(4).toString('hex')}`);
  const workTree = new WorkTreeWriter(dir, tip, progress);
  try {
    const received = await fetchPack(packRemote, advertisement, tip, incoming, workTree, progress);
    const indexed = await completeIndex(incoming, received);
    const name = join(packDir, `pack-${indexed.checksum.toString('hex')}`);
    await writeFile(`${name}.idx`, encodeIdx(indexed));
    await rename(incoming, `${name}.pack`);
    const offsets = new Map(indexed.objects.map((o) => [o.oid.toString('hex'), o.offset]));
    const offsetOf = (oid: string): number | undefined => offsets.get(oid);
    const pack = await PackFile.open(`${name}.pack`, offsetOf);
    try {
      const entries = await workTree.finish(pack, offsetOf);
      await writeFile(join(gitdir, 'index'), encodeIndex(entries));
    } finally {
      await pack.close();
    }
  } finally {
    await workTree.settle();
    await rm(incoming, { force: true });
  }
  await git.writeRef({ fs, dir, ref: `refs/remotes/origin/${branch}`, value: tip, force: true });
  await git.writeRef({ fs, dir, ref, value: tip, force: true });
}
