import { tmpdir } from 'node:os';
// The git modules alone, not all of core: the process's memory floor is then what a sync needs.
import type { GitSourceConfig } from '../../packages/core/src/config/schema';
import { GitSources } from '../../packages/core/src/git';
import { systemClock } from '../../packages/core/src/runtime/clock';

/** One sync of one source in this process (forked by `git-clone.ts`), reported over IPC. */
export interface ChildJob {
  source: GitSourceConfig;
  cacheDir: string;
  /** Load the modules and return without syncing: the process's own floor. */
  idle?: boolean;
}
export interface ChildResult {
  wallMs: number;
  maxRssMb: number;
  sha: string | null;
  error: string | null;
}

async function childMain(job: ChildJob): Promise<ChildResult> {
  const sources = new GitSources({
    sources: [job.source],
    cacheDir: job.cacheDir,
    homeDir: tmpdir(),
    cwd: tmpdir(),
    localUser: 'bench',
    environment: {},
    clock: systemClock,
    publish: () => undefined,
    log: () => undefined,
  });
  const started = performance.now();
  let sha: string | null = null;
  let error: string | null = null;
  if (!job.idle) {
    try {
      sha = (await sources.sync(job.source.name)).commit?.sha ?? null;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  const wallMs = performance.now() - started;
  return { wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, sha, error };
}

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
if (process.send) {
  void childMain(job).then((result) => {
    process.send?.(result, () => process.exit(0));
  });
}
