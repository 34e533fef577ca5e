import type { SourceStatus } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { canReset, lastSyncText, progressText, sourceBadge, withStatus } from './source-view';

const source = (over: Partial<SourceStatus> = {}): SourceStatus => ({
  name: 'jobs',
  url: 'git@host:org/jobs.git',
  branch: 'main',
  transport: 'ssh',
  cloned: true,
  commit: {
    sha: 'a'.repeat(40),
    subject: 's',
    author: 'A <a@x>',
    date: '2026-01-01T00:00:00.000Z',
  },
  lastSyncAt: null,
  lastAttemptAt: null,
  lastError: null,
  lastErrorKind: null,
  remoteSha: null,
  lastSyncOutcome: null,
  lastSyncBytes: null,
  syncing: false,
  progress: null,
  ...over,
});

describe('source view', () => {
  it.each([
    [{ syncing: true }, 'progress', 'syncing'],
    [{ syncing: true, cloned: false }, 'progress', 'cloning'],
    [{ lastError: 'x', lastErrorKind: 'unreachable' as const }, 'warning', 'sync failed'],
    [{ lastError: 'x', cloned: false }, 'danger', 'not cloned'],
    [{}, 'success', 'synced'],
    [{ cloned: false }, 'neutral', 'not synced yet'],
  ])('badges %j as %s %s', (over, tone, label) => {
    expect(sourceBadge(source(over))).toEqual({ tone, label });
  });

  it('describes progress with and without a total', () => {
    expect(progressText(null)).toBeNull();
    expect(progressText({ phase: 'Receiving objects', loaded: 450, total: 1000 })).toBe(
      'Receiving objects 45% (450/1,000)',
    );
    expect(progressText({ phase: 'Analyzing workdir', loaded: 0, total: 0 })).toBe(
      'Analyzing workdir',
    );
  });

  it('offers reset only for a rewritten upstream or local changes in a checkout', () => {
    expect(canReset(source({ lastErrorKind: 'non_fast_forward' }))).toBe(true);
    expect(canReset(source({ lastErrorKind: 'local_changes' }))).toBe(true);
    expect(canReset(source({ lastErrorKind: 'auth_failed' }))).toBe(false);
    expect(canReset(source({ lastErrorKind: 'non_fast_forward', cloned: false }))).toBe(false);
  });

  it('replaces a status by name and keeps the order', () => {
    const list = [source({ name: 'a' }), source({ name: 'b' })];
    const next = withStatus(list, source({ name: 'a', syncing: true }));
    expect(next.map((s) => [s.name, s.syncing])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(list[0]?.syncing).toBe(false);
    expect(withStatus(list, source({ name: 'c' })).map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  it('says what the last sync did and how much it received', () => {
    expect(lastSyncText(source())).toBeNull();
    expect(lastSyncText(source({ lastSyncOutcome: 'up-to-date', lastSyncBytes: 324 }))).toBe(
      'already up to date, 324 B received',
    );
    expect(lastSyncText(source({ lastSyncOutcome: 'cloned', lastSyncBytes: 47_400_000 }))).toBe(
      'cloned, 45 MB received',
    );
    expect(lastSyncText(source({ lastSyncOutcome: 'fast-forwarded', lastSyncBytes: 5_000 }))).toBe(
      'fast-forwarded, 4.9 KB received',
    );
  });
});
