import type { Server } from 'node:http';
import {
  ScripthutConfig,
  createCore,
  systemClock,
  type Job,
  type ScripthutCore,
} from '@scripthut/core';
import { createApp } from '../../packages/api/src/create-app';
import type { HistoryStore } from '../../packages/core/src/history';
import { makeJob } from '../../packages/core/src/history/testing';

const STATES = ['completed', 'completed', 'completed', 'failed', 'running', 'submitted'] as const;

/**
 * `count` jobs of cluster `bench` in the real HistoryStore (one transaction per
 * 1,000), shaped like a parameter sweep: one job every 10 s up to now (so the
 * server's retention keeps them all), four users in five are alice (the
 * server's local user), a mix of final and live states.
 */
export async function seedJobs(store: HistoryStore, count: number): Promise<Job[]> {
  const jobs: Job[] = [];
  const start = Date.now() - count * 10_000;
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i * 10_000).toISOString();
    jobs.push(
      makeJob({
        id: `bench:${100_000 + i}`,
        cluster: 'bench',
        schedulerJobId: String(100_000 + i),
        name: `sweep-${i % 97}-run-${i}`,
        user: i % 5 === 0 ? 'bob' : 'alice',
        state: STATES[i % STATES.length]!,
        partition: 'debug',
        cpus: 1 + (i % 4),
        memory: '4G',
        command: `python train.py --seed ${i}`,
        workDir: '/home/alice/project',
        submitTime: at,
        updatedAt: at,
      }),
    );
  }
  for (let i = 0; i < jobs.length; i += 1_000) await store.upsertJobs(jobs.slice(i, i + 1_000));
  return jobs;
}

export interface InProcessServer {
  url: string;
  core: ScripthutCore;
  close(): Promise<void>;
}

/** The real server in this process (createCore with no cluster, createApp) over the database in `dataDir`. */
export async function startInProcessServer(
  dataDir: string,
  webDist: string | null = null,
): Promise<InProcessServer> {
  const core = await createCore({
    config: ScripthutConfig.parse({ settings: { data_dir: dataDir } }),
    configPath: null,
    homeDir: dataDir,
    cwd: dataDir,
    version: 'bench',
    clock: systemClock,
    environment: {},
    localUser: 'alice',
    log: () => undefined,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createApp({ core, webDist }).listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  await core.start();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
    core,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
    },
  };
}

/**
 * Changes `perBatch` jobs in the store (as a poll writes them) and publishes
 * them (as the monitor does): once now, and then every `everyMs` when given.
 * `stop()` waits for the batch being written and returns how many were published.
 */
export function changeJobs(
  store: HistoryStore,
  core: ScripthutCore,
  jobs: Job[],
  perBatch: number,
  everyMs?: number,
): { stop(): Promise<number> } {
  let published = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    published++;
    const now = new Date().toISOString();
    const changed = Array.from({ length: perBatch }, (_, k) => {
      const i = (published * 7_919 + k * 104_729) % jobs.length;
      const job = {
        ...jobs[i]!,
        state: published % 2 === 0 ? ('running' as const) : ('submitted' as const),
        timeUsed: `0:${published % 60}`,
        updatedAt: now,
      };
      jobs[i] = job;
      return job;
    });
    await store.upsertJobs(changed);
    core.events.publish({ type: 'jobs', cluster: 'bench', upserted: changed, removed: [] });
  };
  // One batch at a time, as polls never overlap.
  const batch = (): void => {
    writing = writing.then(write).catch((e: unknown) => console.error('bench: writing jobs failed', e));
  };
  const timer = everyMs === undefined ? null : setInterval(batch, everyMs);
  if (timer === null) batch();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await writing;
      return published;
    },
  };
}
