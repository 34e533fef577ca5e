import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CoreError } from './errors';
import type { CommandResult, CommandRunner, RunOptions } from './command-runner';

/**
 * Linux's limit on one argument (MAX_ARG_STRLEN: 32 pages of 4 KiB, the final
 * NUL included). The command line is one argument of `bash -c`, so this is
 * the longest command that can start; other systems refuse at other lengths,
 * and the error is raised from their refusal (E2BIG), never from this number.
 */
export const LINUX_ARGUMENT_LIMIT_BYTES = 131_072;

/** Runs command lines with bash on this machine; the local cluster's counterpart of an SSH connection. */
export class LocalCommandRunner implements CommandRunner {
  constructor(
    private readonly cwd: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      let child: ChildProcessWithoutNullStreams;
      try {
        child = spawn('bash', ['-c', command], { cwd: this.cwd, env: this.env, stdio: 'pipe' });
      } catch (e) {
        // Node throws some spawn failures (E2BIG) instead of emitting 'error'.
        reject(spawnFailure(e, command));
        return;
      }
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
      child.on('error', (e) => fail(spawnFailure(e, command)));
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

function spawnFailure(e: unknown, command: string): CoreError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'E2BIG') {
    const commandBytes = Buffer.byteLength(command, 'utf8');
    return new CoreError(
      'COMMAND_TOO_LONG',
      `The command is ${commandBytes.toLocaleString('en-US')} bytes long, too long for the operating system to start ` +
        `(E2BIG; Linux takes at most ${LINUX_ARGUMENT_LIMIT_BYTES.toLocaleString('en-US')} bytes in one command): put it in a script file and run that`,
      { commandBytes, limitBytes: LINUX_ARGUMENT_LIMIT_BYTES },
      { cause: e },
    );
  }
  return new CoreError('SCHEDULER_ERROR', `Cannot run bash: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
}
