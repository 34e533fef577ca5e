import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { slurmJobsOfQueue, taskStateOfSlurm, type SshConnection } from '@scripthut/core/testing';
import type { AppRouter } from '../src/app-router';

/** Test-only: a server config with one cluster (the Slurm testbed, or an AWS test server), and what the server and the scheduler say about a queue. */

export interface TestbedEnv {
  host: string;
  port: number;
  knownHosts: string;
  key: string;
}

/** A task-source command (run on the cluster) printing `count` short tasks; every `failEvery`-th exits 3. */
export function echoTasksCommand(count: number, failEvery: number): string {
  const py =
    'import json;print(json.dumps([{"id":"t%03d"%i,"name":"fault t%03d"%i,' +
    `"command":"echo $RANDOM"+("; exit 3" if i%${failEvery}==${failEvery - 1} else ""),` +
    `"memory":"100M","time_limit":"5"} for i in range(${count})]))`;
  return `python3 -c '${py}'`;
}

/** Writes scripthut.yaml for one cluster and one task source on it; returns the work directory and config path. */
export function writeServerConfig(o: {
  cluster: { name: string; type: string } & Record<string, unknown>;
  source: string;
  command: string;
  maxConcurrent: number;
  dataDir?: string;
}): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-fault-'));
  const configPath = join(dir, 'scripthut.yaml');
  const config = {
    clusters: [o.cluster],
    task_sources: [
      {
        name: o.source,
        cluster: o.cluster.name,
        command: o.command,
        max_concurrent: o.maxConcurrent,
      },
    ],
    settings: { poll_interval: 5, data_dir: o.dataDir ?? join(dir, 'data') },
  };
  // JSON is YAML.
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { dir, configPath };
}

/** Writes scripthut.yaml for one Slurm cluster `tb` and one task source; returns the work directory and config path. */
export function writeSlurmConfig(o: {
  ssh: TestbedEnv;
  source: string;
  command: string;
  maxConcurrent: number;
  dataDir?: string;
}): { dir: string; configPath: string } {
  const { ssh, ...rest } = o;
  return writeServerConfig({
    ...rest,
    cluster: {
      name: 'tb',
      type: 'slurm',
      ssh: {
        host: ssh.host,
        port: ssh.port,
        user: 'hutuser',
        key_path: ssh.key,
        known_hosts: ssh.knownHosts,
      },
    },
  });
}

export const trpcClient = (url: string) =>
  createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc` })] });

/** Starts a queue of `source` through the REST route a script would use; returns its id. */
export async function runSource(url: string, source: string): Promise<string> {
  const res = await fetch(`${url}/task-sources/${source}/run`, {
    method: 'POST',
    headers: { Origin: url },
  });
  const body = (await res.json()) as { queue_id?: string; error?: string };
  if (res.status !== 201 || body.queue_id === undefined)
    throw new Error(`run ${source}: ${res.status} ${JSON.stringify(body)}`);
  return body.queue_id;
}

interface ListedQueue {
  queue_id: string;
  status: string;
  counts: Record<string, number>;
}

/** The queue as GET /queues/list shows it, or undefined when the server does not answer. */
async function listedQueue(url: string, queueId: string): Promise<ListedQueue | undefined> {
  const res = await fetch(`${url}/queues/list`).catch(() => null);
  if (!res?.ok) return undefined;
  const list = (await res.json()) as ListedQueue[];
  return list.find((q) => q.queue_id === queueId);
}

/** The queue's status from GET /queues/list, or undefined when the server does not answer. */
export async function queueStatus(url: string, queueId: string): Promise<string | undefined> {
  return (await listedQueue(url, queueId))?.status;
}

/** The queue's task counts by state from GET /queues/list, or undefined when the server does not answer. */
export async function queueCounts(
  url: string,
  queueId: string,
): Promise<Record<string, number> | undefined> {
  return (await listedQueue(url, queueId))?.counts;
}

/** One job the scheduler itself holds that carries a submission tag of the queue. */
export interface SchedulerRecord {
  schedulerJobId: string;
  tag: string;
  /** The task state the scheduler's final state means; null while the job is not final. */
  state: 'completed' | 'failed' | 'cancelled' | null;
  /** The exit code the scheduler reports; undefined where the scheduler's records give none. */
  exitCode?: number | null;
  /** The scheduler's own words, for the failure report. */
  raw: string;
}

export interface QueueAudit {
  /** Task positions with no scheduler job, or with more than one. */
  lost: number[];
  doubled: { position: number; jobs: string[] }[];
  /** Scheduler jobs tagged with a position the queue has no task for. */
  stray: string[];
  /** Tasks whose state, job id or exit code differs from what the scheduler recorded. */
  mismatched: {
    taskId: string;
    state: string;
    job: string | null;
    exitCode: number | null;
    scheduler: string;
  }[];
  counts: Record<string, number>;
}

/**
 * Compares the server's view of a finished queue (tRPC queues.get) with
 * Slurm's own records of the queue's tags: exactly one job per task, and
 * each task in the final state Slurm gives its job.
 */
export async function auditQueue(
  url: string,
  ssh: SshConnection,
  queueId: string,
): Promise<QueueAudit> {
  const slurm = await slurmJobsOfQueue(ssh, queueId);
  const truth = new Map(
    [...slurm].map(([position, jobs]) => [
      position,
      jobs.map((j): SchedulerRecord => ({
        schedulerJobId: j.schedulerJobId,
        tag: j.tag,
        state: taskStateOfSlurm(j.state),
        raw: `${j.schedulerJobId} ${j.state}`,
      })),
    ]),
  );
  return auditAgainst(url, queueId, truth);
}

/**
 * Compares the server's view of a finished queue (tRPC queues.get) with the
 * scheduler's own records, grouped by task position: exactly one job per
 * task, each task in the final state (and with the exit code, where the
 * scheduler gives one) of that job.
 */
export async function auditAgainst(
  url: string,
  queueId: string,
  truth: ReadonlyMap<number, readonly SchedulerRecord[]>,
): Promise<QueueAudit> {
  const detail = await trpcClient(url).queues.get.query({ id: queueId });
  const audit: QueueAudit = { lost: [], doubled: [], stray: [], mismatched: [], counts: {} };
  const positions = new Set(detail.tasks.map((t) => t.position));
  for (const [position, jobs] of truth)
    if (!positions.has(position))
      audit.stray.push(...jobs.map((j) => `${j.schedulerJobId}:${j.tag}`));
  for (const task of detail.tasks) {
    audit.counts[task.state] = (audit.counts[task.state] ?? 0) + 1;
    const jobs = truth.get(task.position) ?? [];
    if (jobs.length === 0) audit.lost.push(task.position);
    if (jobs.length > 1)
      audit.doubled.push({
        position: task.position,
        jobs: jobs.map((j) => `${j.schedulerJobId}:${j.tag}`),
      });
    const only = jobs.length === 1 ? jobs[0]! : null;
    const exitCode = task.job?.exitCode ?? null;
    if (
      only &&
      (only.state !== task.state ||
        task.job?.schedulerJobId !== only.schedulerJobId ||
        (only.exitCode !== undefined && only.exitCode !== exitCode))
    ) {
      audit.mismatched.push({
        taskId: task.taskId,
        state: task.state,
        job: task.job?.schedulerJobId ?? null,
        exitCode,
        scheduler: only.raw,
      });
    }
  }
  return audit;
}
