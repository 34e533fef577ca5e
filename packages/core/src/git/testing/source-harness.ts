import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitSourceConfig } from '../../config/schema';
import { systemClock } from '../../runtime/clock';
import { GitSources, type GitSourcesDeps, type SourceEvent } from '../git-sources';

export interface SourceHarness {
  /** Scratch directory, removed by dispose. */
  dir: string;
  /** Shared by every GitSources the harness creates, so a second instance sees the first one's checkouts. */
  cacheDir: string;
  events: SourceEvent[];
  create(sources: GitSourceConfig[], overrides?: Partial<GitSourcesDeps>): GitSources;
  dispose(): Promise<void>;
}

export async function sourceHarness(prefix: string): Promise<SourceHarness> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const cacheDir = join(dir, 'cache');
  const events: SourceEvent[] = [];
  const created: GitSources[] = [];
  return {
    dir,
    cacheDir,
    events,
    create(sources, overrides = {}) {
      const instance = new GitSources({
        sources,
        cacheDir,
        homeDir: join(dir, 'home'),
        cwd: dir,
        localUser: 'nobody',
        environment: {},
        clock: systemClock,
        publish: (event) => events.push(event),
        log: () => undefined,
        ...overrides,
      });
      created.push(instance);
      return instance;
    },
    async dispose() {
      await Promise.all(created.map((s) => s.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
