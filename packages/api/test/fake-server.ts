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
 * no jobs: shows the empty states), TICK_MS (default 1000).
 */
import { fileURLToPath } from 'node:url';
import { CoreError, type ClusterStatus, type Job, type JobOutcome, type RefreshResult } from '@scripthut/core';
import { createApp } from '../src/create-app';
import { FakeCore, fakeCluster, fakeJob } from './fake-core';

const PORT = Number(process.env.PORT ?? 8000);
const JOB_COUNT = Number(process.env.JOBS ?? 10_000);
const EMPTY = process.env.EMPTY === '1';
const TICK_MS = Number(process.env.TICK_MS ?? 1_000);
const POLL_INTERVAL_S = 30;
const MIN_REFRESH_MS = 10_000;

/** Deterministic PRNG so every run shows the same data set. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const iso = (ms: number): string => new Date(ms).toISOString();
/** Slurm's `[D-][H:]M:SS` as squeue prints it (`7:26`, `1:32:59`, `2-03:00:00`). */
const slurmTime = (s: number): string => {
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  if (d > 0) return `${d}-${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${ss}`;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
};

const USERS = ['alice', 'alice', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const NAMES = ['train-resnet50', 'align-reads', 'md-simulation', 'preprocess-shard', 'eval-checkpoint', 'blast-search', 'render-frames', 'fit-model', 'variant-calling', 'wrf-forecast'];
const PARTITIONS = ['normal', 'gpu', 'long', 'debug', 'bigmem'];
const PENDING_REASONS = ['Priority', 'Resources', 'Dependency', 'JobHeldUser', 'QOSMaxJobsPerUserLimit', 'ReqNodeNotAvail'];

class DemoCore extends FakeCore {
  private lastRefreshMs = new Map<string, number>();

  override refresh(cluster?: string): Record<string, RefreshResult> {
    const names = cluster ? [cluster] : this.clusterList.map((c) => c.name);
    const out: Record<string, RefreshResult> = {};
    for (const name of names) {
      if (!this.clusterList.some((c) => c.name === name)) throw new CoreError('NOT_FOUND', `No cluster named ${name}`);
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

  override cancelJob(id: string) {
    const job = this.jobs.get(id);
    if (!job) return Promise.reject(new CoreError('NOT_FOUND', `No job with id ${id}`));
    if (job.user !== 'alice') {
      return Promise.reject(
        new CoreError('SCHEDULER_REFUSED', `scancel: error: Kill job error on job id ${job.schedulerJobId}: Access/permission denied`),
      );
    }
    setTimeout(() => this.upsert({ ...job, state: 'failed', outcome: 'CANCELLED', cancelledBy: 'alice', schedulerState: 'CANCELLED by 1001', finishTime: iso(Date.now()), updatedAt: iso(Date.now()) }), 1_500);
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
      jobCount: [...this.jobs.values()].filter((j) => j.cluster === name && ['submitted', 'running', 'finishing'].includes(j.state)).length,
    };
    this.clusterList[i] = status;
    this.events.publish({ type: 'cluster', status });
  }
}

function seedClusters(core: DemoCore): void {
  const now = Date.now();
  core.clusterList = [
    fakeCluster('hpc', { host: 'alice@login.hpc.example.edu:22', lastPollAt: iso(now - 4_000), lastPollDurationMs: 412, nextPollAt: iso(now + 26_000) }),
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
      lastError:
        'The host key of lab.example.org:2222 is not trusted yet.\nFingerprint: SHA256:q8Xv3m0QmB1m8aZtV4Xb2dO7wz9cQ2mR8k1b5t0yH4E\nTo trust it, check the fingerprint with your administrator, then run:\n  ssh-keyscan -p 2222 lab.example.org >> ~/.ssh/known_hosts',
    }),
  ];
  Object.assign(core.info, { pollIntervalSeconds: POLL_INTERVAL_S, configPath: '/home/alice/scripthut.yaml' });
  core.info.myUserByCluster = { hpc: 'alice', gpu: 'alice', lab: 'alice' };
}

const failure = (): Partial<Job> => {
  const kind = pick<JobOutcome | 'EXIT' | 'SIGNAL'>(['EXIT', 'EXIT', 'SIGNAL', 'OUT_OF_MEMORY', 'TIMEOUT', 'CANCELLED', 'NODE_FAIL', 'PREEMPTED']);
  if (kind === 'EXIT') return { outcome: 'FAILED', exitCode: pick([1, 2, 3, 127, 139]), signal: null, reason: 'NonZeroExitCode', schedulerState: 'FAILED' };
  if (kind === 'SIGNAL') return { outcome: 'FAILED', exitCode: 0, signal: pick([9, 11, 15]), schedulerState: 'FAILED' };
  if (kind === 'CANCELLED') return { outcome: 'CANCELLED', cancelledBy: pick(['alice', 'bob', 'root']), schedulerState: 'CANCELLED' };
  if (kind === 'OUT_OF_MEMORY') return { outcome: kind, exitCode: 0, signal: 9, reason: 'Exceeded job memory limit (16G)', schedulerState: kind };
  return { outcome: kind, schedulerState: kind };
};

function makeJob(n: number, nowMs: number): Job {
  const cluster = rand() < 0.7 ? 'hpc' : rand() < 0.7 ? 'gpu' : 'lab';
  const submitMs = nowMs - Math.floor(rand() * 6 * 86_400_000);
  const r = rand();
  const state: Job['state'] = r < 0.25 ? 'running' : r < 0.45 ? 'submitted' : r < 0.5 ? 'pending' : r < 0.53 ? 'finishing' : r < 0.78 ? 'completed' : r < 0.96 ? 'failed' : 'unknown';
  const started = state !== 'submitted' && state !== 'pending';
  const fromQueue = state === 'pending' || rand() < 0.2;
  const limitS = pick([3600, 4 * 3600, 24 * 3600, 3 * 86_400]);
  const base = fakeJob(String(100_000 + n), {
    id: fromQueue ? `q:batch-${n % 40}:task-${n}` : `${cluster}:${100_000 + n}`,
    cluster,
    schedulerJobId: state === 'pending' ? null : n % 17 === 0 ? `${100_000 + n}_${n % 8}` : String(100_000 + n),
    name: `${pick(NAMES)}-${n % 500}`,
    user: pick(USERS),
    state,
    schedulerState: state === 'running' ? 'RUNNING' : state === 'submitted' ? 'PENDING' : state === 'completed' ? 'COMPLETED' : null,
    reason: state === 'submitted' ? pick(PENDING_REASONS) : null,
    source: fromQueue ? 'queue' : 'external',
    queueId: fromQueue ? `batch-${n % 40}` : null,
    taskId: fromQueue ? `task-${n}` : null,
    partition: pick(PARTITIONS),
    cpus: pick([1, 2, 4, 8, 16, 32]),
    memory: pick(['2G', '4G', '16G', '64G', '256G']),
    nodes: started ? pick(['node001', 'node[002-003]', 'gpu07', 'node[010-017]']) : null,
    timeUsed: started ? slurmTime(Math.floor(rand() * limitS)) : '0:00',
    timeLimit: slurmTime(limitS),
    workDir: `/home/${'alice'}/projects/run-${n % 100}`,
    command: `python train.py --config configs/exp-${n % 50}.yaml --seed ${n}`,
    stdoutPath: `/home/alice/logs/${100_000 + n}.out`,
    stderrPath: `/home/alice/logs/${100_000 + n}.err`,
    submitTime: iso(submitMs),
    startTime: started ? iso(submitMs + 60_000) : null,
    finishTime: state === 'completed' || state === 'failed' ? iso(submitMs + 3_600_000) : null,
    exitCode: state === 'completed' ? 0 : null,
    outcome: state === 'completed' ? 'COMPLETED' : null,
    lastSeen: iso(nowMs - 5_000),
    stale: cluster !== 'hpc',
    updatedAt: iso(nowMs - 5_000),
  });
  if (state === 'failed') return { ...base, ...failure() };
  if (state === 'unknown') return { ...base, ...(rand() < 0.7 ? { outcome: 'LOST', reason: 'Not in the queue or in accounting after 5 checks over 10 minutes' } : { schedulerState: 'REVOKED' }) };
  return base;
}

/** Moves a few jobs one step along their lifecycle, submits new ones now and then. */
function advance(core: DemoCore, nextId: { n: number }): void {
  const now = Date.now();
  const live = [...core.jobs.values()].filter((j) => j.cluster === 'hpc' && ['submitted', 'running', 'finishing'].includes(j.state));
  for (let i = 0; i < 4 && live.length > 0; i++) {
    const job = live.splice(Math.floor(rand() * live.length), 1)[0]!;
    const t = { updatedAt: iso(now), lastSeen: iso(now) };
    if (job.state === 'submitted') core.upsert({ ...job, ...t, state: 'running', schedulerState: 'RUNNING', reason: null, startTime: iso(now), nodes: 'node042' });
    else if (job.state === 'running') core.upsert({ ...job, ...t, state: 'finishing', schedulerState: null });
    else core.upsert({ ...job, ...t, finishTime: iso(now), ...(rand() < 0.7 ? { state: 'completed', outcome: 'COMPLETED', exitCode: 0, schedulerState: 'COMPLETED' } : { state: 'failed', ...failure() }) });
  }
  if (rand() < 0.5) {
    const job = makeJob(nextId.n++, now);
    core.upsert({ ...job, cluster: 'hpc', id: `hpc:${job.schedulerJobId ?? nextId.n}`, state: 'submitted', reason: 'Priority', schedulerState: 'PENDING', timeUsed: '0:00', nodes: null, outcome: null, exitCode: null, signal: null, stale: false, submitTime: iso(now), startTime: null, finishTime: null, updatedAt: iso(now) });
  }
}

const core = new DemoCore();
const nextId = { n: JOB_COUNT };
if (EMPTY) {
  core.clusterList = [];
} else {
  seedClusters(core);
  const now = Date.now();
  for (let n = 0; n < JOB_COUNT; n++) {
    const job = makeJob(n, now);
    core.jobs.set(job.id, job);
  }
  const active = (name: string) => [...core.jobs.values()].filter((j) => j.cluster === name && ['submitted', 'running', 'finishing'].includes(j.state)).length;
  core.clusterList = core.clusterList.map((c) => ({ ...c, jobCount: active(c.name) }));
  let ticks = 0;
  setInterval(() => {
    advance(core, nextId);
    if (++ticks % POLL_INTERVAL_S === 0) core.polled('hpc');
    if (ticks % 120 === 0) core.polled('gpu');
  }, TICK_MS).unref();
}

const webDist = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));
const server = createApp({ core, webDist }).listen(PORT, '127.0.0.1', () => {
  process.stdout.write(`Fake ScriptHut on http://127.0.0.1:${PORT} (${core.jobs.size} jobs, ${core.clusterList.length} clusters)\n`);
});
const stop = (): void => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
