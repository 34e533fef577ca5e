import {
  AccessPolicy,
  buildHealth,
  newJob,
  EventBus,
  localStream,
  JobCountQuery,
  JobQuery,
  rightSizeHint,
  type CancelOutcome,
  type EfficiencySummary,
  type IdentityMap,
  type JobCancelOutcome,
  type JobCount,
  type QueueEfficiency,
  type ClusterStatus,
  type CoreEvent,
  type EventStream,
  type Job,
  type JobLog,
  type LogChunk,
  type LogKind,
  type JobPage,
  type QueueApi,
  type RefreshResult,
  type ScripthutCore,
} from '@scripthut/core';
import { FakeSources } from './fake-sources';
import { EmptyQueues } from './fake-queues';
import { FakeNotifications } from './fake-notifications';

/** A core held entirely in memory, for API tests and UI development. */
export class FakeCore implements ScripthutCore {
  readonly events = new EventBus<CoreEvent>();
  /** The bus's own stream; tests may put another EventStream in its place. */
  stream: EventStream<CoreEvent> = localStream(this.events);
  readonly info = {
    version: '0.0.0-test',
    configPath: null,
    pollIntervalSeconds: 60,
    historyRetentionDays: 7,
    filterUser: null,
    myUserByCluster: { hpc: 'alice' } as Record<string, string | null>,
  };
  /** Per cluster, ScriptHut user → login there (clusters[].identities). */
  identities: IdentityMap = {};
  get access(): AccessPolicy {
    return new AccessPolicy(this.identities, this.info.myUserByCluster);
  }
  readonly jobs = new Map<string, Job>();
  /** Git sources held in memory; set `sources.statuses` and `sources.failures` in tests. */
  readonly sources = new FakeSources((e) => this.events.publish(e));
  /** Replace with a real QueueService (see @scripthut/core/testing) to test queue routes. */
  queues: QueueApi = new EmptyQueues();
  readonly notifications = new FakeNotifications();
  clusterList: ClusterStatus[] = [fakeCluster('hpc')];
  cancelled: string[] = [];
  refreshCalls = 0;

  clusters(): ClusterStatus[] {
    return this.clusterList;
  }
  /** The jobs matching the filters of `q` (not its sort or page), as the store filters them. */
  private matching(q: JobCountQuery & Pick<JobQuery, 'states'>): Job[] {
    const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return [...this.jobs.values()].filter(
      (j) =>
        (!q.cluster || j.cluster === q.cluster) &&
        (!q.user || j.user === q.user) &&
        (!q.owners || q.owners.some((o) => o.cluster === j.cluster && o.user === j.user)) &&
        (!q.states || q.states.includes(j.state)) &&
        // As the store: one row per array unless its tasks are asked for.
        (q.arrayId !== undefined
          ? j.arrayId === q.arrayId
          : q.arrays === 'grouped'
            ? j.arrayId === null
            : j.arrayCounts === null) &&
        words.every((w) =>
          [j.name, j.id, j.schedulerJobId, j.user, j.cluster, j.partition, j.state]
            .join(' ')
            .toLowerCase()
            .includes(w),
        ),
    );
  }
  countJobs(query: JobCountQuery): Promise<JobCount[]> {
    const counts = new Map<string, JobCount>();
    for (const j of this.matching(JobCountQuery.parse(query))) {
      const key = `${j.cluster}\n${j.state}`;
      const row = counts.get(key) ?? { cluster: j.cluster, state: j.state, count: 0 };
      row.count++;
      counts.set(key, row);
    }
    return Promise.resolve([...counts.values()]);
  }
  listJobs(query: JobQuery): Promise<JobPage> {
    const q = JobQuery.parse(query);
    let jobs = this.matching(q);
    const dir = q.sort.dir === 'asc' ? 1 : -1;
    const value = (j: Job): string | number | null => {
      switch (q.sort.field) {
        case 'cpuEfficiency':
        case 'memoryEfficiency':
          return j.efficiency?.[q.sort.field] ?? null;
        case 'maxRss':
          return j.efficiency?.maxRssBytes ?? null;
        case 'timeUsed':
          return j.timeUsed;
        case 'exit':
          return j.exitCode;
        case 'lifecycle':
          return j.state;
        case 'jobNumber':
          return j.schedulerJobId;
        default:
          return j[q.sort.field];
      }
    };
    jobs = jobs.sort((a, b) => String(value(a) ?? '').localeCompare(String(value(b) ?? '')) * dir);
    return Promise.resolve({ jobs: jobs.slice(q.offset, q.offset + q.limit), total: jobs.length });
  }
  getJob(id: string): Promise<Job | null> {
    return Promise.resolve(this.jobs.get(id) ?? null);
  }
  cancelJob(id: string): Promise<CancelOutcome> {
    this.cancelled.push(id);
    return Promise.resolve({
      schedulerJobId: this.jobs.get(id)?.schedulerJobId ?? id,
      ok: true,
      message: null,
    });
  }
  cancelJobs(ids: readonly string[]): Promise<JobCancelOutcome[]> {
    return Promise.all(
      [...new Set(ids)].map(async (id) => ({ id, ...(await this.cancelJob(id)) })),
    );
  }
  queueEfficiency(queueId: string): Promise<QueueEfficiency> {
    const summary = efficiencyOf([...this.jobs.values()].filter((j) => j.queueId === queueId));
    return Promise.resolve({ queueId, summary, hint: rightSizeHint(summary) });
  }
  /** Logs keyed by `<job id>:<kind>`; a missing key reads as a missing file. */
  logs = new Map<string, string>();
  jobLog(id: string, kind: LogKind, tail = 200): Promise<JobLog> {
    const text = this.logs.get(`${id}:${kind}`);
    const content =
      text === undefined
        ? ''
        : text
            .split('\n')
            .slice(-tail - 1)
            .join('\n');
    return Promise.resolve({
      jobId: id,
      kind,
      path: `/logs/${id}.${kind}`,
      exists: text !== undefined,
      content,
      unavailable: null,
      cursor: text === undefined ? null : String(Buffer.byteLength(text)),
      partial: true,
    });
  }
  async *followJobLog(id: string, kind: LogKind): AsyncGenerator<LogChunk> {
    const text = this.logs.get(`${id}:${kind}`) ?? '';
    yield await Promise.resolve({
      kind: 'data' as const,
      offset: 0,
      text,
      cursor: String(Buffer.byteLength(text)),
    });
    yield { kind: 'end' as const, reason: 'the job is completed' };
  }
  refresh(): Record<string, RefreshResult> {
    this.refreshCalls++;
    return { hpc: { accepted: true } };
  }
  health() {
    return Promise.resolve(buildHealth(this.clusterList));
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Put a job in the store and announce it, as a poll would. */
  upsert(job: Job): void {
    this.jobs.set(job.id, job);
    this.events.publish({ type: 'jobs', cluster: job.cluster, upserted: [job], removed: [] });
  }
}

/** The store's summary, computed in memory over the jobs that have figures. */
function efficiencyOf(jobs: readonly Job[]): EfficiencySummary {
  const figures = jobs.flatMap((j) => (j.efficiency ? [j.efficiency] : []));
  const max = (values: (number | null)[]): number | null => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : Math.max(...known);
  };
  const withCpu = figures.filter(
    (f) => f.cpuSeconds !== null && (f.elapsedSeconds ?? 0) > 0 && (f.allocCpus ?? 0) > 0,
  );
  const cpu = withCpu.reduce((sum, f) => sum + f.cpuSeconds!, 0);
  const allocated = withCpu.reduce((sum, f) => sum + f.elapsedSeconds! * f.allocCpus!, 0);
  const elapsed = withCpu.reduce((sum, f) => sum + f.elapsedSeconds!, 0);
  const ratios = figures.flatMap((f) => (f.cpuEfficiency === null ? [] : [f.cpuEfficiency]));
  return {
    jobs: figures.length,
    cpuEfficiency: allocated > 0 ? cpu / allocated : null,
    minCpuEfficiency: ratios.length === 0 ? null : Math.min(...ratios),
    maxCpuEfficiency: max(ratios),
    maxAllocCpus: max(figures.map((f) => f.allocCpus)),
    busyCpus: elapsed > 0 ? cpu / elapsed : null,
    maxRssBytes: max(figures.map((f) => f.maxRssBytes)),
    maxRequestedMemoryBytes: max(figures.map((f) => f.requestedMemoryBytes)),
  };
}

export function fakeCluster(name: string, overrides: Partial<ClusterStatus> = {}): ClusterStatus {
  return {
    name,
    kind: 'slurm',
    host: `alice@${name}:22`,
    user: 'alice',
    connection: 'connected',
    healthy: true,
    lastPollAt: '2026-01-01T00:00:00.000Z',
    lastPollDurationMs: 42,
    nextPollAt: null,
    lastError: null,
    jobCount: 0,
    ...overrides,
  };
}

export function fakeJob(id: string, overrides: Partial<Job> = {}): Job {
  return newJob({
    id: `hpc:${id}`,
    cluster: 'hpc',
    schedulerJobId: id,
    name: `job-${id}`,
    user: 'alice',
    state: 'running',
    schedulerState: 'RUNNING',
    source: 'external',
    partition: 'debug',
    cpus: 1,
    memory: '1G',
    nodes: 'node1',
    timeUsed: '1:00',
    timeLimit: '10:00',
    workDir: '/home/alice',
    submitTime: '2026-01-01T00:00:00.000Z',
    startTime: '2026-01-01T00:00:01.000Z',
    lastSeen: '2026-01-01T00:00:01.000Z',
    updatedAt: '2026-01-01T00:00:01.000Z',
    ...overrides,
  });
}
