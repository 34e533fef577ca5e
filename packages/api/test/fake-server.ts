/**
 * Dev helper: the real HTTP app (createApp) over the in-memory FakeCore, seeded
 * with clusters in several connection states and ~10,000 jobs, changing a few
 * jobs every second so the live path (SSE diffs) is exercised.
 *
 * Run from the repository root (tsx comes from the bench package):
 *
 *   bench/node_modules/.bin/tsx packages/api/test/fake-server.ts
 *   # or: pnpm --filter @scripthut/bench exec tsx ../packages/api/test/fake-server.ts
 *
 * It serves apps/web/dist when built (`pnpm --filter @scripthut/web build`),
 * otherwise the API only: run `pnpm --filter @scripthut/web dev` beside it and
 * open http://localhost:5173 (the Vite dev server proxies /trpc and /health).
 *
 * Environment: PORT (default 8000), JOBS (default 10000), EMPTY=1 (no clusters,
 * no jobs: shows the empty states), TICK_MS (default 1000), ARRAY_TASKS
 * (default 2000: one Slurm array of that many tasks, most of them finished).
 */
import { fileURLToPath } from 'node:url';
import { CoreError, type ClusterStatus, type Job, type RefreshResult } from '@scripthut/core';
import { createApp } from '../src/create-app';
import { FakeCore, fakeCluster, fakeJob } from './fake-core';

const PORT = Number(process.env.PORT ?? 8000);
const JOB_COUNT = Number(process.env.JOBS ?? 10_000);
const EMPTY = process.env.EMPTY === '1';
const TICK_MS = Number(process.env.TICK_MS ?? 1_000);
const ARRAY_TASKS = Number(process.env.ARRAY_TASKS ?? 2_000);
const POLL_INTERVAL_S = 30;
const MIN_REFRESH_MS = 10_000;
const ACTIVE_STATES: readonly Job['state'][] = ['submitted', 'running', 'finishing'];

/** Deterministic PRNG (mulberry32) so every run shows the same data set. */
let seed = 42;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const words = (text: string): string[] => text.split(' ');
const iso = (ms: number): string => new Date(ms).toISOString();
const pad = (n: number): string => String(n).padStart(2, '0');
/** Slurm's `[D-][H:]M:SS` as squeue prints it (`7:26`, `1:32:59`, `2-03:00:00`). */
function slurmTime(s: number): string {
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d > 0) return `${d}-${pad(h)}:${pad(m)}:${pad(s % 60)}`;
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

const USERS = words('alice alice alice bob carol dave erin frank');
const NAMES = words(
  'train-resnet50 align-reads md-simulation preprocess-shard eval-checkpoint blast-search render-frames fit-model variant-calling wrf-forecast',
);
const PARTITIONS = words('normal gpu long debug bigmem');
const PENDING_REASONS = words(
  'Priority Resources Dependency JobHeldUser QOSMaxJobsPerUserLimit ReqNodeNotAvail',
);
/** States of the seeded jobs and the cumulative share of each. */
const STATES = words(
  'running submitted pending finishing completed failed unknown',
) as Job['state'][];
const STATE_UP_TO = [0.25, 0.45, 0.5, 0.53, 0.78, 0.96, 1];
const FAILURES: (() => Partial<Job>)[] = [
  () => ({ outcome: 'FAILED', exitCode: pick([1, 2, 3, 127]), reason: 'NonZeroExitCode' }),
  () => ({ outcome: 'FAILED', exitCode: 0, signal: pick([9, 11, 15]) }),
  () => ({ outcome: 'OUT_OF_MEMORY', exitCode: 0, signal: 9, reason: 'Exceeded memory limit' }),
  () => ({ outcome: 'TIMEOUT' }),
  () => ({ outcome: 'CANCELLED', cancelledBy: pick(['alice', 'bob', 'root']) }),
  () => ({ outcome: 'NODE_FAIL' }),
  () => ({ outcome: 'PREEMPTED' }),
];
const failure = (): Partial<Job> => {
  const f = pick(FAILURES)();
  return { state: 'failed', schedulerState: f.outcome ?? 'FAILED', ...f };
};

class DemoCore extends FakeCore {
  private lastRefreshMs = new Map<string, number>();

  activeCount(cluster: string): number {
    return [...this.jobs.values()].filter(
      (j) => j.cluster === cluster && ACTIVE_STATES.includes(j.state),
    ).length;
  }

  override refresh(cluster?: string): Record<string, RefreshResult> {
    const out: Record<string, RefreshResult> = {};
    for (const name of cluster ? [cluster] : this.clusterList.map((c) => c.name)) {
      if (!this.clusterList.some((c) => c.name === name))
        throw new CoreError('NOT_FOUND', `No cluster named ${name}`);
      const sinceMs = Date.now() - (this.lastRefreshMs.get(name) ?? 0);
      if (sinceMs < MIN_REFRESH_MS) {
        out[name] = { accepted: false, retryAfterMs: MIN_REFRESH_MS - sinceMs };
        continue;
      }
      this.lastRefreshMs.set(name, Date.now());
      this.polled(name);
      out[name] = { accepted: true };
    }
    return out;
  }

  /** Refuses other users' jobs the way scancel does; "confirms" alice's cancel a poll later. */
  override cancelJob(id: string) {
    const job = this.jobs.get(id);
    if (!job) return Promise.reject(new CoreError('NOT_FOUND', `No job with id ${id}`));
    if (job.user !== 'alice') {
      const message = `scancel: error: Kill job error on job id ${job.schedulerJobId}: Access/permission denied`;
      return Promise.reject(new CoreError('SCHEDULER_REFUSED', message));
    }
    const cancelled = { state: 'failed', outcome: 'CANCELLED', cancelledBy: 'alice' } as const;
    const at = () => ({ finishTime: iso(Date.now()), updatedAt: iso(Date.now()) });
    setTimeout(
      () => this.upsert({ ...job, ...cancelled, schedulerState: 'CANCELLED', ...at() }),
      1_500,
    );
    return super.cancelJob(id);
  }

  /** Pretend a poll of `name` just finished. */
  polled(name: string): void {
    const i = this.clusterList.findIndex((c) => c.name === name);
    const current = this.clusterList[i];
    if (!current) return;
    const now = Date.now();
    const status: ClusterStatus = {
      ...current,
      lastPollAt: iso(now),
      lastPollDurationMs: current.healthy ? 150 + Math.floor(rand() * 900) : 10_000,
      nextPollAt: iso(now + (current.healthy ? POLL_INTERVAL_S : 120) * 1_000),
      jobCount: this.activeCount(name),
    };
    this.clusterList[i] = status;
    this.events.publish({ type: 'cluster', status });
  }
}

function seedClusters(core: DemoCore): void {
  const now = Date.now();
  const hostKeyError = [
    'The host key of lab.example.org:2222 is not trusted yet.',
    'Fingerprint: SHA256:q8Xv3m0QmB1m8aZtV4Xb2dO7wz9cQ2mR8k1b5t0yH4E',
    'To trust it, check the fingerprint with your administrator, then run:',
    '  ssh-keyscan -p 2222 lab.example.org >> ~/.ssh/known_hosts',
  ].join('\n');
  core.clusterList = [
    fakeCluster('hpc', {
      host: 'alice@login.hpc.example.edu:22',
      lastPollAt: iso(now - 4_000),
      lastPollDurationMs: 412,
      nextPollAt: iso(now + 26_000),
    }),
    fakeCluster('gpu', {
      host: 'alice@gpu-login.example.edu:22',
      connection: 'unreachable',
      healthy: false,
      lastPollAt: iso(now - 95_000),
      lastPollDurationMs: 10_000,
      nextPollAt: iso(now + 25_000),
      lastError: 'poll failed: connect ETIMEDOUT 10.20.4.12:22 (5 attempts; retrying with backoff)',
    }),
    fakeCluster('lab', {
      host: 'alice@lab.example.org:2222',
      connection: 'host_key_unknown',
      healthy: false,
      lastPollAt: null,
      lastPollDurationMs: null,
      nextPollAt: iso(now + 60_000),
      lastError: hostKeyError,
    }),
  ];
  Object.assign(core.info, {
    pollIntervalSeconds: POLL_INTERVAL_S,
    configPath: '/home/alice/scripthut.yaml',
  });
  core.info.myUserByCluster = { hpc: 'alice', gpu: 'alice', lab: 'alice' };
}

/** A random job; `fresh` makes it a just-submitted external job on hpc instead. */
function makeJob(n: number, nowMs: number, fresh = false): Job {
  const cluster = fresh || rand() < 0.7 ? 'hpc' : rand() < 0.7 ? 'gpu' : 'lab';
  const submitMs = fresh ? nowMs : nowMs - Math.floor(rand() * 6 * 86_400_000);
  const r = rand();
  const state = fresh
    ? 'submitted'
    : (STATES[STATE_UP_TO.findIndex((upTo) => r < upTo)] ?? 'running');
  const started = state !== 'submitted' && state !== 'pending';
  const fromQueue = !fresh && (state === 'pending' || rand() < 0.2);
  const limitS = pick([3600, 4 * 3600, 24 * 3600, 3 * 86_400]);
  const jobId = String(100_000 + n);
  const base = fakeJob(jobId, {
    id: fromQueue ? `q:batch-${n % 40}:task-${n}` : `${cluster}:${jobId}`,
    cluster,
    schedulerJobId: state === 'pending' ? null : n % 17 === 0 ? `${jobId}_${n % 8}` : jobId,
    name: `${pick(NAMES)}-${n % 500}`,
    user: pick(USERS),
    state,
    schedulerState:
      { running: 'RUNNING', submitted: 'PENDING', completed: 'COMPLETED' }[state as string] ?? null,
    reason: state === 'submitted' ? pick(PENDING_REASONS) : null,
    source: fromQueue ? 'queue' : 'external',
    queueId: fromQueue ? `batch-${n % 40}` : null,
    taskId: fromQueue ? `task-${n}` : null,
    partition: pick(PARTITIONS),
    cpus: pick([1, 2, 4, 8, 16, 32]),
    memory: pick(words('2G 4G 16G 64G 256G')),
    nodes: started ? pick(words('node001 node[002-003] gpu07 node[010-017]')) : null,
    timeUsed: started ? slurmTime(Math.floor(rand() * limitS)) : '0:00',
    timeLimit: slurmTime(limitS),
    workDir: `/home/alice/projects/run-${n % 100}`,
    command: `python train.py --config configs/exp-${n % 50}.yaml --seed ${n}`,
    stdoutPath: `/home/alice/logs/${jobId}.out`,
    stderrPath: `/home/alice/logs/${jobId}.err`,
    submitTime: iso(submitMs),
    startTime: started ? iso(submitMs + 60_000) : null,
    finishTime: state === 'completed' || state === 'failed' ? iso(submitMs + 3_600_000) : null,
    exitCode: state === 'completed' ? 0 : null,
    outcome: state === 'completed' ? 'COMPLETED' : null,
    lastSeen: iso(nowMs - (fresh ? 0 : 5_000)),
    stale: cluster !== 'hpc',
    updatedAt: iso(nowMs - (fresh ? 0 : 5_000)),
  });
  const finished = state === 'completed' || state === 'failed';
  const withEfficiency = finished ? { ...base, efficiency: efficiency(base.cpus ?? 1) } : base;
  if (state === 'failed') return { ...withEfficiency, ...failure() };
  if (state === 'completed') return withEfficiency;
  if (state !== 'unknown') return base;
  const lost = {
    outcome: 'LOST',
    reason: 'Not in the queue nor in accounting after 5 checks',
  } as const;
  return { ...base, ...(rand() < 0.7 ? lost : { schedulerState: 'REVOKED' }) };
}

/** Made-up accounting figures: CPU mostly idle to busy, memory well under to near the ask. */
function efficiency(cpus: number): NonNullable<Job['efficiency']> {
  const elapsedSeconds = 60 + Math.floor(rand() * 7200);
  const cpuSeconds = elapsedSeconds * cpus * rand();
  const requestedMemoryBytes = pick([2, 4, 16, 64]) * 1024 ** 3;
  const maxRssBytes = Math.floor(requestedMemoryBytes * (0.05 + 0.9 * rand()));
  return {
    cpuSeconds,
    elapsedSeconds,
    allocCpus: cpus,
    cpuEfficiency: cpuSeconds / (elapsedSeconds * cpus),
    maxRssBytes,
    requestedMemoryBytes,
    memoryEfficiency: maxRssBytes / requestedMemoryBytes,
  };
}

/** One array of `size` tasks on hpc: most finished, 4 running (the throttle), the rest one pending range. */
function seedArray(core: DemoCore, size: number, nowMs: number): void {
  if (size <= 0) return;
  const base = '900000';
  const arrayId = `hpc:${base}_*`;
  const done = Math.floor(size * 0.6);
  const running = Math.min(4, size - done);
  const counts = {
    pending: 0,
    submitted: 0,
    running,
    finishing: 0,
    completed: 0,
    failed: 0,
    unknown: 0,
    cancelled: 0,
  };
  const common = {
    cluster: 'hpc',
    name: 'param-sweep',
    user: 'alice',
    arrayId,
    cpus: 1,
    memory: '4G',
    timeLimit: '1:00:00',
  };
  for (let t = 1; t <= done + running; t++) {
    const ended = t <= done;
    const failed = ended && rand() < 0.03;
    if (ended) counts[failed ? 'failed' : 'completed']++;
    const task = fakeJob(`${base}_${t}`, {
      ...common,
      arrayTasks: 1,
      state: ended ? (failed ? 'failed' : 'completed') : 'running',
      outcome: ended ? (failed ? 'FAILED' : 'COMPLETED') : null,
      exitCode: ended ? (failed ? 1 : 0) : null,
      timeUsed: ended ? '12:00' : slurmTime(Math.floor(rand() * 1800)),
      submitTime: iso(nowMs - 3_600_000),
      startTime: iso(nowMs - 3_000_000 + t * 1000),
      lastSeen: iso(nowMs),
      updatedAt: iso(nowMs - 5_000),
      efficiency: ended ? efficiency(1) : null,
    });
    core.jobs.set(task.id, task);
  }
  const waiting = size - done - running;
  if (waiting > 0) {
    counts.submitted = waiting;
    const range = fakeJob(`${base}_[${done + running + 1}-${size}%4]`, {
      ...common,
      arrayTasks: waiting,
      state: 'submitted',
      reason: 'JobArrayTaskLimit',
      submitTime: iso(nowMs - 3_600_000),
      updatedAt: iso(nowMs - 5_000),
    });
    core.jobs.set(range.id, range);
  }
  const row = fakeJob(base, {
    ...common,
    id: arrayId,
    arrayId: null,
    arrayTasks: size,
    arrayCounts: counts,
    state: 'running',
    submitTime: iso(nowMs - 3_600_000),
    startTime: iso(nowMs - 3_000_000),
    updatedAt: iso(nowMs - 5_000),
  });
  core.jobs.set(row.id, row);
}

const STARTED = {
  state: 'running',
  schedulerState: 'RUNNING',
  reason: null,
  nodes: 'node042',
} as const;
const COMPLETED = {
  state: 'completed',
  outcome: 'COMPLETED',
  exitCode: 0,
  schedulerState: 'COMPLETED',
} as const;

/** Moves a few hpc jobs one step along their lifecycle and now and then submits a new one. */
function advance(core: DemoCore, nextId: { n: number }): void {
  const now = Date.now();
  const live = [...core.jobs.values()].filter(
    (j) =>
      j.cluster === 'hpc' &&
      ACTIVE_STATES.includes(j.state) &&
      j.arrayId === null &&
      j.arrayCounts === null,
  );
  for (let i = 0; i < 4 && live.length > 0; i++) {
    const job = live.splice(Math.floor(rand() * live.length), 1)[0]!;
    const seen = { ...job, updatedAt: iso(now), lastSeen: iso(now) };
    if (job.state === 'submitted') core.upsert({ ...seen, ...STARTED, startTime: iso(now) });
    else if (job.state === 'running')
      core.upsert({ ...seen, state: 'finishing', schedulerState: null });
    else core.upsert({ ...seen, finishTime: iso(now), ...(rand() < 0.7 ? COMPLETED : failure()) });
  }
  if (rand() < 0.5) core.upsert(makeJob(nextId.n++, now, true));
}

const core = new DemoCore();
if (EMPTY) {
  core.clusterList = [];
} else {
  seedClusters(core);
  const now = Date.now();
  for (let n = 0; n < JOB_COUNT; n++) {
    const job = makeJob(n, now);
    core.jobs.set(job.id, job);
  }
  seedArray(core, ARRAY_TASKS, now);
  core.clusterList = core.clusterList.map((c) => ({ ...c, jobCount: core.activeCount(c.name) }));
  const nextId = { n: JOB_COUNT };
  let ticks = 0;
  setInterval(() => {
    advance(core, nextId);
    if (++ticks % POLL_INTERVAL_S === 0) core.polled('hpc');
    if (ticks % 120 === 0) core.polled('gpu');
  }, TICK_MS).unref();
}

const webDist = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));
const server = createApp({ core, webDist }).listen(PORT, '127.0.0.1', () => {
  const what = `${core.jobs.size} jobs, ${core.clusterList.length} clusters`;
  process.stdout.write(`Fake ScriptHut on http://127.0.0.1:${PORT} (${what})\n`);
});
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
