import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHealth } from '../service/health';
import { HistoryStore } from './history-store';
import { makeJob, makeTempDir, setImmutable } from './testing';

const probe = makeTempDir('scripthut-probe-');
const canChattr = setImmutable([probe.dir], true) && setImmutable([probe.dir], false);
probe.remove();

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(): Promise<{ store: HistoryStore; path: string }> {
  const temp = makeTempDir();
  const path = join(temp.dir, 'scripthut.db');
  const store = await HistoryStore.open(path);
  cleanups.push(temp.remove, async () => await store.close());
  return { store, path };
}

describe('store health', () => {
  it('is ok for a store that takes writes', async () => {
    const { store, path } = await openStore();
    await store.upsertJobs([makeJob({ id: 'a' })]);
    expect(await store.health()).toEqual({ status: 'ok', kind: 'sqlite', path, error: null, since: null });
  });

  it('makes /health degraded with the store error while the store is unavailable', () => {
    const store = {
      status: 'unavailable' as const,
      kind: 'sqlite' as const,
      path: '/d/scripthut.db',
      error: 'History database /d/scripthut.db cannot be written: the disk is full',
      since: '2026-01-01T00:00:00.000Z',
    };
    expect(buildHealth([], store)).toEqual({
      status: 'degraded',
      clusters: {},
      total_jobs: 0,
      store,
    });
    expect(buildHealth([], { ...store, status: 'ok', error: null, since: null }).status).toBe('ok');
  });

  it.skipIf(!canChattr)(
    'turns unavailable when a write fails and recovers by itself once the file is writable (chattr +i; needs root)',
    async () => {
      const { store, path } = await openStore();
      await store.upsertJobs([makeJob({ id: 'before' })]);
      const files = [path, `${path}-wal`];
      expect(setImmutable(files, true)).toBe(true);
      cleanups.push(() => setImmutable(files, false));

      await expect(store.upsertJobs([makeJob({ id: 'blocked' })])).rejects.toThrowError(/read-only/);
      const failed = await store.health();
      expect(failed).toMatchObject({
        status: 'unavailable',
        path,
        error: expect.stringMatching(/is read-only: .* is not writable/) as string,
      });
      expect(failed.since).not.toBeNull();
      // Reads still work while writes fail.
      expect(await store.getJob('before')).not.toBeNull();

      expect(setImmutable(files, false)).toBe(true);
      await new Promise((r) => setTimeout(r, 2_100));
      expect(await store.health()).toEqual({ status: 'ok', kind: 'sqlite', path, error: null, since: null });
      expect(await store.getMeta('health_probe')).not.toBeNull();
    },
  );
});
