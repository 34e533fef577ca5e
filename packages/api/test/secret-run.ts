import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The built server, as users run it. */
export const CLI = resolve(import.meta.dirname, '../dist/cli.js');

/** Known test secrets, one per line; ./test-all greps everything the suite produced for them. */
export function readTestSecrets(): Record<string, string> {
  const [token, password, passphrase, wrongPassphrase, gitToken, shortPassword, smtpPassword, slackPath, webhookSecret] = readFileSync(
    resolve(import.meta.dirname, 'test-secrets.txt'),
    'utf8',
  )
    .trim()
    .split('\n');
  if (!webhookSecret) throw new Error('test-secrets.txt must list nine secrets');
  return {
    token: token!,
    password: password!,
    passphrase: passphrase!,
    wrongPassphrase: wrongPassphrase!,
    gitToken: gitToken!,
    shortPassword: shortPassword!,
    smtpPassword: smtpPassword!,
    slackPath: slackPath!,
    webhookSecret,
  };
}

export interface Running {
  url: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts the built server and waits for its URL; `output` is everything it printed so far. */
export function startServer(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<Running> {
  const child = spawn('node', [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', SCRIPTHUT_HOME: cwd, ...env },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveRun, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server printed no URL:\n${out}`)), 20_000);
    const check = (): void => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolveRun({
        url: m[1]!,
        output: () => out,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`the server exited with ${code}:\n${out}`)));
  });
}

/** A run that must refuse to start: its exit code and everything it printed. */
export function refusedRun(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): { status: number | null; output: string } {
  const r = spawnSync('node', [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: process.env.PATH ?? '', SCRIPTHUT_HOME: cwd, ...env },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
