import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote, type TaskSpecInput } from '@scripthut/core';
import { CLI, startServer, type Running } from './secret-run';
import { waitFor } from './server-process';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Hut {
  dir: string;
  config: string;
  server: Running;
  /** A token made with `scripthut token create` before the server started. */
  token: string;
  tokenId: string;
  /** The client as a user runs it, with SCRIPTHUT_SERVER and SCRIPTHUT_TOKEN set (override with `env`). */
  cli: (args: string[], env?: Record<string, string>) => Promise<CliRun>;
  /** The job of `taskId` in the queue, once `ready(job)` holds (polls `scripthut jobs --json`). */
  job: (queueId: string, taskId: string, ready: (j: { state: string; outcome: string | null }) => boolean) => Promise<{ id: string; state: string; outcome: string | null }>;
  stop: () => Promise<void>;
}

/** Runs the built binary; resolves with its exit status and output (never rejects on a non-zero exit). */
export function runCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * The real server with a local cluster, a login configured (settings.auth.token,
 * so nothing answers without credentials) and task source `demo` holding `tasks`
 * (a function of the server's directory, for tasks that use files in it).
 * `login: false`: no login, as a server on 127.0.0.1 runs by default.
 */
export async function startHut(tasks: TaskSpecInput[] | ((dir: string) => TaskSpecInput[]), o: { login?: boolean } = {}): Promise<Hut> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-client-'));
  const specs = typeof tasks === 'function' ? tasks(dir) : tasks;
  const config = join(dir, 'scripthut.yaml');
  writeFileSync(
    config,
    JSON.stringify({
      clusters: [{ name: 'local', type: 'local', max_concurrent: 8 }],
      task_sources: [{ name: 'demo', cluster: 'local', command: `printf '%s\\n' ${shellQuote(JSON.stringify(specs))}`, max_concurrent: 8 }],
      settings: { data_dir: join(dir, 'data'), poll_interval: 5, ...(o.login === false ? {} : { auth: { token: true } }) },
    }),
  );
  const base = { PATH: process.env.PATH ?? '', SCRIPTHUT_HOME: dir };
  const created = await runCli(['token', 'create', 'ci', '--config', config, '--json'], base, dir);
  if (created.status !== 0) throw new Error(`token create failed: ${created.stderr}`);
  const { token, id: tokenId } = JSON.parse(created.stdout) as { token: string; id: string };
  const server = await startServer(['--config', config, '--port', '0'], {}, dir);
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { ...base, SCRIPTHUT_SERVER: server.url, SCRIPTHUT_TOKEN: token, ...env }, dir);
  const job: Hut['job'] = (queueId, taskId, ready) =>
    waitFor(
      `job ${taskId} of queue ${queueId}`,
      async () => {
        const r = await cli(['jobs', '--search', queueId, '--json']);
        const { jobs } = JSON.parse(r.stdout) as { jobs: { id: string; taskId: string | null; state: string; outcome: string | null }[] };
        const found = jobs.find((j) => j.taskId === taskId);
        return found && ready(found) ? found : undefined;
      },
      60_000,
    );
  return {
    dir,
    config,
    server,
    token,
    tokenId,
    cli,
    job,
    stop: async () => {
      await server.stop();
    },
  };
}

/** A task that prints `line 1`, `line 2`… and waits after each for `<gate>-<n>` to exist, then exits with `exitCode`. */
export function gatedTask(id: string, gate: string, lines: number, exitCode: number): TaskSpecInput {
  const g = shellQuote(gate);
  return {
    id,
    name: `gated ${id}`,
    command: `for i in $(seq 1 ${lines}); do echo "line $i"; while [ ! -e ${g}-$i ]; do sleep 0.1; done; done; exit ${exitCode}`,
  };
}
