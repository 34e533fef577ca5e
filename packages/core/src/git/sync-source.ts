import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressCallback } from 'isomorphic-git';
import type { SyncOutcome } from '../domain/source';
import { toSourceError } from './classify-error';
import { checkoutState, isAncestor, localHead, moveBranch, type RepoContext } from './git-repo';
import { cloneBranch } from './clone-branch';
import { fetchBranch } from './fetch-branch';
import type { OpenSession } from './open-session';
import type { RemoteSession } from './remote-session';
import { SourceError } from './source-error';

/** Everything fixed about one source's checkout. */
export interface SourcePlan {
  name: string;
  /** As configured, for messages. */
  url: string;
  branch: string;
  cacheDir: string;
  /** `cacheDir/<name>`. */
  dir: string;
  /** What isomorphic-git is told the remote is. */
  remoteUrl: string;
  openSession: OpenSession;
}

export interface SyncResult {
  outcome: SyncOutcome;
  /** Bytes received from the remote by this sync (ref listings and pack). */
  bytesReceived: number;
}

export interface RunOptions {
  signal: AbortSignal;
  onProgress?: ProgressCallback;
  /** isomorphic-git object cache to use (and keep warm for reading the new commit afterwards). */
  cache?: object;
}

/**
 * Clone (into a temporary directory, moved into place only when complete) or
 * fetch and fast-forward. A failure leaves the previous checkout as it was;
 * an upstream rewrite is refused with `non_fast_forward` (see resetSource).
 * When the remote branch is where the checkout is, one ref listing is all it
 * costs: no fetch request, no pack.
 */
export async function syncSource(plan: SourcePlan, options: RunOptions): Promise<SyncResult> {
  const state = await prepare(plan);
  if (state !== 'ok') return cloneAndSwap(plan, options);
  return withSession(plan, options, async (session, repo) => {
    const local = await localHead(repo, plan.branch);
    const remote = await fetchRemote(plan, session, repo, local);
    if (local === remote) return 'up-to-date' as const;
    if (!(await isAncestor(repo, local, remote))) throw nonFastForward(plan, local, remote);
    await moveBranch(repo, plan.branch, remote, false);
    return 'fast-forwarded' as const;
  });
}

/** Fetch, then make the checkout exactly the remote branch's commit, discarding local commits and changes. */
export async function resetSource(plan: SourcePlan, options: RunOptions): Promise<SyncResult> {
  const state = await prepare(plan);
  if (state !== 'ok') return cloneAndSwap(plan, options);
  return withSession(plan, options, async (session, repo) => {
    // A checkout too broken to name its commit is reset all the same, from a whole pack.
    const local = await localHead(repo, plan.branch).catch(() => null);
    const remote = await fetchRemote(plan, session, repo, local);
    await moveBranch(repo, plan.branch, remote, true);
    return 'reset' as const;
  });
}

async function prepare(plan: SourcePlan): Promise<Awaited<ReturnType<typeof checkoutState>>> {
  await mkdir(plan.cacheDir, { recursive: true }).catch((error: unknown) => {
    throw toSourceError(error, { ...context(plan), dir: plan.cacheDir, session: null });
  });
  await removeLeftovers(plan);
  const state = await checkoutState(plan.dir, plan.remoteUrl, plan.branch);
  if (state === 'foreign') {
    throw new SourceError(
      'not_a_checkout',
      `${plan.dir} exists but is not a git checkout, so source "${plan.name}" cannot be cloned there. ` +
        `Move it away or delete it, then sync again.`,
    );
  }
  return state;
}

async function fetchRemote(
  plan: SourcePlan,
  session: RemoteSession,
  repo: RepoContext,
  local: string | null,
): Promise<string> {
  const remote = await fetchBranch(repo, { session, url: plan.remoteUrl }, plan.branch, local);
  if (remote === null) {
    throw new SourceError(
      'branch_not_found',
      `The repository ${plan.url} is empty: it has no branch "${plan.branch}".`,
    );
  }
  return remote;
}

function nonFastForward(plan: SourcePlan, local: string, remote: string): SourceError {
  return new SourceError(
    'non_fast_forward',
    `Branch "${plan.branch}" of ${plan.url} was rewritten upstream (force-pushed): the remote commit ` +
      `${remote.slice(0, 12)} does not contain the checked-out commit ${local.slice(0, 12)}, so it cannot be ` +
      `fast-forwarded. The checkout stays at ${local.slice(0, 12)}. Reset moves it to ${remote.slice(0, 12)} ` +
      `(discarding commits and changes that exist only in the checkout).`,
    { localSha: local, remoteSha: remote },
  );
}

/** A first clone, or a re-clone after the url or branch changed: the old checkout is replaced only by a complete one. */
async function cloneAndSwap(plan: SourcePlan, options: RunOptions): Promise<SyncResult> {
  const fresh = join(plan.cacheDir, `.${plan.name}.clone-${randomBytes(4).toString('hex')}`);
  try {
    const { bytesReceived } = await withSession(plan, { ...options, dir: fresh }, (session, repo) =>
      cloneBranch(repo, { session, url: plan.remoteUrl }, plan.branch),
    );
    await swapInto(
      fresh,
      plan.dir,
      join(plan.cacheDir, `.${plan.name}.old-${randomBytes(4).toString('hex')}`),
    );
    return { outcome: 'cloned', bytesReceived };
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

async function swapInto(fresh: string, dir: string, trash: string): Promise<void> {
  let moved = false;
  try {
    await rename(dir, trash);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(fresh, dir);
  } catch (error) {
    if (moved) await rename(trash, dir);
    throw error;
  }
  if (moved) await rm(trash, { recursive: true, force: true });
}

/** Temporary clones and replaced checkouts a crash left behind. */
async function removeLeftovers(plan: SourcePlan): Promise<void> {
  const prefixes = [`.${plan.name}.clone-`, `.${plan.name}.old-`];
  const entries = await readdir(plan.cacheDir).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => prefixes.some((p) => entry.startsWith(p)))
      .map((entry) => rm(join(plan.cacheDir, entry), { recursive: true, force: true })),
  );
}

/** Runs `fn` on a fresh session; its result becomes the outcome, with the bytes the session received. */
async function withSession<T>(
  plan: SourcePlan,
  options: RunOptions & { dir?: string },
  fn: (session: RemoteSession, repo: RepoContext) => Promise<T>,
): Promise<{ outcome: T; bytesReceived: number }> {
  const dir = options.dir ?? plan.dir;
  const session = plan.openSession(options.signal);
  const repo: RepoContext = {
    dir,
    cache: options.cache ?? {},
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  try {
    const outcome = await fn(session, repo);
    return { outcome, bytesReceived: session.bytesReceived };
  } catch (error) {
    throw toSourceError(error, { ...context(plan), dir, session });
  } finally {
    await session.close();
  }
}

const context = (plan: SourcePlan) => ({ source: plan.name, url: plan.url, branch: plan.branch });
