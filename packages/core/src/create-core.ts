import { join } from 'node:path';
import type { Backend } from './backends/backend';
import { LocalBackend, renderLocalScript } from './backends/local';
import { expandPath, type ClusterConfig, type ScripthutConfig } from './config';
import { EventBus } from './events/event-bus';
import { HistoryStore, importLegacyHistory } from './history';
import { ClusterMonitor, type ConnectionInfo } from './poller/cluster-monitor';
import type { JobRepository } from './poller/job-repository';
import type { Clock } from './runtime/clock';
import type { CommandRunner } from './runtime/command-runner';
import { LocalCommandRunner } from './runtime/local-command-runner';
import { CoreService, type ClusterRuntime } from './service/core-service';
import type { CoreEvent, ScripthutCore } from './service/scripthut-core';
import { startHousekeeping } from './service/housekeeping';
import { clusterQueueSettings, QueueService, type QueueCluster, type QueueServiceDeps, type ScriptRenderer } from './queue';
import { createSlurmRuntime } from './backends/slurm/create-slurm-runtime';
import { GitSources } from './git';
import { createNotifications } from './notifications/create-notifications';

export interface CoreDeps {
  config: ScripthutConfig;
  configPath: string | null;
  homeDir: string;
  cwd: string;
  version: string;
  clock: Clock;
  /** The few environment values core may use (SSH_AUTH_SOCK, passphrase and token variables the config names). */
  environment: Record<string, string | undefined>;
  /** Login name of the user running the server (the local cluster's user). */
  localUser: string;
  log: (message: string) => void;
  /** Queue timings other than the defaults (tests that inject faults). */
  queueTimings?: Pick<QueueServiceDeps, 'submitTimeoutMs' | 'unknownRecheckMs' | 'releaseUnknownAfterMs'>;
}

/** The one composition root of core: builds every concrete piece from the config. */
export async function createCore(deps: CoreDeps): Promise<ScripthutCore> {
  const { config, homeDir, cwd, clock } = deps;
  const settings = config.settings;
  const dataDir = expandPath(settings.data_dir, homeDir, cwd);
  const store = await HistoryStore.open(join(dataDir, 'scripthut.db'));
  await importOriginalHistory(store, join(homeDir, '.cache', 'scripthut', 'job_history.json'), deps.log);
  const events = new EventBus<CoreEvent>();
  const pollIntervalMs = settings.poll_interval * 1000;

  const clusters = new Map<string, ClusterRuntime>();
  const myUserByCluster: Record<string, string | null> = {};
  const queueClusters = new Map<string, QueueCluster>();
  for (const cluster of config.clusters) {
    const built = buildCluster(cluster, deps, dataDir);
    if (!built) continue;
    const monitor = new ClusterMonitor({
      name: cluster.name,
      kind: cluster.type,
      host: built.host,
      user: built.user,
      backend: built.backend,
      repo: jobRepository(store),
      clock,
      publish: (e) => events.publish(e),
      pollIntervalMs: cluster.type === 'local' ? Math.min(pollIntervalMs, 5_000) : pollIntervalMs,
      log: deps.log,
      ...(built.connection ? { connection: built.connection } : {}),
    });
    clusters.set(cluster.name, {
      monitor,
      backend: built.backend,
      runner: built.runner,
      ...(built.close ? { close: built.close } : {}),
    });
    myUserByCluster[cluster.name] = settings.filter_user ?? built.user;
    queueClusters.set(cluster.name, {
      name: cluster.name,
      backend: built.backend,
      runner: built.runner,
      renderScript: built.renderScript ?? null,
      monitor,
      user: built.user,
      ...clusterQueueSettings(cluster),
    });
  }
  // Before the queues: a queue of a task source with `source:` records that checkout's commit (sources.currentCommit).
  const sources = new GitSources({
    sources: config.sources,
    cacheDir: expandPath(settings.sources_cache_dir, homeDir, cwd),
    homeDir,
    cwd,
    localUser: deps.localUser,
    environment: deps.environment,
    clock,
    publish: (e) => events.publish(e),
    log: deps.log,
  });

  const notifications = createNotifications({ config, store, events, clock, environment: deps.environment, homeDir, cwd, myUserByCluster, log: deps.log });

  const queues = new QueueService({
    store,
    events,
    clusters: queueClusters,
    taskSources: config.task_sources,
    clock,
    log: deps.log,
    sourceCommit: (name) => sources.currentCommit(name),
    ...deps.queueTimings,
  });

  return new CoreService({
    info: {
      version: deps.version,
      configPath: deps.configPath,
      pollIntervalSeconds: settings.poll_interval,
      historyRetentionDays: settings.history_retention_days,
      filterUser: settings.filter_user ?? null,
      myUserByCluster,
    },
    events,
    clusters,
    jobs: store,
    clock,
    closeStore: () => store.close(),
    store,
    queues,
    sources,
    notifications,
    housekeeping: startHousekeeping({ store, clock, retentionDays: settings.history_retention_days, log: deps.log }),
  });
}

/** The original ScriptHut's job_history.json, imported once if it exists. */
async function importOriginalHistory(store: HistoryStore, path: string, log: (m: string) => void): Promise<void> {
  try {
    const result = await importLegacyHistory(store, path);
    if (result.status === 'imported') {
      log(`history: imported ${result.jobs} job(s) and ${result.queues} queue(s) from ${path} (${result.skipped} skipped)`);
    }
  } catch (e) {
    log(`history: could not import ${path}: ${e instanceof Error ? e.message : String(e)} (will retry at next start)`);
  }
}

const SETTLED_STATES = ['completed', 'failed', 'unknown'] as const;

/** The poller's view of the history store. */
function jobRepository(store: HistoryStore): JobRepository {
  return {
    activeJobs: (cluster) => store.activeJobs(cluster),
    upsertJobs: (jobs, removed) => store.upsertJobs(jobs, removed),
    settledSchedulerIds: (cluster, since) =>
      store
        .listJobs({ cluster, states: [...SETTLED_STATES], sort: { field: 'updatedAt', dir: 'desc' }, limit: 10_000 })
        .jobs.filter((j) => j.schedulerJobId !== null && j.updatedAt >= since.toISOString())
        .map((j) => j.schedulerJobId!),
  };
}

interface BuiltCluster {
  backend: Backend;
  runner: CommandRunner;
  /** Renders the job script for a queue task; absent: the cluster cannot take queues. */
  renderScript?: ScriptRenderer;
  host: string;
  user: string | null;
  connection?: () => ConnectionInfo;
  close?: () => Promise<void> | void;
}

function buildCluster(cluster: ClusterConfig, deps: CoreDeps, dataDir: string): BuiltCluster | null {
  switch (cluster.type) {
    case 'local':
      return {
        backend: new LocalBackend({
          root: join(dataDir, 'local', cluster.name),
          homeDir: deps.homeDir,
          user: deps.localUser,
          clock: deps.clock,
        }),
        runner: new LocalCommandRunner(deps.homeDir, { HOME: deps.homeDir, PATH: '/usr/local/bin:/usr/bin:/bin' }),
        renderScript: renderLocalScript,
        host: 'this machine',
        user: deps.localUser,
      };
    case 'slurm':
      return createSlurmRuntime(cluster, deps);
    case 'ecs':
      deps.log(`[${cluster.name}] ECS clusters are not supported yet; this cluster is not polled.`);
      return null;
  }
}
