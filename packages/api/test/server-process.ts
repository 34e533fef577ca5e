import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';

/** The built server bundle, as users run it (test-all builds before testing). */
export const CLI = resolve(import.meta.dirname, '../dist/cli.js');

export interface ServerProcessOptions {
  configPath: string;
  port: number;
  /** Working directory and SCRIPTHUT_HOME of the server. */
  home: string;
  /** stdout and stderr of every run are appended here. */
  logPath: string;
  /** Variables added to the server's environment (secrets the config names). */
  env?: Record<string, string>;
}

/**
 * The real server as a child process on a fixed port, so it can be killed
 * (SIGKILL: a crash, no shutdown code runs) and started again at the same URL.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  private readonly log: WriteStream;
  readonly url: string;
  starts = 0;

  constructor(private readonly o: ServerProcessOptions) {
    this.log = createWriteStream(o.logPath, { flags: 'a' });
    this.url = `http://127.0.0.1:${o.port}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts the server and resolves once it printed its URL (it is listening). */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error('server already running');
    this.starts++;
    this.log.write(`\n=== start ${this.starts} at ${new Date().toISOString()} ===\n`);
    const child = spawn(
      'node',
      [CLI, '--config', this.o.configPath, '--port', String(this.o.port)],
      {
        cwd: this.o.home,
        env: { ...process.env, ...this.o.env, SCRIPTHUT_HOME: this.o.home },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stderr?.pipe(this.log, { end: false });
    let stdout = '';
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(
        () =>
          fail(
            new Error(`server did not print its URL within ${timeoutMs} ms; see ${this.o.logPath}`),
          ),
        timeoutMs,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        stdout += chunk.toString();
        if (stdout.includes('listening on http://')) {
          clearTimeout(timer);
          done();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(
          new Error(`server exited (${code ?? signal}) before listening; see ${this.o.logPath}`),
        );
      });
    });
  }

  /** Sends `signal` and resolves when the process is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill(signal);
    await gone;
    this.log.write(`=== stopped with ${signal} at ${new Date().toISOString()} ===\n`);
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    await new Promise<void>((done) => this.log.end(() => done()));
  }
}

/** Seeded PRNG (mulberry32): the same seed gives the same kill points. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
