import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HistoryStore } from '../../packages/core/src/history';
import type { Benchmark, SummaryRow } from './benchmark';
import { fmtInt, fmtMs, metText, note, reportComparison } from './report';
import { WINDOW_ROWS, type FromClients, type Latencies, type ToClients } from './load-clients';
import { changeJobs, seedJobs, startInProcessServer, type InProcessServer } from './synthetic-jobs';

const JOBS = 10_000;
const SUBSCRIBERS = 50;
const LOAD_S = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
/** One change batch every 200 ms: 5 `jobs` events/s of 25 jobs each (a busy cluster's poll is one event). */
const CHANGE_EVERY_MS = 200;
const CHANGES_PER_BATCH = 25;
/** The page's list and counts must answer this fast under load. */
const LIST_P99_TARGET_MS = 100;
/** A cheap query must stay this responsive while the server streams. */
const P99_TARGET_MS = 1_000;

const CLIENTS = fileURLToPath(new URL('./load-clients.ts', import.meta.url));

/** The clients' process (load-clients.ts): one request at a time, answered by the next message of the expected kind. */
function startClients(url: string): {
  ask<K extends FromClients['kind']>(
    m: ToClients,
    kind: K,
  ): Promise<Extract<FromClients, { kind: K }>>;
  close(): Promise<void>;
} {
  const child = fork(CLIENTS, [url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ask: (m, kind) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null): void =>
          reject(new Error(`bench clients exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (reply: FromClients) => {
          child.off('exit', onExit);
          if (reply.kind === kind) resolve(reply as Extract<FromClients, { kind: typeof kind }>);
          else reject(new Error(`bench clients answered ${reply.kind}, expected ${kind}`));
        });
        child.send(m);
      }),
    async close() {
      if (child.connected) child.send({ kind: 'close' } satisfies ToClients);
      await exited;
    },
  };
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
};
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1_000;
const queries = (l: Latencies): number => l.list.length + l.counts.length + l.clusters.length;
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;

async function run(): Promise<SummaryRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-load-'));
  const writer = await HistoryStore.open(join(dir, 'scripthut.db'));
  let server: InProcessServer | null = null;
  let clients: ReturnType<typeof startClients> | null = null;
  try {
    const jobs = await seedJobs(writer, JOBS);
    server = await startInProcessServer(dir);
    clients = startClients(server.url);
    const rss: number[] = [process.memoryUsage().rss];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1_000);
    note(
      `${fmtInt(JOBS)} jobs in a real HistoryStore; server in this process on ${server.url}, its clients in another; rss of the server sampled every 1 s`,
    );

    let cpu = process.cpuUsage();
    const idle = (await clients.ask({ kind: 'idle', ms: 10_000 }, 'idle')).latencies;
    const idleCpu = process.cpuUsage(cpu);
    const rssIdle = rss.length;
    await clients.ask({ kind: 'subscribe', count: SUBSCRIBERS }, 'subscribed');
    const changes = changeJobs(writer, server.core, jobs, CHANGES_PER_BATCH, CHANGE_EVERY_MS);
    note(
      `load: ${SUBSCRIBERS} SSE subscribers, ${1_000 / CHANGE_EVERY_MS} jobs events/s of ${CHANGES_PER_BATCH} jobs, for ${LOAD_S} s`,
    );
    cpu = process.cpuUsage();
    const loaded = (await clients.ask({ kind: 'load', ms: LOAD_S * 1_000 }, 'loaded')).latencies;
    const loadCpu = process.cpuUsage(cpu);
    const events = await changes.stop();
    const minDelivered = (await clients.ask({ kind: 'count' }, 'delivered')).fewest;
    clearInterval(sampler);

    const load = rss.slice(rssIdle);
    const firstHalf = Math.max(...load.slice(0, Math.ceil(load.length / 2)));
    const secondHalf = Math.max(...load.slice(Math.ceil(load.length / 2)));
    const bounded = secondHalf <= firstHalf * 1.1;
    const p = (v: number[]) =>
      `p50 ${fmtMs(percentile(v, 50))}, p99 ${fmtMs(percentile(v, 99))} (${v.length} queries)`;
    const ratio = (a: number[], b: number[]) =>
      `p99 ×${(percentile(a, 99) / percentile(b, 99)).toFixed(1)} of idle`;
    const clustersP99 = percentile(loaded.clusters, 99);
    const fast = (v: number[]) =>
      `target p99 < ${fmtMs(LIST_P99_TARGET_MS)}: ${metText(percentile(v, 99) < LIST_P99_TARGET_MS)}`;
    const rows: [string, string, string, string][] = [
      [
        `jobs.list (${fmtInt(JOBS)} jobs, one ${WINDOW_ROWS}-row window)`,
        p(loaded.list),
        `${p(idle.list)} idle`,
        `${ratio(loaded.list, idle.list)}; ${fast(loaded.list)}`,
      ],
      [
        'jobs.counts (by cluster and state, no filter)',
        p(loaded.counts),
        `${p(idle.counts)} idle`,
        `${ratio(loaded.counts, idle.counts)}; ${fast(loaded.counts)}`,
      ],
      [
        'clusters.list (beside the jobs.list loop)',
        p(loaded.clusters),
        `${p(idle.clusters)} idle`,
        `${ratio(loaded.clusters, idle.clusters)}; target p99 ≤ ${fmtMs(P99_TARGET_MS)}: ${metText(clustersP99 <= P99_TARGET_MS)}`,
      ],
      [
        'server CPU (user + system), per query answered',
        `${fmtMs(cpuMs(loadCpu) / queries(loaded))} under load (${fmtInt(cpuMs(loadCpu) / LOAD_S)} ms/s)`,
        `${fmtMs(cpuMs(idleCpu) / queries(idle))} idle (${fmtInt(cpuMs(idleCpu) / 10)} ms/s)`,
        "information: the server's own work, whatever else the machine runs",
      ],
      [
        'rss',
        `${mb(Math.min(...load))} … ${mb(Math.max(...load))} under load`,
        `${mb(rss[0]!)} before, ${mb(rss[rssIdle - 1]!)} idle`,
        `peak of 2nd half ${mb(secondHalf)} vs 1st ${mb(firstHalf)}: bounded (≤ +10 %): ${metText(bounded)}`,
      ],
      [
        'events delivered',
        `≥ ${fmtInt(minDelivered)} to every subscriber`,
        `${fmtInt(events)} published`,
        `${metText(minDelivered >= events)}`,
      ],
    ];
    return reportComparison(rows);
  } finally {
    await clients?.close();
    await server?.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'load',
  title: `tRPC query latency and memory with ${SUBSCRIBERS} SSE subscribers, ${JOBS} jobs and a stream of job changes`,
  run,
};
