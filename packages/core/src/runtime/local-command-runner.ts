import { spawn } from 'node:child_process';
import { CoreError } from './errors';
import type { CommandResult, CommandRunner, RunOptions } from './command-runner';

/** Runs command lines with bash on this machine; the local cluster's counterpart of an SSH connection. */
export class LocalCommandRunner implements CommandRunner {
  constructor(
    private readonly cwd: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-c', command], { cwd: this.cwd, env: this.env, stdio: 'pipe' });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      let failure: CoreError | null = null;
      const fail = (e: CoreError): void => {
        failure ??= e;
        child.kill('SIGKILL');
      };
      const timer =
        options.timeoutMs === undefined
          ? null
          : setTimeout(() => fail(new CoreError('COMMAND_TIMEOUT', `Command timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
      const onAbort = (): void => fail(new CoreError('COMMAND_ABORTED', 'Command aborted'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (chunk: Buffer) => {
        outBytes += chunk.length;
        if (options.maxOutputBytes !== undefined && outBytes > options.maxOutputBytes) {
          fail(new CoreError('OUTPUT_TOO_LARGE', `Output exceeded ${options.maxOutputBytes} bytes`));
        } else out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (e) => fail(new CoreError('SCHEDULER_ERROR', `Cannot run bash: ${e.message}`)));
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (failure) return reject(failure);
        resolve({
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
          exitCode: code,
          signal: signal ? signal.replace(/^SIG/, '') : null,
          durationMs: Date.now() - started,
        });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }
}
