import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink } from '@trpc/client';
import { slurmJobsOfQueue, taskStateOfSlurm, type SshConnection } from '@scripthut/core/testing';
import type { AppRouter } from '../src/app-router';

/** Test-only: a server config on the project's Slurm testbed, and what the server and Slurm say about a queue. */

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

/** Writes scripthut.yaml for one Slurm cluster `tb` and one task source; returns the work directory and config path. */
export function writeSlurmConfig(o: {
  ssh: TestbedEnv;
  source: string;
  command: string;
  maxConcurrent: number;
  dataDir?: string;
}): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-fault-'));
  const configPath = join(dir, 'scripthut.yaml');
  const config = {
    clusters: [
      {
        name: 'tb',
        type: 'slurm',
        ssh: {
          host: o.ssh.host,
          port: o.ssh.port,
          user: 'hutuser',
          key_path: o.ssh.key,
          known_hosts: o.ssh.knownHosts,
        },
      },
    ],
    task_sources: [
      { name: o.source, cluster: 'tb', command: o.command, max_concurrent: o.maxConcurrent },
    ],
    settings: { poll_interval: 5, data_dir: o.dataDir ?? join(dir, 'data') },
  };
  // JSON is YAML.
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { dir, configPath };
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

/** The queue's status from GET /queues/list, or undefined when the server does not answer. */
export async function queueStatus(url: string, queueId: string): Promise<string | undefined> {
  const res = await fetch(`${url}/queues/list`).catch(() => null);
  if (!res?.ok) return undefined;
  const list = (await res.json()) as { queue_id: string; status: string }[];
  return list.find((q) => q.queue_id === queueId)?.status;
}

export interface QueueAudit {
  /** Task positions with no Slurm job, or with more than one. */
  lost: number[];
  doubled: { position: number; jobs: string[] }[];
  /** Tasks whose state or job id differs from what Slurm recorded. */
  mismatched: { taskId: string; state: string; job: string | null; slurm: string }[];
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
  const detail = await trpcClient(url).queues.get.query({ id: queueId });
  const slurm = await slurmJobsOfQueue(ssh, queueId);
  const audit: QueueAudit = { lost: [], doubled: [], mismatched: [], counts: {} };
  for (const task of detail.tasks) {
    audit.counts[task.state] = (audit.counts[task.state] ?? 0) + 1;
    const jobs = slurm.get(task.position) ?? [];
    if (jobs.length === 0) audit.lost.push(task.position);
    if (jobs.length > 1)
      audit.doubled.push({
        position: task.position,
        jobs: jobs.map((j) => `${j.schedulerJobId}:${j.tag}`),
      });
    const only = jobs.length === 1 ? jobs[0]! : null;
    const truth = only ? taskStateOfSlurm(only.state) : null;
    if (only && (truth !== task.state || task.job?.schedulerJobId !== only.schedulerJobId)) {
      audit.mismatched.push({
        taskId: task.taskId,
        state: task.state,
        job: task.job?.schedulerJobId ?? null,
        slurm: `${only.schedulerJobId} ${only.state}`,
      });
    }
  }
  return audit;
}
