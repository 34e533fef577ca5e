import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock, type CommandRunner } from '@scripthut/core';
import { renderJobScript } from '../../packages/core/src/backends/slurm';
import { SlurmBackend } from '../../packages/core/src/backends/slurm/slurm-backend';
import { HistoryStore } from '../../packages/core/src/history';
import { ClusterMonitor } from '../../packages/core/src/poller/cluster-monitor';
import { measure, median, type Measured } from './measure';
import { renderCapture, replicateSqueue, splitCapture } from './synthetic-capture';
import { connect, quietly, readTestbed, sh, uniqueJobName } from './testbed';

const LIVE_CAPTURE = resolve(
  import.meta.dirname,
  '../../packages/core/src/backends/slurm/__fixtures__/squeue-live.stdout',
);

export interface SteadyTicks {
  /** Medians over the ticks. */
  wallMs: number;
  cpuMs: number;
  /** Per tick: scheduler commands sent, jobs changed. */
  commands: number[];
  changed: number[];
}

export interface SyntheticPollFigures {
  first: Measured<number>;
  steady: SteadyTicks;
  bare: { wallMs: number; cpuMs: number; bytes: number };
}

/** `ticks` monitor ticks after the first, each measured; `changed.count` is what the monitor's publish adds up, reset before each tick. */
export async function steadyTicks(
  monitor: ClusterMonitor,
  ticks: number,
  changed: { count: number },
): Promise<SteadyTicks> {
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const commands: number[] = [];
  const perTick: number[] = [];
  for (let i = 0; i < ticks; i++) {
    changed.count = 0;
    const before = monitor.commandsIssued;
    const tick = await measure(() => monitor.tick());
    wallMs.push(tick.wallMs);
    cpuMs.push(tick.cpuMs);
    commands.push(monitor.commandsIssued - before);
    perTick.push(changed.count);
  }
  return { wallMs: median(wallMs), cpuMs: median(cpuMs), commands, changed: perTick };
}

/**
 * A poll of `records` jobs where the testbed cannot hold them (see the
 * README's testbed budget): the real squeue capture of pending and running
 * jobs (`__fixtures__/squeue-live`), its records repeated with renumbered ids
 * to `records`, is written to a file on the testbed; the monitor's squeue
 * command is answered by `cat` of that file over the real SSH connection, and
 * the bare baseline is the same `cat`. Everything else (SshConnection,
 * SlurmBackend parse, ClusterMonitor diff, HistoryStore) is the production
 * path. A `cat` is faster than squeue building the listing, so the ratio is
 * a harsher one than against the real squeue.
 */
export async function measureSyntheticPolls(
  records: number,
  ticks: number,
  bareRuns: number,
): Promise<SyntheticPollFigures> {
  const capture = splitCapture(readFileSync(LIVE_CAPTURE, 'utf8'));
  const listing = renderCapture(capture.separator, replicateSqueue(capture.records, records));
  const runner = connect(readTestbed());
  const file = `/tmp/${uniqueJobName('poll-listing')}.out`;
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-poll-synthetic-'));
  const store = await HistoryStore.open(join(dir, 'scripthut.db'));
  try {
    await runner.run(`cat > ${file}`, { stdin: listing, timeoutMs: 120_000 });
    const listed: CommandRunner = {
      run: (command, options) =>
        runner.run(command.includes('squeue ') ? `cat ${file}` : command, options),
    };
    const changed = { count: 0 };
    const monitor = new ClusterMonitor({
      name: 'hut',
      kind: 'slurm',
      host: 'testbed',
      user: 'hutuser',
      backend: new SlurmBackend(listed, { renderScript: renderJobScript }),
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
    const steady = await steadyTicks(monitor, ticks, changed);
    const error = monitor.status().lastError;
    if (error !== null) throw new Error(`the monitor reported: ${error}`);
    const bare = { wallMs: [] as number[], cpuMs: [] as number[], bytes: 0 };
    for (let i = 0; i < bareRuns; i++) {
      const run = await measure(() => sh(runner, `cat ${file}`));
      bare.wallMs.push(run.wallMs);
      bare.cpuMs.push(run.cpuMs);
      bare.bytes = run.value.stdout.length;
    }
    return {
      first,
      steady,
      bare: { wallMs: median(bare.wallMs), cpuMs: median(bare.cpuMs), bytes: bare.bytes },
    };
  } finally {
    await quietly('remove the listing file', () => sh(runner, `rm -f ${file}`));
    await runner.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
