import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../packages/api/dist/cli.js');
const START_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident set size now and at its peak (VmRSS, VmHWM of /proc/<pid>/status), bytes. */
  memory(): { rssBytes: number; peakBytes: number };
  stop(): Promise<void>;
}

/**
 * The real server as users start it (`node packages/api/dist/cli.js`, built
 * by `pnpm build`), in its own process so its memory is its own, over the
 * history in `dataDir`, with no cluster and retention long enough to keep
 * every seeded job. Listens on a free loopback port.
 */
export async function startServerProcess(dataDir: string): Promise<ServerProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first`);
  const config = join(dataDir, 'bench-config.yaml');
  writeFileSync(
    config,
    `clusters: []\nsettings:\n  data_dir: ${JSON.stringify(dataDir)}\n  history_retention_days: 3650\n`,
  );
  const child = spawn(process.execPath, [CLI, '--config', config, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SCRIPTHUT_HOME: dataDir },
  });
  const output: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => fail(`did not print its address within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`server ${CLI} ${why}; its output:\n${output.join('')}`));
    };
    let seen = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    memory: () => statusMemory(pid),
    stop: () => stopChild(child),
  };
}

function statusMemory(pid: number): { rssBytes: number; peakBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb('VmRSS'), peakBytes: kb('VmHWM') };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** One tRPC query over HTTP (GET, JSON input); returns its time and the response size. */
export async function timedQuery(
  url: string,
  procedure: string,
  input?: unknown,
): Promise<{ ms: number; bytes: number; result: unknown }> {
  const started = performance.now();
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${url}/trpc/${procedure}${query}`);
  const text = await res.text();
  const ms = performance.now() - started;
  const body = JSON.parse(text) as { result?: { data?: unknown } };
  if (!res.ok || body.result === undefined)
    throw new Error(`${procedure}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return { ms, bytes: text.length, result: body.result.data };
}
