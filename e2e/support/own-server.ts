import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../packages/api/dist/cli.js');

export interface OwnServer<T> {
  /** The working directory, SCRIPTHUT_HOME and data dir of the server. */
  dir: string;
  /** What `ready` read from the server's output. */
  started: T;
  stop: () => Promise<void>;
}

/**
 * A server of a spec's own (beside the one playwright.config.ts starts),
 * with the config `configFor(dir)` writes and only PATH, SCRIPTHUT_HOME and
 * `env` in its environment. Resolves once `ready` finds what it needs in
 * the server's stdout (its URL, at least).
 */
export async function startOwnServer<T>(o: {
  prefix: string;
  configFor: (dir: string) => object;
  env?: Record<string, string>;
  port?: number;
  ready: (stdout: string) => T | undefined;
}): Promise<OwnServer<T>> {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  const config = join(dir, 'scripthut.yaml');
  // JSON is YAML.
  writeFileSync(config, JSON.stringify(o.configFor(dir)));
  const child: ChildProcess = spawn(
    'node',
    [CLI, '--config', config, '--port', String(o.port ?? 0)],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', SCRIPTHUT_HOME: dir, ...o.env },
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = await new Promise<T>((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the server did not start within 20 s; it printed:\n${out}${err}`)),
      20_000,
    );
    child.stdout?.on('data', () => {
      const found = o.ready(out);
      if (found !== undefined) {
        clearTimeout(timer);
        ok(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited (${code}) before it was ready; it printed:\n${out}${err}`));
    });
  });
  return {
    dir,
    started,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The URL a server prints when it listens. */
export const listeningUrl = (stdout: string): string | undefined =>
  /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
