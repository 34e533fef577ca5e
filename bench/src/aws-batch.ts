import {
  rawBatchClient,
  rawPoll,
  rawSubmitJobs,
} from '../../packages/core/src/backends/batch/raw-batch-calls';
import {
  batchClusterFor,
  spec,
  startBatchTestbed,
} from '../../packages/core/src/backends/batch/testing';
import type { Benchmark, SummaryRow } from './benchmark';
import { measure, sleep } from './measure';
import { fmtInt, fmtMs, fmtPct, note, reportComparison } from './report';

/** AWS Batch's SubmitJob quota: 50 TPS per account, not adjustable. */
const API_TPS = 50;
const QUEUE_TASKS = 1_000;
const POLL_JOBS = Number(process.env.BENCH_AWS_POLL_JOBS ?? 10_000);

const calls = (counts: Record<string, number>, op: string): number => counts[op] ?? 0;

/**
 * 1,000 tasks through the Batch backend's submitMany (its rate limiter,
 * bounded concurrency and throttle retries) against the AWS test server
 * limited to Batch's real 50 TPS; baseline: bare SubmitJob calls against the
 * same limit. Jobs are held RUNNABLE (a capacity wait), so nothing runs.
 */
async function submission(): Promise<SummaryRow[]> {
  const server = await startBatchTestbed({ validate: false, rateLimitTps: { batch: API_TPS } });
  const cluster = batchClusterFor(server, { tuning: { submitsPerSecond: 40 } });
  try {
    server.setCapacityWait({ enabled: true });
    server.resetRequestLog();
    const specs = Array.from({ length: QUEUE_TASKS }, () => spec({ command: 'true' }));
    const queued = await measure(() => cluster.backend.submitMany(specs));
    const submitCalls = calls(server.requestCounts(), 'batch:SubmitJob');
    const submitted = [...queued.value.values()].filter((o) => o.kind === 'submitted').length;
    await sleep(1_100);
    const client = rawBatchClient(server.url);
    const bare = await measure(() =>
      rawSubmitJobs(client, {
        count: QUEUE_TASKS,
        concurrency: 8,
        queue: 'q',
        definition: 'jd',
        namePrefix: 'bare',
      }),
    );
    client.destroy();
    const rate = submitted / (queued.wallMs / 1000);
    const bareRate = bare.value.accepted / (bare.wallMs / 1000);
    note(
      `backend: ${fmtInt(submitCalls)} SubmitJob calls for ${fmtInt(submitted)} jobs (${fmtInt(submitCalls - submitted)} throttled and retried)`,
    );
    note(
      `bare: ${fmtInt(bare.value.accepted)} accepted, ${fmtInt(bare.value.throttled)} throttled (not retried), ${fmtInt(bare.value.failed)} other failures`,
    );
    const rows: [string, string, string, string][] = [
      [
        'submitMany, tasks/s',
        `${rate.toFixed(1)} (${fmtInt(submitted)} in ${(queued.wallMs / 1000).toFixed(1)} s)`,
        `${bareRate.toFixed(1)} accepted/s bare (${fmtInt(bare.value.accepted)} before throttling; no retries); API limit ${API_TPS}/s`,
        `${fmtPct(rate / API_TPS)} of the limit`,
      ],
      [
        'throttled answers',
        `${fmtInt(submitCalls - submitted)} (retried)`,
        `${fmtInt(bare.value.throttled)} (bare, lost)`,
        '',
      ],
    ];
    return reportComparison(rows);
  } finally {
    await cluster.close?.();
    await server.close();
  }
}

/** One poll of 10,000 jobs (held RUNNABLE) by the Batch backend, beside the bare ListJobs + DescribeJobs calls it makes. */
async function pollCost(): Promise<SummaryRow[]> {
  const server = await startBatchTestbed({ validate: false });
  const cluster = batchClusterFor(server);
  const client = rawBatchClient(server.url);
  try {
    server.setCapacityWait({ enabled: true });
    const made = await measure(() =>
      rawSubmitJobs(client, {
        count: POLL_JOBS,
        concurrency: 16,
        queue: 'q',
        definition: 'jd',
        namePrefix: 'held',
      }),
    );
    note(
      `${fmtInt(made.value.accepted)} held jobs submitted in ${(made.wallMs / 1000).toFixed(1)} s`,
    );
    await cluster.backend.listJobs();
    const polls: { wallMs: number; cpuMs: number; calls: number; jobs: number }[] = [];
    const bares: { wallMs: number; calls: number; jobs: number }[] = [];
    for (let i = 0; i < 3; i++) {
      server.resetRequestLog();
      const poll = await measure(() => cluster.backend.listJobs());
      const n = Object.values(server.requestCounts()).reduce((a, b) => a + b, 0);
      polls.push({ wallMs: poll.wallMs, cpuMs: poll.cpuMs, calls: n, jobs: poll.value.length });
      const bare = await measure(() => rawPoll(client, 'q'));
      bares.push({ wallMs: bare.wallMs, calls: bare.value.calls, jobs: bare.value.jobs });
    }
    const best = <T extends { wallMs: number }>(xs: T[]): T =>
      xs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    const poll = best(polls);
    const bare = best(bares);
    const rows: [string, string, string, string][] = [
      [
        `poll of ${fmtInt(poll.jobs)} jobs, wall (best of 3)`,
        fmtMs(poll.wallMs),
        `${fmtMs(bare.wallMs)} bare calls`,
        `${(poll.wallMs / bare.wallMs).toFixed(2)}×`,
      ],
      [
        'API calls per poll',
        fmtInt(poll.calls),
        fmtInt(bare.calls),
        `${(poll.calls / bare.calls).toFixed(2)}×`,
      ],
      ['client CPU of the poll', fmtMs(poll.cpuMs), '', ''],
    ];
    return reportComparison(rows);
  } finally {
    client.destroy();
    await cluster.close?.();
    await server.close();
  }
}

export const benchmark: Benchmark = {
  name: 'aws',
  title: `AWS Batch: ${fmtInt(QUEUE_TASKS)} submissions at the ${API_TPS} TPS API limit, and a poll of ${fmtInt(POLL_JOBS)} jobs (AWS test server)`,
  async run() {
    return [...(await submission()), ...(await pollCost())];
  },
};
