import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slurmJobsOfQueue, taskStateOfSlurm } from '../src/backends/slurm/testing';
import { ScripthutConfig } from '../src/config';
import { createCore, type CoreDeps } from '../src/create-core';
import type { TaskSpecInput } from '../src/domain/task';
import { systemClock } from '../src/runtime/clock';
import { shellQuote, type CommandRunner } from '../src/runtime/command-runner';
import type { ScripthutCore } from '../src/service/scripthut-core';
import { testbed } from './testbed';

/** Test-only: a whole core (createCore) on the Slurm testbed, for fault tests. */

export interface FaultCore {
  core: ScripthutCore;
  dir: string;
  logs: string[];
  dispose(): Promise<void>;
}

/** `count` short tasks for the testbed's two CPUs; every `failEvery`-th exits 3 (its true final state is failed). */
export function echoTasks(count: number, failEvery: number, extra = ''): TaskSpecInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `t${String(i).padStart(3, '0')}`,
    name: `fault t${i}`,
    command: `echo $RANDOM${extra}${i % failEvery === failEvery - 1 ? '; exit 3' : ''}`,
    memory: '100M',
    time_limit: '5',
  }));
}

/** A core polling every 5 s (the minimum) with one Slurm cluster `tb` reached as hutuser at `port`, and one task source per entry of `sources`. */
export async function startFaultCore(o: {
  port: number;
  knownHosts: string;
  sources: Record<string, { tasks: TaskSpecInput[]; maxConcurrent: number }>;
  queueTimings?: CoreDeps['queueTimings'];
}): Promise<FaultCore> {
  const tb = testbed();
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-fault-core-'));
  const config = ScripthutConfig.parse({
    clusters: [
      {
        name: 'tb',
        type: 'slurm',
        ssh: {
          host: tb.host,
          port: o.port,
          user: 'hutuser',
          key_path: tb.key('hutuser'),
          known_hosts: o.knownHosts,
        },
      },
    ],
    task_sources: Object.entries(o.sources).map(([name, s]) => ({
      name,
      cluster: 'tb',
      command: `printf '%s' ${shellQuote(JSON.stringify(s.tasks))}`,
      max_concurrent: s.maxConcurrent,
    })),
    settings: { poll_interval: 5, data_dir: join(dir, 'data') },
  });
  const logs: string[] = [];
  const core = await createCore({
    config,
    configPath: null,
    homeDir: dir,
    cwd: dir,
    version: 'fault-test',
    clock: systemClock,
    environment: {},
    localUser: 'tester',
    log: (m) => logs.push(`${new Date().toISOString()} ${m}`),
    ...(o.queueTimings ? { queueTimings: o.queueTimings } : {}),
  });
  await core.start();
  return {
    core,
    dir,
    logs,
    async dispose() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `probe` every `everyMs` until it returns a value (not undefined); fails after `timeoutMs`,
 * saying what it waited for and, when `explain` is given, what it saw instead.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
  explain?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = explain ? `\n${await explain().catch((e: unknown) => String(e))}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const isDone = (status: string): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

/**
 * Nothing lost, nothing doubled: Slurm holds exactly one job per task of
 * the queue, and each task shows the final state Slurm gives that job.
 */
export async function auditQueue(core: ScripthutCore, slurm: CommandRunner, queueId: string) {
  const detail = await core.queues.getQueue(queueId);
  const jobs = await slurmJobsOfQueue(slurm, queueId);
  const lost: string[] = [];
  const doubled: string[] = [];
  const mismatched: string[] = [];
  const counts: Record<string, number> = {};
  for (const task of detail.tasks) {
    counts[task.state] = (counts[task.state] ?? 0) + 1;
    const mine = jobs.get(task.position) ?? [];
    if (mine.length === 0) lost.push(task.taskId);
    if (mine.length > 1)
      doubled.push(`${task.taskId}: ${mine.map((j) => j.schedulerJobId).join(',')}`);
    const only = mine.length === 1 ? mine[0]! : null;
    if (
      only &&
      (taskStateOfSlurm(only.state) !== task.state ||
        task.job?.schedulerJobId !== only.schedulerJobId)
    ) {
      mismatched.push(
        `${task.taskId}: ${task.state} job ${task.job?.schedulerJobId ?? '-'}, Slurm ${only.schedulerJobId} ${only.state}`,
      );
    }
  }
  return { lost, doubled, mismatched, counts, status: detail.queue.status };
}
