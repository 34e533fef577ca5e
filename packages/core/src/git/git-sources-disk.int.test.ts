import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitSourceConfig } from '../config/schema';
import { GitHttpServer, UpstreamRepo } from './testing';
import { sourceHarness, type SourceHarness } from './testing/source-harness';

const run = promisify(execFile);
let h: SourceHarness;
let server: GitHttpServer;
let smallDisk: string;
let mounted = false;
let repo: UpstreamRepo | null = null;

beforeAll(async () => {
  h = await sourceHarness('git-disk-int-');
  await mkdir(join(h.dir, 'repos'), { recursive: true });
  server = await GitHttpServer.start(join(h.dir, 'repos'));
  smallDisk = join(h.dir, 'small-disk');
  await mkdir(smallDisk);
  // A 2 MB file system stands in for a full disk (needs root, as the testbed does).
  mounted = await run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', smallDisk]).then(
    () => true,
    () => false,
  );
});
afterAll(async () => {
  await repo?.dispose();
  if (mounted) await run('umount', [smallDisk]);
  await server.close();
  await h.dispose();
});

describe('git sources on a full disk', () => {
  it('reports disk_full and keeps the previous checkout when the fetched pack does not fit', async (ctx) => {
    if (!mounted) ctx.skip();
    repo = await UpstreamRepo.create(join(h.dir, 'repos', 'big.git'));
    const first = await repo.commit({ 'jobs.json': '[1]\n' }, 'small start');
    const cacheDir = join(smallDisk, 'cache');
    const sources = h.create(
      [GitSourceConfig.parse({ name: 'disk', url: server.url('big.git') })],
      { cacheDir },
    );
    expect((await sources.sync('disk')).commit?.sha).toBe(first);

    // Random bytes do not compress: this pack alone is larger than the file system.
    await repo.commit(
      { 'blob.bin': randomBytes(3 * 1024 * 1024), 'jobs.json': '[1, 2]\n' },
      'too big',
    );
    const error = await sources.sync('disk').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'disk_full' });
    expect((error as Error).message).toMatch(
      /^No space left on the disk holding .* \(ENOSPC\)\. Free some space/,
    );
    const status = sources.list()[0];
    expect(status).toMatchObject({
      cloned: true,
      lastErrorKind: 'disk_full',
      commit: { sha: first },
    });
    expect(await readFile(join(sources.checkoutDir('disk'), 'jobs.json'), 'utf8')).toBe('[1]\n');
  });
});
