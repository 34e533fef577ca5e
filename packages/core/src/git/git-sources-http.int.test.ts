import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSourceConfig } from '../config/schema';
import { freeLoopbackPort } from '../ssh/testing';
import { GitHttpServer, UpstreamRepo } from './testing';
import { sourceHarness, type SourceHarness } from './testing/source-harness';

const run = promisify(execFile);
let h: SourceHarness;
let root: string;
let server: GitHttpServer;
let tokenServer: GitHttpServer;
const TOKEN = 'tok-123';

const source = (name: string, url: string, extra: Partial<GitSourceConfig> = {}): GitSourceConfig =>
  GitSourceConfig.parse({ name, url, ...extra });

const repos: UpstreamRepo[] = [];

async function upstream(name: string): Promise<UpstreamRepo> {
  const repo = await UpstreamRepo.create(join(root, name));
  repos.push(repo);
  return repo;
}

beforeAll(async () => {
  h = await sourceHarness('git-http-int-');
  root = join(h.dir, 'repos');
  await mkdir(root, { recursive: true });
  server = await GitHttpServer.start(root);
  tokenServer = await GitHttpServer.start(root, { token: TOKEN });
});
afterAll(async () => {
  await Promise.all(repos.map((r) => r.dispose()));
  await server.close();
  await tokenServer.close();
  await h.dispose();
});

describe('git sources over HTTP (git http-backend)', () => {
  it('clones, fast-forwards, and does a no-op sync with one ref listing and no fetch request', async () => {
    const repo = await upstream('basic.git');
    const first = await repo.commit({ 'jobs.json': '[1]\n' }, 'first');
    const sources = h.create([source('http-basic', server.url('basic.git'))]);
    const cloned = await sources.sync('http-basic');
    expect(cloned).toMatchObject({ cloned: true, transport: 'https', lastError: null });
    expect(cloned.commit?.sha).toBe(first);

    const second = await repo.commit(
      { 'jobs.json': '[1, 2]\n', 'more/deep.txt': 'deep\n' },
      'second',
    );
    expect((await sources.sync('http-basic')).commit?.sha).toBe(second);
    const dir = sources.checkoutDir('http-basic');
    expect(await readFile(join(dir, 'more/deep.txt'), 'utf8')).toBe('deep\n');

    const requests = server.requests.length;
    const again = await sources.sync('http-basic');
    expect(again).toMatchObject({ commit: { sha: second }, lastSyncOutcome: 'up-to-date' });
    expect(server.requests.slice(requests).map((r) => r.method)).toEqual(['GET']);
    const { stdout } = await run('git', ['-C', dir, '-c', 'safe.directory=*', 'fsck', '--full']);
    expect(stdout).toBe('');
  });

  it('sends the token named by token_env and explains a missing or rejected one', async () => {
    const repo = await upstream('private.git');
    const sha = await repo.commit({ 'a.txt': 'a\n' }, 'private');
    const url = tokenServer.url('private.git');

    const anonymous = h.create([source('private', url)]);
    const denied = await anonymous.sync('private').catch((e: unknown) => e);
    expect(denied).toMatchObject({ kind: 'auth_failed' });
    expect((denied as Error).message).toMatch(
      /requires authentication \(HTTP 401.*Set token_env of source "private"/,
    );

    const unset = h.create([source('private', url, { token_env: 'HUT_TEST_TOKEN' })]);
    await expect(unset.sync('private')).rejects.toThrow(
      /names the environment variable HUT_TEST_TOKEN, but it is not set/,
    );

    const wrong = h.create([source('private', url, { token_env: 'HUT_TEST_TOKEN' })], {
      environment: { HUT_TEST_TOKEN: 'nope' },
    });
    await expect(wrong.sync('private')).rejects.toThrow(
      /rejected the token from \$HUT_TEST_TOKEN \(HTTP 401/,
    );

    const right = h.create([source('private', url, { token_env: 'HUT_TEST_TOKEN' })], {
      environment: { HUT_TEST_TOKEN: TOKEN },
    });
    expect((await right.sync('private')).commit?.sha).toBe(sha);
    const config = await readFile(join(right.checkoutDir('private'), '.git', 'config'), 'utf8');
    expect(config).not.toContain(TOKEN);
  });

  it('reports a missing branch with the branches that exist, and leaves no directory behind', async () => {
    const repo = await upstream('branches.git');
    await repo.commit({ 'a.txt': 'a\n' }, 'one');
    const sources = h.create([
      source('http-branch', server.url('branches.git'), { branch: 'release' }),
    ]);
    const error = await sources.sync('http-branch').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'branch_not_found' });
    expect((error as Error).message).toContain('Branch "release" does not exist');
    expect((error as Error).message).toContain('Branches there: main.');
    expect((await readdir(h.cacheDir)).filter((e) => e.includes('http-branch'))).toEqual([]);
  });

  it('reports a repository the server does not have', async () => {
    const sources = h.create([source('http-missing', server.url('missing.git'))]);
    const error = await sources.sync('http-missing').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'repo_not_found' });
    expect((error as Error).message).toMatch(/Repository not found at .*missing\.git \(HTTP 404/);
  });

  it('refuses a force-push and resets to the rewritten branch on request', async () => {
    const repo = await upstream('force.git');
    await repo.commit({ 'base.txt': 'base\n' }, 'base');
    const old = await repo.commit({ 'old.txt': 'old\n' }, 'old');
    const sources = h.create([source('http-force', server.url('force.git'))]);
    await sources.sync('http-force');
    const rewritten = await repo.rewriteLast({ 'new.txt': 'new\n' }, 'new');
    await expect(sources.sync('http-force')).rejects.toMatchObject({ kind: 'non_fast_forward' });
    expect(sources.list()[0]).toMatchObject({ remoteSha: rewritten, commit: { sha: old } });
    expect((await sources.reset('http-force')).commit?.sha).toBe(rewritten);
    await expect(stat(join(sources.checkoutDir('http-force'), 'old.txt'))).rejects.toThrow(
      /ENOENT/,
    );
  });

  it('says a host is unreachable when nothing listens', async () => {
    const port = await freeLoopbackPort();
    const sources = h.create([source('http-down', `http://127.0.0.1:${port}/x.git`)]);
    const error = await sources.sync('http-down').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unreachable' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('re-clones when the configured url changes, replacing the old checkout only when the new one is complete', async () => {
    const a = await upstream('first-home.git');
    await a.commit({ 'from.txt': 'a\n' }, 'a');
    const b = await upstream('second-home.git');
    const bSha = await b.commit({ 'from.txt': 'b\n' }, 'b');
    await h.create([source('moved', server.url('first-home.git'))]).sync('moved');
    const broken = h.create([source('moved', server.url('nowhere.git'))]);
    await expect(broken.sync('moved')).rejects.toMatchObject({ kind: 'repo_not_found' });
    expect(await readFile(join(broken.checkoutDir('moved'), 'from.txt'), 'utf8')).toBe('a\n');
    const moved = h.create([source('moved', server.url('second-home.git'))]);
    expect((await moved.sync('moved')).commit?.sha).toBe(bSha);
    expect(await readFile(join(moved.checkoutDir('moved'), 'from.txt'), 'utf8')).toBe('b\n');
    expect((await readdir(h.cacheDir)).filter((e) => e.startsWith('.moved'))).toEqual([]);
  });
});
