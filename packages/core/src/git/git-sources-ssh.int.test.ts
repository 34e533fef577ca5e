import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSourceConfig } from '../config/schema';
import { freeLoopbackPort, readTestbed } from '../ssh/testing';
import { SourceError } from './source-error';
import { sourceHarness, type SourceHarness } from './testing/source-harness';
import { UpstreamRepo } from './testing';

let env: Record<string, string>;
let h: SourceHarness;
const repos: UpstreamRepo[] = [];

/** A bare repository in the git account's home, served by git-shell over the testbed sshd. */
async function upstream(name: string): Promise<UpstreamRepo> {
  const user = env.HUT_GIT_USER ?? 'hutgit';
  const repo = await UpstreamRepo.create(`/home/${user}/${name}`, { owner: user });
  repos.push(repo);
  return repo;
}

function source(name: string, url: string, extra: Partial<GitSourceConfig> = {}): GitSourceConfig {
  return GitSourceConfig.parse({
    name,
    url,
    deploy_key: env[`HUT_KEY_${env.HUT_GIT_USER ?? 'hutgit'}`],
    known_hosts: env.HUT_SSH_KNOWN_HOSTS,
    ...extra,
  });
}

const sshUrl = (path: string): string =>
  `ssh://${env.HUT_GIT_USER}@${env.HUT_SSH_HOST}:${env.HUT_SSH_PORT}/${path}`;

beforeAll(async () => {
  env = await readTestbed();
  if (!env.HUT_GIT_USER)
    throw new Error('The testbed has no git account: run `bash testbed/up.sh` (it adds hutgit).');
  h = await sourceHarness('git-ssh-int-');
});
afterAll(async () => {
  await Promise.all(repos.map((r) => r.dispose()));
  await h.dispose();
});

describe('git sources over SSH (git-shell account, deploy key)', () => {
  it('clones, fast-forwards to new commits, and a no-op sync receives only the ref listing', async () => {
    const repo = await upstream('ssh-basic.git');
    const first = await repo.commit(
      { 'jobs.json': '[1]\n', 'README.md': '# jobs\n' },
      'first jobs\n\nbody text',
    );
    const sources = h.create([source('basic', sshUrl('~/ssh-basic.git'))]);

    const cloned = await sources.sync('basic');
    expect(cloned).toMatchObject({
      cloned: true,
      lastError: null,
      syncing: false,
      transport: 'ssh',
    });
    expect(cloned.commit).toMatchObject({
      sha: first,
      subject: 'first jobs',
      author: 'Upstream Author <upstream@example.test>',
    });
    expect(await readFile(join(sources.checkoutDir('basic'), 'jobs.json'), 'utf8')).toBe('[1]\n');
    expect(await sources.currentCommit('basic')).toBe(first);

    const second = await repo.commit({ 'jobs.json': '[1, 2]\n', 'README.md': null }, 'more jobs');
    const synced = await sources.sync('basic');
    expect(synced).toMatchObject({ commit: { sha: second }, lastSyncOutcome: 'fast-forwarded' });
    expect(await readFile(join(sources.checkoutDir('basic'), 'jobs.json'), 'utf8')).toBe(
      '[1, 2]\n',
    );
    await expect(stat(join(sources.checkoutDir('basic'), 'README.md'))).rejects.toThrow(/ENOENT/);

    const before = h.events.length;
    const again = await sources.sync('basic');
    expect(again).toMatchObject({ commit: { sha: second }, lastSyncOutcome: 'up-to-date' });
    // Exactly upload-pack's advertisement: no second listing, no wants, no pack.
    expect(again.lastSyncBytes).toBe(repo.advertisementBytes());
    expect(synced.lastSyncBytes).toBeGreaterThan(again.lastSyncBytes ?? 0);
    expect(again.lastSyncAt).not.toBeNull();
    expect(h.events.slice(before).map((e) => e.status.syncing)).toEqual([true, false]);
  });

  it('quotes repository paths with spaces and single quotes for git-shell', async () => {
    const repo = await upstream("it's a repo.git");
    const sha = await repo.commit({ 'a.txt': 'a\n' }, 'quoted path');
    const sources = h.create([
      source('quoted', sshUrl(`home/${env.HUT_GIT_USER}/it's a repo.git`)),
    ]);
    expect((await sources.sync('quoted')).commit?.sha).toBe(sha);
  });

  it('reports a rejected deploy key as permission denied and keeps the previous checkout', async () => {
    const repo = await upstream('ssh-wrongkey.git');
    const sha = await repo.commit({ 'x.txt': 'x\n' }, 'one');
    const good = h.create([source('wrongkey', sshUrl('~/ssh-wrongkey.git'))]);
    await good.sync('wrongkey');
    const bad = h.create([
      source('wrongkey', sshUrl('~/ssh-wrongkey.git'), { deploy_key: env.HUT_KEY_hutuser }),
    ]);
    const error = await bad.sync('wrongkey').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ kind: 'auth_failed', code: 'SSH_AUTH_FAILED' });
    expect((error as Error).message).toMatch(
      /^Permission denied: .*rejected the deploy key .*hutuser_ed25519/,
    );
    const status = bad.list()[0];
    expect(status).toMatchObject({ cloned: true, lastErrorKind: 'auth_failed', syncing: false });
    expect(status?.commit?.sha).toBe(sha);
    expect(await readFile(join(bad.checkoutDir('wrongkey'), 'x.txt'), 'utf8')).toBe('x\n');
  });

  it('refuses an unknown host key and says how to trust it', async () => {
    const repo = await upstream('ssh-hostkey.git');
    await repo.commit({ 'x.txt': 'x\n' }, 'one');
    const emptyKnownHosts = join(h.dir, 'empty_known_hosts');
    await writeFile(emptyKnownHosts, '');
    const sources = h.create([
      source('hostkey', sshUrl('~/ssh-hostkey.git'), { known_hosts: emptyKnownHosts }),
    ]);
    const error = await sources.sync('hostkey').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'host_key_unknown', code: 'SSH_HOST_KEY_UNKNOWN' });
    const message = (error as Error).message;
    expect(message).toContain(
      `ssh-keyscan -p ${env.HUT_SSH_PORT} -t ed25519 ${env.HUT_SSH_HOST} >> ${emptyKnownHosts}`,
    );
    expect(message).toContain(
      `in the config of source "hostkey" with: host_key_fingerprint: ${env.HUT_SSH_HOST_KEY_SHA256}`,
    );
    expect(sources.list()[0]).toMatchObject({ cloned: false, lastErrorKind: 'host_key_unknown' });
    await expect(readdir(h.cacheDir)).resolves.not.toContain('hostkey');

    const pinned = h.create([
      source('hostkey', sshUrl('~/ssh-hostkey.git'), {
        known_hosts: emptyKnownHosts,
        host_key_fingerprint: env.HUT_SSH_HOST_KEY_SHA256,
      }),
    ]);
    expect((await pinned.sync('hostkey')).cloned).toBe(true);
  });

  it('names the branches that exist when the configured branch is missing', async () => {
    const repo = await upstream('ssh-branch.git');
    await repo.commit({ 'x.txt': 'x\n' }, 'one');
    const sources = h.create([source('branch', sshUrl('~/ssh-branch.git'), { branch: 'nope' })]);
    const error = await sources.sync('branch').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'branch_not_found' });
    expect((error as Error).message).toMatch(
      /Branch "nope" does not exist in .*Branches there: main\./,
    );
    expect(await readdir(h.cacheDir)).not.toContain('branch');
  });

  it('reports a missing repository with what upload-pack said', async () => {
    const sources = h.create([source('norepo', sshUrl('~/does-not-exist.git'))]);
    const error = await sources.sync('norepo').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'repo_not_found' });
    expect((error as Error).message).toMatch(/does not appear to be a git repository/);
  });

  it('refuses to fast-forward over a force-push, says so, and reset moves to the remote commit', async () => {
    const repo = await upstream('ssh-force.git');
    await repo.commit({ 'keep.txt': 'keep\n' }, 'base');
    const old = await repo.commit({ 'old-only.txt': 'old\n' }, 'to be rewritten');
    const sources = h.create([source('force', sshUrl('~/ssh-force.git'))]);
    expect((await sources.sync('force')).commit?.sha).toBe(old);

    const rewritten = await repo.rewriteLast({ 'new-only.txt': 'new\n' }, 'rewritten');
    const error = await sources.sync('force').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'non_fast_forward', code: 'CONFLICT' });
    expect((error as Error).message).toMatch(
      /rewritten upstream \(force-pushed\).*Reset moves it to/,
    );
    const status = sources.list()[0];
    expect(status).toMatchObject({ lastErrorKind: 'non_fast_forward', remoteSha: rewritten });
    expect(status?.commit?.sha).toBe(old);
    const dir = sources.checkoutDir('force');
    expect(await readFile(join(dir, 'old-only.txt'), 'utf8')).toBe('old\n');

    const reset = await sources.reset('force');
    expect(reset).toMatchObject({ lastError: null, lastErrorKind: null, remoteSha: null });
    expect(reset.commit?.sha).toBe(rewritten);
    expect(await readFile(join(dir, 'new-only.txt'), 'utf8')).toBe('new\n');
    await expect(stat(join(dir, 'old-only.txt'))).rejects.toThrow(/ENOENT/);
    expect((await sources.sync('force')).commit?.sha).toBe(rewritten);
  });

  it('reports an unreachable host without waiting for a timeout', async () => {
    const port = await freeLoopbackPort();
    const sources = h.create([
      source('down', `ssh://${env.HUT_GIT_USER}@127.0.0.1:${port}/~/x.git`),
    ]);
    const started = Date.now();
    const error = await sources.sync('down').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toMatch(/Connection refused by 127\.0\.0\.1:\d+/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('runs one sync at a time per source: a second request joins the running one', async () => {
    const repo = await upstream('ssh-concurrent.git');
    const sha = await repo.commit({ 'x.txt': 'x\n' }, 'one');
    const sources = h.create([source('concurrent', sshUrl('~/ssh-concurrent.git'))]);
    const [a, b] = await Promise.all([sources.sync('concurrent'), sources.sync('concurrent')]);
    expect(a.commit?.sha).toBe(sha);
    expect(b).toEqual(a);
    await sources.reset('concurrent');
    const starts = h.events.filter(
      (e) => e.status.name === 'concurrent' && e.status.syncing && !e.status.progress,
    ).length;
    expect(starts).toBe(2);
    await rm(sources.checkoutDir('concurrent'), { recursive: true });
  });

  it('syncs every source in the background at start and publishes each one as it finishes', async () => {
    const one = await upstream('ssh-start-one.git');
    const two = await upstream('ssh-start-two.git');
    const shaOne = await one.commit({ 'a.txt': '1\n' }, 'one');
    const shaTwo = await two.commit({ 'b.txt': '2\n' }, 'two');
    const done = new Set<string>();
    let finished: () => void = () => undefined;
    const bothSynced = new Promise<void>((resolve) => (finished = resolve));
    const sources = h.create(
      [
        source('start-one', sshUrl('~/ssh-start-one.git')),
        source('start-two', sshUrl('~/ssh-start-two.git')),
      ],
      {
        publish: ({ status }) => {
          if (status.lastSyncAt && !status.syncing) done.add(status.name);
          if (done.size === 2) finished();
        },
      },
    );
    sources.start();
    expect(sources.list().every((s) => !s.cloned)).toBe(true);
    await bothSynced;
    expect(sources.list().map((s) => s.commit?.sha)).toEqual([shaOne, shaTwo]);
  });

  it('clones and updates a repository of thousands of files', async () => {
    const repo = await upstream('ssh-large.git');
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++) files[`dir${i % 30}/file${i}.txt`] = `file ${i}\n`.repeat(20);
    await repo.commit(files, 'many files');
    const sources = h.create([source('large', sshUrl('~/ssh-large.git'))]);
    const cloned = await sources.sync('large');
    const dir = sources.checkoutDir('large');
    const counts = await Promise.all(
      Array.from({ length: 30 }, (_, d) => readdir(join(dir, `dir${d}`)).then((f) => f.length)),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3000);
    const changed: Record<string, string | null> = {
      'dir0/file0.txt': 'changed\n',
      'dir1/file1.txt': null,
    };
    const sha = await repo.commit(changed, 'change two');
    const updated = await sources.sync('large');
    expect(updated.commit?.sha).toBe(sha);
    // The fetch names the checked-out commit: only the new commit, its trees and one blob come.
    expect(updated.lastSyncBytes).toBeLessThan((cloned.lastSyncBytes ?? 0) / 10);
    expect(await readFile(join(dir, 'dir0/file0.txt'), 'utf8')).toBe('changed\n');
    await expect(stat(join(dir, 'dir1/file1.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('holds syncs of a source while a caller works in its checkout', async () => {
    const repo = await upstream('ssh-hold.git');
    const first = await repo.commit({ 'x.txt': 'first\n' }, 'first');
    const sources = h.create([source('hold', sshUrl('~/ssh-hold.git'))]);
    await sources.sync('hold');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = sources.withCheckout('hold', async ({ dir, commit }) => {
      await gate;
      return { commit, text: await readFile(join(dir, 'x.txt'), 'utf8') };
    });
    const second = await repo.commit({ 'x.txt': 'second\n' }, 'second');
    const syncing = sources.sync('hold');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sources.list()[0]?.syncing).toBe(false);
    release();
    expect(await held).toEqual({ commit: first, text: 'first\n' });
    expect((await syncing).commit?.sha).toBe(second);
  });
});
