import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  shellQuote,
  systemClock,
  type CommandResult,
  type CommandRunner,
  type RunOptions,
  type MonitorEvent,
  type QueueEvent,
  type SubmitSpec,
  type TaskCounts,
} from '@scripthut/core';
import { renderJobScript, slurmQueueSupport } from '../../packages/core/src/backends/slurm';
import { SlurmBackend } from '../../packages/core/src/backends/slurm/slurm-backend';
import { EventBus } from '../../packages/core/src/events/event-bus';
import { HistoryStore } from '../../packages/core/src/history';
import { ClusterMonitor } from '../../packages/core/src/poller/cluster-monitor';
import { QueueService } from '../../packages/core/src/queue';
import { measure, sleep } from './measure';
import { quietly, sh } from './testbed';

/** Where the queue's (never written) task logs would go on the cluster; removed afterwards. */
const LOG_DIR = '~/.cache/scripthut/bench-logs';

/**
 * renderJobScript plus `#SBATCH --hold`, so the 1,000 jobs never run on the
 * shared node. The only difference from production: the script's second line.
 */
function heldScript(spec: SubmitSpec): string {
  const script = renderJobScript(spec);
  const held = script.replace(/^#!\/bin\/bash\n/, '#!/bin/bash\n#SBATCH --hold\n');
  if (held === script)
    throw new Error('renderJobScript no longer starts with #!/bin/bash; cannot add --hold');
  return held;
}

/** A task source printing `n` tasks named `name` (awk, so the command line stays short). */
function taskSourceCommand(name: string, n: number): string {
  const task = `{\\"id\\":\\"t%d\\",\\"name\\":\\"${name}\\",\\"command\\":\\"true\\",\\"memory\\":\\"10M\\",\\"time_limit\\":\\"5\\"}`;
  const program = `BEGIN { printf "["; for (i = 1; i <= ${n}; i++) printf "%s${task}", (i > 1 ? "," : ""), i; print "]" }`;
  return `awk ${shellQuote(program)}`;
}

/** Passes commands through, adding up the time spent in sbatch execs (the part the queue cannot avoid). */
class SbatchTimer implements CommandRunner {
  ms = 0;
  count = 0;
  constructor(private readonly inner: CommandRunner) {}
  async run(command: string, options?: RunOptions): Promise<CommandResult> {
    const started = performance.now();
    try {
      return await this.inner.run(command, options);
    } finally {
      if (/\bsbatch\b/.test(command)) {
        this.ms += performance.now() - started;
        this.count++;
      }
    }
  }
}

export interface QueueRun {
  /** From `run()` until no task is pending or submitting. */
  wallMs: number;
  cpuMs: number;
  /** Part of wallMs spent in `run()` itself: task source over SSH, mkdir, storing 1,000 tasks. */
  runCallMs: number;
  counts: TaskCounts;
  /** Wall time inside sbatch execs, and how many. */
  sbatchMs: number;
  sbatchCount: number;
  logs: string[];
}

/**
 * A real QueueService (driver, planner, exactly-once intents in a real
 * HistoryStore, SlurmBackend.submit over the given SSH connection, the
 * monitor's track) running a 1,000-task queue with max_concurrent 1,000.
 */
export async function runHeldQueue(
  runner: CommandRunner,
  cluster: string,
  name: string,
  tasks: number,
): Promise<QueueRun> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-queue-'));
  const store = await HistoryStore.open(join(dir, 'scripthut.db'));
  const events = new EventBus<MonitorEvent | QueueEvent>();
  const timer = new SbatchTimer(runner);
  const backend = new SlurmBackend(timer, { renderScript: heldScript });
  const monitor = new ClusterMonitor({
    name: cluster,
    kind: 'slurm',
    host: cluster,
    user: 'hutuser',
    backend,
    repo: store,
    clock: systemClock,
    publish: (e) => events.publish(e),
    pollIntervalMs: 5_000,
  });
  const logs: string[] = [];
  const source = {
    name: 'bench',
    cluster,
    command: taskSourceCommand(name, tasks),
    max_concurrent: tasks,
    description: '',
  };
  const service = new QueueService({
    store,
    events,
    clusters: new Map([
      [
        cluster,
        {
          name: cluster,
          backend,
          support: slurmQueueSupport(runner, {
            cluster,
            logDir: LOG_DIR,
            partition: null,
            account: null,
            renderScript: heldScript,
          }),
          monitor,
          user: 'hutuser',
        },
      ],
    ]),
    taskSources: [source],
    clock: systemClock,
    log: (m) => logs.push(m),
  });
  const created: { queueId: string | null } = { queueId: null };
  try {
    await service.start();
    let runCallMs = 0;
    const run = await measure(async () => {
      const started = performance.now();
      const summary = await service.run(source.name);
      runCallMs = performance.now() - started;
      created.queueId = summary.id;
      const deadline = Date.now() + 600_000;
      for (;;) {
        await service.idle();
        const counts = (await service.getQueue(summary.id)).queue.counts;
        if (counts.pending === 0 && counts.submitting === 0) return counts;
        if (Date.now() > deadline)
          throw new Error(`queue still submitting after 10 min: ${JSON.stringify(counts)}`);
        await sleep(10);
      }
    });
    return {
      wallMs: run.wallMs,
      cpuMs: run.cpuMs,
      runCallMs,
      counts: run.value,
      sbatchMs: timer.ms,
      sbatchCount: timer.count,
      logs,
    };
  } finally {
    await quietly('stop queue service', () => service.stop());
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    const id = created.queueId;
    if (id !== null)
      await quietly('remove log dir', () =>
        sh(runner, `rm -rf -- "$HOME"/${shellQuote(`${LOG_DIR.slice(2)}/${id}`)}`),
      );
  }
}
