import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../runtime/errors';
import { HistoryStore } from './history-store';
import { makeJob, makeTempDir, mountTmpfs, remount, setImmutable, unmount } from './testing';

// Root ignores file modes, so read-only and disk-full are produced with a
// tmpfs (size limit, read-only remount) and the immutable attribute.
const probe = makeTempDir('scripthut-probe-');
const canMount = mountTmpfs(probe.dir, '64k') && unmount(probe.dir);
writeFileSync(join(probe.dir, 'f'), '');
const canChattr =
  setImmutable([join(probe.dir, 'f')], true) && setImmutable([join(probe.dir, 'f')], false);
probe.remove();

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const storeUnavailable = (path: string, problem: RegExp): Error =>
  expect.objectContaining({
    name: 'CoreError',
    code: 'STORE_UNAVAILABLE',
    message: expect.stringMatching(problem) as string,
    details: expect.objectContaining({ path }) as object,
  }) as Error;

const jobs = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    makeJob({ id: `${prefix}:${i}`, name: 'x'.repeat(200), command: 'y'.repeat(500) }),
  );

async function openIn(dir: string): Promise<{ store: HistoryStore; path: string }> {
  const path = join(dir, 'scripthut.db');
  const store = await HistoryStore.open(path);
  cleanups.push(() => store.close());
  return { store, path };
}

function tmpfsDir(size: string): string {
  const temp = makeTempDir();
  if (!mountTmpfs(temp.dir, size)) throw new Error('mount failed after the probe succeeded');
  cleanups.push(() => {
    unmount(temp.dir);
    temp.remove();
  });
  return temp.dir;
}

describe('a damaged or unreachable database', () => {
  it('refuses a corrupt file with STORE_UNAVAILABLE naming the path', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const path = join(temp.dir, 'scripthut.db');
    writeFileSync(path, 'this is not a database, just text. '.repeat(300));
    await expect(HistoryStore.open(path)).rejects.toEqual(
      storeUnavailable(path, /corrupt or not a SQLite database/),
    );
    await expect(HistoryStore.open(path)).rejects.toThrowError(path);
  });

  it('refuses a path whose parent is a file', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    writeFileSync(join(temp.dir, 'file'), '');
    const path = join(temp.dir, 'file', 'scripthut.db');
    await expect(HistoryStore.open(path)).rejects.toEqual(
      storeUnavailable(path, /cannot be opened/),
    );
  });
});

describe.skipIf(!canMount)('disk full (tmpfs with a size limit; needs root)', () => {
  it('fails the write with STORE_UNAVAILABLE, keeps earlier data, and writes again once space is freed', async () => {
    const dir = tmpfsDir('16m');
    const { store, path } = await openIn(dir);
    await store.upsertJobs(jobs('before', 10));
    const filler = join(dir, 'filler');
    try {
      for (;;) appendFileSync(filler, Buffer.alloc(4096));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }

    let thrown: unknown;
    try {
      await store.upsertJobs(jobs('full', 2_000));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CoreError);
    expect(thrown).toEqual(storeUnavailable(path, /disk is full/));
    expect(await store.getJob('before:9')).not.toBeNull();
    expect(await store.getJob('full:0')).toBeNull();

    rmSync(filler);
    await store.upsertJobs(jobs('full', 2_000));
    expect((await store.listJobs({ limit: 1 })).total).toBe(2_010);
  });
});

describe.skipIf(!canMount)('read-only file system (tmpfs remounted read-only; needs root)', () => {
  it('refuses to open with STORE_UNAVAILABLE, and opens and writes again once writable', async () => {
    const dir = tmpfsDir('4m');
    const path = join(dir, 'scripthut.db');
    const first = await HistoryStore.open(path);
    await first.upsertJobs(jobs('before', 3));
    await first.close();

    remount(dir, 'ro');
    await expect(HistoryStore.open(path)).rejects.toEqual(
      storeUnavailable(path, /is on a read-only file system/),
    );
    remount(dir, 'rw');

    const { store } = await openIn(dir);
    await store.upsertJobs(jobs('after', 3));
    expect((await store.listJobs()).total).toBe(6);
  });
});

describe.skipIf(!canChattr)(
  'database file made immutable under an open store (chattr +i; needs root)',
  () => {
    it('fails writes with STORE_UNAVAILABLE and writes again on the same store once restored', async () => {
      const temp = makeTempDir();
      cleanups.push(temp.remove);
      const { store, path } = await openIn(temp.dir);
      await store.upsertJobs(jobs('before', 3));
      // Not the -shm file: SQLite memory-maps it, and a write fault on an immutable mapping kills the process (SIGBUS).
      const files = [path, `${path}-wal`];
      expect(setImmutable(files, true)).toBe(true);
      cleanups.push(() => setImmutable(files, false));

      await expect(store.upsertJobs(jobs('blocked', 3))).rejects.toThrowError(
        storeUnavailable(path, /is read-only: .* is not writable/),
      );
      expect(setImmutable(files, false)).toBe(true);
      await store.upsertJobs(jobs('after', 3));
      expect((await store.listJobs()).total).toBe(6);
      expect(await store.getJob('blocked:0')).toBeNull();
    });
  },
);
