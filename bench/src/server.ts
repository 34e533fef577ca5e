import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  ScripthutConfig,
  createCore,
  systemClock,
  type ClusterStatus,
  type ScripthutCore,
} from '@scripthut/core';
import { createApp } from '../../packages/api/src/create-app';
import { keyOf, type Testbed } from './testbed';

export interface RunningServer {
  url: string;
  core: ScripthutCore;
  /** Server log lines (printed only when something goes wrong). */
  logs: string[];
  close(): Promise<void>;
}

export interface ServerOptions {
  testbed: Testbed;
  pollIntervalS: number;
  /** Built SPA to serve; null: API only. */
  webDist: string | null;
  /** A shared PostgreSQL history instead of a private SQLite file: its URL (no password) and password. */
  database?: { url: string; password: string };
  /** settings.instance_name (shared deployments). */
  instanceName?: string;
}

/**
 * The real server in-process, as main.ts builds it: createCore with a config
 * for the testbed (SSH as hutuser), createApp, listen on 127.0.0.1:0, start
 * the pollers. Home and data directories are private temp dirs, so no real
 * history is read or written.
 */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-server-'));
  const config = ScripthutConfig.parse({
    clusters: [
      {
        name: o.testbed.cluster,
        type: 'slurm',
        ssh: {
          host: o.testbed.host,
          port: o.testbed.port,
          user: 'hutuser',
          key_path: keyOf(o.testbed, 'hutuser'),
          known_hosts: o.testbed.knownHosts,
        },
      },
    ],
    settings: {
      poll_interval: o.pollIntervalS,
      data_dir: join(dir, 'data'),
      ...(o.database
        ? { database: o.database.url, database_password_env: 'SCRIPTHUT_BENCH_DB_PASSWORD' }
        : {}),
      ...(o.instanceName === undefined ? {} : { instance_name: o.instanceName }),
    },
  });
  const logs: string[] = [];
  const core = await createCore({
    config,
    configPath: null,
    homeDir: dir,
    cwd: dir,
    version: 'bench',
    clock: systemClock,
    environment: o.database ? { SCRIPTHUT_BENCH_DB_PASSWORD: o.database.password } : {},
    localUser: userInfo().username,
    log: (message) => logs.push(`${new Date().toISOString()} ${message}`),
  });
  const app = createApp({ core, webDist: o.webDist });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await core.start();
  return {
    url: `http://127.0.0.1:${port}`,
    core,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves with each poll's completion: the monitor publishes its cluster
 * status with a new `lastPollAt` at the end of every pass. An in-process bus
 * listener, the same for every subscriber count.
 */
export function pollWatcher(
  core: ScripthutCore,
  cluster: string,
): { next(timeoutMs?: number): Promise<ClusterStatus>; stop(): void } {
  let lastPollAt: string | null =
    core.clusters().find((c) => c.name === cluster)?.lastPollAt ?? null;
  let waiters: ((status: ClusterStatus) => void)[] = [];
  const off = core.events.subscribe(({ event }) => {
    if (event.type !== 'cluster' || event.status.name !== cluster) return;
    if (event.status.lastPollAt === null || event.status.lastPollAt === lastPollAt) return;
    lastPollAt = event.status.lastPollAt;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve(event.status);
  });
  return {
    next(timeoutMs = 60_000) {
      return new Promise<ClusterStatus>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no poll of ${cluster} completed within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push((status) => {
          clearTimeout(timer);
          resolve(status);
        });
      });
    },
    stop: () => {
      off();
    },
  };
}
