import { join } from 'node:path';
import { AccessPolicy, identityMap } from './access/access-policy';
import type { ClusterDeps } from './backends/cluster-runtime';
import { createCluster } from './backends/create-cluster';
import { expandPath, type ScripthutConfig } from './config';
import { EventBus } from './events/event-bus';
import { openEventStream } from './events/open-event-stream';
import { GitSources } from './git';
import { createNotifications } from './notifications/create-notifications';
import {
  configuredPostgres,
  type HistoryStore,
  importLegacyHistory,
  openConfiguredStore,
} from './history';
import { configuredLeadership, NOTIFICATIONS_ROLE } from './leadership';
import { ClusterMonitor } from './poller/cluster-monitor';
import { metaClusterStatus } from './poller/shared-status';
import type { JobRepository } from './poller/job-repository';
import { QueueService, type QueueCluster, type QueueServiceDeps } from './queue';
import type { Clock } from './runtime/clock';
import { LocalCommandRunner } from './runtime/local-command-runner';
import { CoreService, type MonitoredCluster } from './service/core-service';
import { startHousekeeping } from './service/housekeeping';
import type { CoreEvent, ScripthutCore } from './service/scripthut-core';

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
  /** This process's name when settings.instance_name is unset (main.ts: host:pid). */
  instanceName?: string;
  /** Queue timings other than the defaults (tests that inject faults). */
  queueTimings?: Pick<
    QueueServiceDeps,
    'submitTimeoutMs' | 'unknownRecheckMs' | 'releaseUnknownAfterMs'
  >;
}

/** The one composition root of core: builds every concrete piece from the config. */
export async function createCore(deps: CoreDeps): Promise<ScripthutCore> {
  const { config, homeDir, cwd, clock } = deps;
  const settings = config.settings;
  const dataDir = expandPath(settings.data_dir, homeDir, cwd);
  const store = await openConfiguredStore(settings, dataDir, deps.environment);
  await importOriginalHistory(
    store,
    join(homeDir, '.cache', 'scripthut', 'job_history.json'),
    deps.log,
  );
  const postgres = configuredPostgres(settings, deps.environment);
  // On PostgreSQL clients resume from the shared stream: the bus needs no replay buffer.
  const events = new EventBus<CoreEvent>(postgres === null ? undefined : 0);
  const stream = await openEventStream(events, postgres, {
    clock,
    log: deps.log,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const pollIntervalMs = settings.poll_interval * 1000;
  const instance = settings.instance_name ?? deps.instanceName ?? 'scripthut';
  // Shared database: one instance at a time polls each cluster and feeds its queues.
  const shared = store.kind === 'postgres';
  const leadership = configuredLeadership(settings, deps.environment, deps.log);

  const clusters = new Map<string, MonitoredCluster>();
  const myUserByCluster: Record<string, string | null> = {};
  const queueClusters = new Map<string, QueueCluster>();
  const clusterDeps: ClusterDeps = {
    homeDir,
    cwd,
    dataDir,
    clock,
    environment: deps.environment,
    localUser: deps.localUser,
    log: deps.log,
    localRunner: new LocalCommandRunner(homeDir, {
      HOME: homeDir,
      PATH: '/usr/local/bin:/usr/bin:/bin',
    }),
  };
  for (const cluster of config.clusters) {
    const built = createCluster(cluster, clusterDeps);
    const monitor = new ClusterMonitor({
      name: cluster.name,
      kind: cluster.type,
      host: built.host,
      user: built.user,
      backend: built.backend,
      repo: jobRepository(store),
      clock,
      publish: (e) => events.publish(e),
      pollIntervalMs: Math.min(pollIntervalMs, built.maxPollIntervalMs ?? Infinity),
      log: deps.log,
      claim: (name) => leadership.claim(name),
      ...(shared ? { shared: metaClusterStatus(store), instance } : {}),
    });
    clusters.set(cluster.name, {
      monitor,
      backend: built.backend,
      ...(built.identity ? { identity: built.identity } : {}),
      ...(built.close ? { close: built.close } : {}),
    });
    myUserByCluster[cluster.name] = settings.filter_user ?? built.user;
    queueClusters.set(cluster.name, {
      name: cluster.name,
      backend: built.backend,
      support: built.queues,
      monitor,
      user: built.user,
      ...(built.identity ? { identity: built.identity } : {}),
    });
  }
  const access = new AccessPolicy(identityMap(config), myUserByCluster);
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

  const notifications = createNotifications({
    config,
    store,
    events,
    clock,
    environment: deps.environment,
    homeDir,
    cwd,
    myUserByCluster,
    log: deps.log,
    // One instance at a time watches conditions and delivers, so a message leaves once.
    ...(shared ? { leads: () => leadership.claim(NOTIFICATIONS_ROLE) } : {}),
  });

  const queues = new QueueService({
    store,
    events,
    clusters: queueClusters,
    taskSources: config.task_sources,
    clock,
    log: deps.log,
    sourceCommit: (name) => sources.currentCommit(name),
    access,
    leadership,
    // A previous leader cut off from the database may still be finishing a submit: its open
    // submissions are left alone for one poll interval before they are looked up and released.
    takeoverGraceMs: shared ? pollIntervalMs : 0,
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
    access,
    events,
    stream,
    clusters,
    jobs: store,
    clock,
    closeStore: () => store.close(),
    leadership,
    instance,
    shared,
    store,
    queues,
    sources,
    notifications,
    housekeeping: startHousekeeping({
      store,
      clock,
      retentionDays: settings.history_retention_days,
      events: stream,
      log: deps.log,
    }),
  });
}

/** The original ScriptHut's job_history.json, imported once if it exists. */
async function importOriginalHistory(
  store: HistoryStore,
  path: string,
  log: (m: string) => void,
): Promise<void> {
  try {
    const result = await importLegacyHistory(store, path);
    if (result.status === 'imported') {
      log(
        `history: imported ${result.jobs} job(s) and ${result.queues} queue(s) from ${path} (${result.skipped} skipped)`,
      );
    }
  } catch (e) {
    log(
      `history: could not import ${path}: ${e instanceof Error ? e.message : String(e)} (will retry at next start)`,
    );
  }
}

const SETTLED_STATES = ['completed', 'failed', 'unknown'] as const;

/** The poller's view of the history store. */
function jobRepository(store: HistoryStore): JobRepository {
  return {
    activeJobs: (cluster) => store.activeJobs(cluster),
    upsertJobs: (jobs, removed) => store.upsertJobs(jobs, removed),
    settledSchedulerIds: async (cluster, since) =>
      (
        await store.listJobs({
          cluster,
          states: [...SETTLED_STATES],
          arrays: 'tasks',
          sort: { field: 'updatedAt', dir: 'desc' },
          limit: 10_000,
        })
      ).jobs
        .filter((j) => j.schedulerJobId !== null && j.updatedAt >= since.toISOString())
        .map((j) => j.schedulerJobId!),
  };
}
