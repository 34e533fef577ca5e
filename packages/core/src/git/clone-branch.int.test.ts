import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, readlink, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSourceConfig } from '../config/schema';
import { GitHttpServer, UpstreamRepo } from './testing';
import { sourceHarness, type SourceHarness } from './testing/source-harness';

const run = promisify(execFile);
const git = async (dir: string, args: string[]): Promise<string> =>
  (
    await run('git', ['-C', dir, '-c', 'safe.directory=*', ...args], {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' },
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout;

let h: SourceHarness;
let server: GitHttpServer;
let repo: UpstreamRepo;

/** Files that change a few lines per commit, so the pack upload-pack sends is mostly deltas. */
function revision(c: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let f = 0; f < 6; f++) {
    const lines = Array.from({ length: 300 }, (_, i) =>
      i % 29 === c % 29 ? `line ${i} of file ${f}, revision ${c}` : `line ${i} of file ${f}`,
    );
    files[`jobs/dir${f % 3}/file ${f}.txt`] = `${lines.join('\n')}\n`;
  }
  files['README.md'] = `revision ${c}\n`;
  return files;
}

beforeAll(async () => {
  h = await sourceHarness('git-clone-int-');
  const root = join(h.dir, 'repos');
  await mkdir(root, { recursive: true });
  server = await GitHttpServer.start(root);
  repo = await UpstreamRepo.create(join(root, 'deltas.git'));
  for (let c = 0; c < 24; c++) await repo.commit(revision(c), `revision ${c}`, false);
  await mkdir(join(repo.workDir, 'bin'), { recursive: true });
  await repo.commit(
    { 'bin/run.sh': '#!/bin/sh\necho run\n', 'ünïcode name.txt': 'ü\n' },
    'script',
    false,
  );
  await chmod(join(repo.workDir, 'bin/run.sh'), 0o755);
  await symlink('../README.md', join(repo.workDir, 'bin/readme-link'));
  await repo.commit({}, 'executable and symlink', true);
}, 120_000);

afterAll(async () => {
  await repo.dispose();
  await server.close();
  await h.dispose();
});

describe('cloning a source with our pack indexer', () => {
  it('leaves the same objects, index and files git has, then fast-forwards', async () => {
    const sources = h.create([
      GitSourceConfig.parse({ name: 'deltas', url: server.url('deltas.git') }),
    ]);
    const status = await sources.sync('deltas');
    expect(status).toMatchObject({ cloned: true, lastSyncOutcome: 'cloned', lastError: null });
    const dir = sources.checkoutDir('deltas');

    expect(await git(dir, ['fsck', '--full', '--strict', '--no-dangling'])).toBe('');
    expect(await git(dir, ['rev-parse', 'HEAD'])).toBe(`${await repo.head()}\n`);
    const objects = async (d: string): Promise<string[]> =>
      (await git(d, ['rev-list', '--objects', '--all'])).trim().split('\n').sort();
    expect(await objects(dir)).toEqual(await objects(repo.bareDir));
    const verify = await git(dir, ['verify-pack', '-v', ...(await packIdx(dir))]);
    expect(verify).toMatch(/chain length = [1-9]/);

    expect(await git(dir, ['ls-files', '-s'])).toBe(await git(repo.workDir, ['ls-files', '-s']));
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
    for (const path of (await git(repo.workDir, ['ls-files', '-z'])).split('\0').filter(Boolean)) {
      if (path === 'bin/readme-link') continue;
      expect(await readFile(join(dir, path), 'utf8'), path).toBe(
        await readFile(join(repo.workDir, path), 'utf8'),
      );
    }
    expect((await stat(join(dir, 'bin/run.sh'))).mode & 0o111).not.toBe(0);
    expect(await readlink(join(dir, 'bin/readme-link'))).toBe('../README.md');
    expect(await git(dir, ['config', 'remote.origin.url'])).toBe(`${server.url('deltas.git')}\n`);

    const next = await repo.commit(revision(30), 'revision 30');
    const ff = await sources.sync('deltas');
    expect(ff).toMatchObject({ lastSyncOutcome: 'fast-forwarded', commit: { sha: next } });
    expect(await readFile(join(dir, 'jobs/dir0/file 3.txt'), 'utf8')).toBe(
      revision(30)['jobs/dir0/file 3.txt'],
    );
    expect(await git(dir, ['fsck', '--full', '--no-dangling'])).toBe('');
    expect(await git(dir, ['status', '--porcelain'])).toBe('');
  });
});

async function packIdx(dir: string): Promise<string[]> {
  const listing = await git(dir, ['count-objects', '-v']);
  expect(listing).toMatch(/packs: 1/);
  const packDir = join(dir, '.git/objects/pack');
  return (await readdir(packDir)).filter((f) => f.endsWith('.idx')).map((f) => join(packDir, f));
}
