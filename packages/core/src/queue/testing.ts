import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AccessPolicy } from '../access/access-policy';
import type { Backend, SubmitSpec } from '../backends/backend';
import type { IdentityRuntime, QueueSupport } from '../backends/cluster-runtime';
import { createLocalCluster, LocalBackend } from '../backends/local';
import { processStartTime } from '../backends/local/local-job-files';
import type { TaskSourceConfig } from '../config/schema';
import type { TaskSpecInput } from '../domain/task';
import { EventBus } from '../events/event-bus';
import { HistoryStore } from '../history/history-store';
import { ClusterMonitor, type MonitorEvent } from '../poller/cluster-monitor';
import { systemClock, type Clock } from '../runtime/clock';
import { shellQuote } from '../runtime/command-runner';
import { LocalCommandRunner } from '../runtime/local-command-runner';
import { QueueService } from './queue-service';
import type { QueueEvent } from './queue-types';

/** Test-only: a queue service on the real local backend, a real store in a temp dir, and directly-driven monitor ticks. */

export type TestEvent = MonitorEvent | QueueEvent;

/** A task source whose command prints `tasks` as JSON. */
export function jsonSource(name: string, tasks: readonly TaskSpecInput[], o: Partial<TaskSourceConfig> = {}): TaskSourceConfig {
  return { name, cluster: 'local', command: `printf '%s' ${shellQuote(JSON.stringify(tasks))}`, max_concurrent: 3, description: '', ...o };
}

export interface TestbedOptions {
  dir?: string;
  sources: readonly TaskSourceConfig[];
  /** The local cluster's cap across queues. */
  clusterMax?: number | null;
  /** Wraps the real local backend (to fail, hang or count submissions). */
  wrap?: (backend: LocalBackend) => Backend;
  clock?: Clock;
  submitTimeoutMs?: number;
  unknownRecheckMs?: number;
  releaseUnknownAfterMs?: number;
  sourceCommit?: (sourceName: string) => Promise<string | null>;
  /** Who may change which queue (default: everyone). */
  access?: AccessPolicy;
  /** Per ScriptHut user, the cluster through their own login (default: none has one). */
  identity?: (user: string, local: LocalBackend, support: QueueSupport) => IdentityRuntime | null;
  /** Shared deployments: whether this instance leads the cluster now (default: always). */
  leads?: () => boolean;
}

export interface Testbed {
  dir: string;
  store: HistoryStore;
  events: EventBus<TestEvent>;
  local: LocalBackend;
  backend: Backend;
  monitor: ClusterMonitor;
  service: QueueService;
  logs: string[];
  /** Stops the service and closes the store (the "crash" keeps the files). */
  close(): Promise<void>;
}

export async function queueTestbed(o: TestbedOptions): Promise<Testbed> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'scripthut-queue-'));
  const clock = o.clock ?? systemClock;
  const store = await HistoryStore.open(join(dir, 'db', 'scripthut.db'), { clock });
  const events = new EventBus<TestEvent>();
  const local = new LocalBackend({ root: join(dir, 'local'), homeDir: dir, user: 'me', clock });
  const backend = o.wrap ? o.wrap(local) : local;
  const logs: string[] = [];
  const monitor = new ClusterMonitor({
    name: 'local',
    kind: 'local',
    host: 'this machine',
    user: 'me',
    backend,
    repo: store,
    clock,
    publish: (e) => events.publish(e),
    pollIntervalMs: 1_000,
    lostAfterMs: 0,
    lostAfterChecks: 3,
    ...(o.leads ? { claim: () => Promise.resolve(o.leads!()) } : {}),
  });
  const runner = new LocalCommandRunner(dir, { HOME: dir, PATH: '/usr/local/bin:/usr/bin:/bin' });
  const support: QueueSupport = {
    ...createLocalCluster(
      { name: 'local', type: 'local', max_concurrent: 1, log_dir: '~/logs' },
      { homeDir: dir, cwd: dir, dataDir: dir, clock, environment: {}, localUser: 'me', log: () => undefined, localRunner: runner },
    ).queues,
    maxConcurrent: o.clusterMax ?? null,
  };
  const identity = o.identity;
  const service = new QueueService({
    store,
    events,
    clusters: new Map([
      [
        'local',
        {
          name: 'local',
          backend,
          support,
          monitor,
          user: 'me',
          ...(identity ? { identity: (user: string) => identity(user, local, support) } : {}),
        },
      ],
    ]),
    taskSources: o.sources,
    clock,
    log: (m) => logs.push(m),
    ...(o.submitTimeoutMs === undefined ? {} : { submitTimeoutMs: o.submitTimeoutMs }),
    ...(o.unknownRecheckMs === undefined ? {} : { unknownRecheckMs: o.unknownRecheckMs }),
    ...(o.releaseUnknownAfterMs === undefined ? {} : { releaseUnknownAfterMs: o.releaseUnknownAfterMs }),
    ...(o.sourceCommit === undefined ? {} : { sourceCommit: o.sourceCommit }),
    ...(o.access === undefined ? {} : { access: o.access }),
    ...(o.leads ? { leadership: testLeadership(o.leads) } : {}),
  });
  return {
    dir,
    store,
    events,
    local,
    backend,
    monitor,
    service,
    logs,
    async close() {
      await service.stop();
      await store.close();
    },
  };
}

/** A leadership that answers what `leads` says now. */
function testLeadership(leads: () => boolean) {
  return { claim: () => Promise.resolve(leads()), held: () => (leads() ? ['local'] : []) };
}

/** Polls (directly-called ticks) until `done` holds, calling `sample` after every tick. Real processes need real time. */
export async function tickUntil(bed: Testbed, done: () => boolean | Promise<boolean>, sample: () => unknown = () => undefined, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await bed.monitor.tick();
    await bed.service.idle();
    await sample();
    if (await done()) return;
    if (Date.now() > deadline) throw new Error('condition not reached before the deadline');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Spec of every job the local backend ever started, from its records on disk. */
export function localJobSpecs(dir: string): SubmitSpec[] {
  const jobs = join(dir, 'local', 'jobs');
  if (!existsSync(jobs)) return [];
  return readdirSync(jobs).map((id) => JSON.parse(readFileSync(join(jobs, id, 'spec.json'), 'utf8')) as SubmitSpec);
}

/** Local jobs without an exit status yet (alive or starting). */
export function liveLocalJobs(dir: string): number {
  const jobs = join(dir, 'local', 'jobs');
  if (!existsSync(jobs)) return 0;
  return readdirSync(jobs).filter((id) => !existsSync(join(jobs, id, 'rc'))).length;
}

/**
 * Deletes a testbed directory. Local jobs a test left running outlive the
 * service, as real ones do, and would keep writing their records into the
 * directory while it is deleted (ENOTEMPTY); they are ended first, as a user's
 * cancel ends them, and the delete starts once none is left alive.
 */
export async function removeDir(dir: string): Promise<void> {
  await endLocalJobs(join(dir, 'local'));
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
}

async function endLocalJobs(root: string, timeoutMs = 10_000): Promise<void> {
  const jobs = join(root, 'jobs');
  if (!existsSync(jobs)) return;
  const backend = new LocalBackend({ root, homeDir: dirname(root), user: 'test-cleanup', clock: systemClock });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Alive: no exit status yet, and either its wrapper has not written its pid yet or that process still runs.
    const alive = readdirSync(jobs).filter((id) => {
      const job = join(jobs, id);
      if (existsSync(join(job, 'rc'))) return false;
      // A wrapper writes its pid at once; one that has not after 10 s never ran.
      if (!existsSync(join(job, 'pid'))) return existsSync(join(job, 'spec.json')) && Date.now() - statSync(join(job, 'spec.json')).mtimeMs < 10_000;
      const [pid, start] = readFileSync(join(job, 'pid'), 'utf8').trim().split(' ');
      return start !== undefined && processStartTime(Number(pid)) === start;
    });
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`local jobs ${alive.join(', ')} under ${root} did not end`);
    await backend.cancel(alive);
    await new Promise((r) => setTimeout(r, 50));
  }
}
