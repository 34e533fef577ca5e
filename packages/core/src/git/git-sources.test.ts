import { describe, expect, it } from 'vitest';
import { GitSourceConfig } from '../config/schema';
import { FakeClock } from '../runtime/fake-clock';
import { GitSources } from './git-sources';
import type { SourceEvent } from './git-sources';

function sources(configs: Partial<GitSourceConfig>[], events: SourceEvent[] = []): GitSources {
  return new GitSources({
    sources: configs.map((c, i) =>
      GitSourceConfig.parse({ name: `s${i}`, url: 'https://example.test/r.git', ...c }),
    ),
    cacheDir: '/nonexistent/cache',
    homeDir: '/nonexistent/home',
    cwd: '/',
    localUser: 'me',
    environment: {},
    clock: new FakeClock(),
    publish: (e) => events.push(e),
    log: () => undefined,
  });
}

describe('GitSources', () => {
  it('lists sources in configuration order, not cloned, before any sync', () => {
    const list = sources([
      { name: 'b' },
      { name: 'a', url: 'git@host:org/a.git', branch: 'dev' },
    ]).list();
    expect(list.map((s) => [s.name, s.branch, s.transport, s.cloned, s.syncing])).toEqual([
      ['b', 'main', 'https', false, false],
      ['a', 'dev', 'ssh', false, false],
    ]);
  });

  it('shows an unusable URL as the source’s error and refuses to sync it', async () => {
    const s = sources([{ name: 'local', url: '/srv/git/jobs.git' }]);
    expect(s.list()[0]).toMatchObject({ transport: null, lastErrorKind: 'unsupported_url' });
    await expect(s.sync('local')).rejects.toMatchObject({
      kind: 'unsupported_url',
      code: 'CONFIG_INVALID',
    });
  });

  it('answers NOT_FOUND for a source that is not configured', async () => {
    const s = sources([]);
    expect(() => s.sync('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => s.checkoutDir('nope')).toThrow(/No git source named nope/);
    await expect(async () => s.currentCommit('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps checkouts under the cache directory by source name, and has no commit before a clone', async () => {
    const s = sources([{ name: 'jobs' }]);
    expect(s.checkoutDir('jobs')).toBe('/nonexistent/cache/jobs');
    expect(await s.currentCommit('jobs')).toBeNull();
  });
});
