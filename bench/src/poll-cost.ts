import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@scripthut/core';
import {
  newRecordSeparator,
  renderJobScript,
  squeueCommand,
} from '../../packages/core/src/backends/slurm';
import { SlurmBackend } from '../../packages/core/src/backends/slurm/slurm-backend';
import { HistoryStore } from '../../packages/core/src/history';
import { ClusterMonitor } from '../../packages/core/src/poller/cluster-monitor';
import type { Benchmark, SummaryRow } from './benchmark';
import { measure, median, type Measured } from './measure';
import { measureSyntheticPolls, steadyTicks, type SteadyTicks } from './poll-synthetic';
import { fmtInt, fmtMs, note, reportComparison } from './report';
import {
  RECORD_BUDGET,
  cancelByName,
  connect,
  countRecords,
  ensureRoom,
  quietly,
  readTestbed,
  sh,
  submitHeld,
  uniqueJobName,
} from './testbed';

/**
 * 2,000 held jobs by default (BENCH_POLL_JOBS=10000 for the 10,000-record
 * figure; cancelled jobs keep their slot for MinJobAge, 300 s). A size that
 * fits RECORD_BUDGET runs against real held jobs (checked against the budget
 * first); a larger one runs over a synthetic listing (poll-synthetic.ts).
 */
const JOBS = Number(process.env.BENCH_POLL_JOBS ?? 2_000);
const STEADY_TICKS = 5;
const BARE_RUNS = 5;

interface TickFigures {
  first: Measured<number>;
  firstCommands: number;
  steady: SteadyTicks;
  bare: { wallMs: number; cpuMs: number; bytes: number };
  records: number;
}

async function measurePolls(): Promise<TickFigures> {
  const testbed = readTestbed();
  const runner = connect(testbed);
  const name = uniqueJobName('poll');
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-poll-'));
  const store = await HistoryStore.open(join(dir, 'scripthut.db'));
  try {
    const before = await ensureRoom(runner, JOBS);
    note(
      `slurmctld held ${fmtInt(before)} records before; submitting ${fmtInt(JOBS)} held jobs (one exec, sbatch loop)…`,
    );
    const submitted = await measure(() => submitHeld(runner, name, JOBS));
    note(`submitted in ${(submitted.wallMs / 1000).toFixed(1)} s`);

    const backend = new SlurmBackend(runner, { renderScript: renderJobScript });
    const changed = { count: 0 };
    const monitor = new ClusterMonitor({
      name: testbed.cluster,
      kind: 'slurm',
      host: `${testbed.host}:${testbed.port}`,
      user: 'hutuser',
      backend,
      repo: store,
      clock: systemClock,
      publish: (e) => {
        if (e.type === 'jobs') changed.count += e.upserted.length + e.removed.length;
      },
      pollIntervalMs: 5_000,
    });

    const first = await measure(async () => {
      await monitor.tick();
      return changed.count;
    });
    const firstCommands = monitor.commandsIssued;
    const steady = await steadyTicks(monitor, STEADY_TICKS, changed);
    const status = monitor.status();
    if (status.lastError !== null) throw new Error(`the monitor reported: ${status.lastError}`);

    // The same command line listJobs sends (fresh separator each time), without parsing anything.
    const bare = { wallMs: [] as number[], cpuMs: [] as number[], bytes: 0 };
    for (let i = 0; i < BARE_RUNS; i++) {
      const run = await measure(() =>
        sh(runner, squeueCommand(newRecordSeparator(), { includeFinished: true })),
      );
      bare.wallMs.push(run.wallMs);
      bare.cpuMs.push(run.cpuMs);
      bare.bytes = run.value.stdout.length;
    }
    const records = await countRecords(runner);
    return {
      first,
      firstCommands,
      steady,
      bare: { wallMs: median(bare.wallMs), cpuMs: median(bare.cpuMs), bytes: bare.bytes },
      records,
    };
  } finally {
    await quietly('cancel held jobs', () => cancelByName(runner, 'hutuser', name));
    await runner.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Above the testbed's budget: the same ticks over a synthetic listing of JOBS records, `cat` over the same connection. */
async function runSynthetic(): Promise<SummaryRow[]> {
  note(
    `${fmtInt(JOBS)} jobs do not fit the testbed's budget of ${fmtInt(RECORD_BUDGET)} records: the monitor reads a synthetic listing of ${fmtInt(JOBS)} real squeue records (renumbered) with \`cat\` over the same SSH connection`,
  );
  const f = await measureSyntheticPolls(JOBS, STEADY_TICKS, BARE_RUNS);
  note(
    `listing ${fmtInt(f.bare.bytes / 1024)} KiB; first tick wrote ${fmtInt(f.first.value)} jobs; steady ticks: commands ${f.steady.commands.join(', ')}, jobs changed ${f.steady.changed.join(', ')}`,
  );
  const bare = `${fmtMs(f.bare.wallMs)} wall, ${fmtMs(f.bare.cpuMs)} CPU (bare cat of the listing)`;
  const ratio = (ms: number): string =>
    `${(ms / f.bare.wallMs).toFixed(2)}× the bare cat's wall time`;
  return reportComparison([
    [
      `first tick (${fmtInt(JOBS)} synthetic records, inserts them)`,
      `${fmtMs(f.first.wallMs)} wall, ${fmtMs(f.first.cpuMs)} CPU`,
      bare,
      ratio(f.first.wallMs),
    ],
    [
      'steady-state tick (no changes)',
      `${fmtMs(f.steady.wallMs)} wall, ${fmtMs(f.steady.cpuMs)} CPU`,
      bare,
      ratio(f.steady.wallMs),
    ],
  ]);
}

async function run(): Promise<SummaryRow[]> {
  if (JOBS > RECORD_BUDGET) return runSynthetic();
  const f = await measurePolls();
  const bare = `${fmtMs(f.bare.wallMs)} wall, ${fmtMs(f.bare.cpuMs)} CPU (bare squeue)`;
  const ratio = (ms: number): string =>
    `${(ms / f.bare.wallMs).toFixed(1)}× the bare squeue's wall time`;
  note(
    `squeue --states=all listed ${fmtInt(f.records)} records (${fmtInt(f.bare.bytes / 1024)} KiB); first tick wrote ${fmtInt(f.first.value)} jobs to the store with ${f.firstCommands} scheduler command(s)`,
  );
  note(
    `steady ticks: commands per tick ${f.steady.commands.join(', ')}; jobs changed per tick ${f.steady.changed.join(', ')} (others may be using the testbed)`,
  );
  note(
    `wall = time of monitor.tick(); CPU = process.cpuUsage() of this Node process (user + system) during it; steady = median of ${STEADY_TICKS}, bare = median of ${BARE_RUNS}.`,
  );
  const rows: [string, string, string, string][] = [
    [
      `first tick (${fmtInt(JOBS)} held jobs, inserts them)`,
      `${fmtMs(f.first.wallMs)} wall, ${fmtMs(f.first.cpuMs)} CPU`,
      bare,
      ratio(f.first.wallMs),
    ],
    [
      'steady-state tick (no changes)',
      `${fmtMs(f.steady.wallMs)} wall, ${fmtMs(f.steady.cpuMs)} CPU`,
      bare,
      ratio(f.steady.wallMs),
    ],
  ];
  return reportComparison(rows);
}

export const benchmark: Benchmark = {
  name: 'poll',
  title: `End-to-end cost of one poll (ClusterMonitor.tick) of ${JOBS.toLocaleString('en-US')} jobs: held on the testbed, or a synthetic listing above its budget`,
  run,
};
