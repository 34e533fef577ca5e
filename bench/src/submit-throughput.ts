import type { Benchmark, SummaryRow } from './benchmark';
import { measure } from './measure';
import { runHeldQueue, type QueueRun } from './queue-submission';
import { fmtInt, fmtPct, metText, note, printComparison } from './report';
import {
  HELD_JOB_OPTIONS,
  cancelByName,
  connect,
  ensureRoom,
  parsableIds,
  quietly,
  readTestbed,
  sh,
  uniqueJobName,
} from './testbed';

/**
 * 1,000 queue tasks as the issue asks; the raw baselines use 1,000 (loop) and
 * 500 (one exec each) so the three together add 2,500 records for MinJobAge
 * (300 s), well below MaxJobCount with the other benchmarks' leftovers.
 * sbatch throughput barely depends on N (255–268 jobs/s for N = 200–1000 in
 * the reference measurements).
 */
const QUEUE_TASKS = 1_000;
const RAW_LOOP_JOBS = 1_000;
const RAW_EXEC_JOBS = 500;
const TARGET_RATIO = 0.5;

interface Rate {
  jobs: number;
  wallMs: number;
}

const perSecond = (r: Rate): number => r.jobs / (r.wallMs / 1000);
const rateText = (r: Rate, unit: string): string =>
  `${perSecond(r).toFixed(0)} ${unit}/s (${fmtInt(r.jobs)} in ${(r.wallMs / 1000).toFixed(1)} s)`;

async function run(): Promise<SummaryRow[]> {
  const testbed = readTestbed();
  const runner = connect(testbed);
  const names = {
    loop: uniqueJobName('sbloop'),
    exec: uniqueJobName('sbexec'),
    queue: uniqueJobName('queue'),
  };
  try {
    const held = await ensureRoom(runner, QUEUE_TASKS + RAW_LOOP_JOBS + RAW_EXEC_JOBS);
    note(
      `slurmctld held ${fmtInt(held)} records before; all jobs are submitted held (never run) and cancelled after each step.`,
    );

    // Raw 1: one exec running an N-sbatch shell loop.
    const loopCommand = `for i in $(seq 1 ${RAW_LOOP_JOBS}); do sbatch ${HELD_JOB_OPTIONS} --job-name=${names.loop} --wrap=true || exit 1; done`;
    const loop = await measure(
      async () => parsableIds((await sh(runner, loopCommand, 600_000)).stdout).length,
    );
    await cancelByName(runner, 'hutuser', names.loop);
    const loopRate: Rate = { jobs: loop.value, wallMs: loop.wallMs };

    // The queue, between the two raw runs so a drifting controller affects both sides.
    const queue: QueueRun = await runHeldQueue(runner, testbed.cluster, names.queue, QUEUE_TASKS);
    await cancelByName(runner, 'hutuser', names.queue);
    const submitted =
      QUEUE_TASKS - queue.counts.failed - queue.counts.unknown - queue.counts.cancelled;
    const queueRate: Rate = { jobs: submitted, wallMs: queue.wallMs };

    // Raw 2: one exec per sbatch, sequential, on the same connection.
    const exec = await measure(async () => {
      let ids = 0;
      for (let i = 0; i < RAW_EXEC_JOBS; i++) {
        ids += parsableIds(
          (await sh(runner, `sbatch ${HELD_JOB_OPTIONS} --job-name=${names.exec} --wrap=true`))
            .stdout,
        ).length;
      }
      return ids;
    });
    await cancelByName(runner, 'hutuser', names.exec);
    const execRate: Rate = { jobs: exec.value, wallMs: exec.wallMs };

    note(
      `queue: QueueService.run() of a ${fmtInt(QUEUE_TASKS)}-task source (max_concurrent ${fmtInt(QUEUE_TASKS)}), timed until no task is pending or submitting;`,
    );
    note(
      `  the real driver, planner, exactly-once intents in a HistoryStore and SlurmBackend.submit (one exec per sbatch, script on stdin),`,
    );
    note(
      `  with '#SBATCH --hold' added to renderJobScript's script. run() itself (task source over SSH, mkdir, storing tasks): ${(queue.runCallMs / 1000).toFixed(2)} s;`,
    );
    const overheadMs = queue.wallMs - queue.sbatchMs;
    note(
      `  inside sbatch execs: ${(queue.sbatchMs / 1000).toFixed(1)} s (${(queue.sbatchMs / Math.max(1, queue.sbatchCount)).toFixed(1)} ms each);`,
    );
    note(
      `  the queue's own time around them: ${(overheadMs / 1000).toFixed(1)} s (${(overheadMs / QUEUE_TASKS).toFixed(1)} ms per task); Node CPU: ${(queue.cpuMs / 1000).toFixed(1)} s.`,
    );
    note(
      `  task states after: ${Object.entries(queue.counts)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
    );
    for (const line of queue.logs.slice(0, 5)) note(`  queue log: ${line}`);

    const ratioLoop = perSecond(queueRate) / perSecond(loopRate);
    const ratioExec = perSecond(queueRate) / perSecond(execRate);
    const measured = rateText(queueRate, 'tasks');
    const rows: [string, string, string, string][] = [
      [
        `queue, ${fmtInt(QUEUE_TASKS)} held tasks`,
        measured,
        `${rateText(loopRate, 'jobs')}: one exec, sbatch loop`,
        `${fmtPct(ratioLoop)}; target ≥ ${fmtPct(TARGET_RATIO)}: ${metText(ratioLoop >= TARGET_RATIO)}`,
      ],
      [
        `queue, ${fmtInt(QUEUE_TASKS)} held tasks`,
        measured,
        `${rateText(execRate, 'jobs')}: one exec per sbatch`,
        `${fmtPct(ratioExec)} (information)`,
      ],
    ];
    printComparison(rows);
    return rows.map(([metric, m, baseline, verdict]) => ({
      metric,
      measured: m,
      baseline,
      verdict,
    }));
  } finally {
    for (const name of Object.values(names))
      await quietly(`cancel ${name}`, () => cancelByName(runner, 'hutuser', name));
    await runner.close();
  }
}

export const benchmark: Benchmark = {
  name: 'submit',
  title: `Submission throughput of a ${QUEUE_TASKS.toLocaleString('en-US')}-task queue beside a plain sbatch loop over one SSH connection`,
  run,
};
