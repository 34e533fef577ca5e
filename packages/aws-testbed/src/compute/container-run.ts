import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { MemoryWatcher } from './memory-watcher';
import { LineSplitter } from './line-splitter';

export const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

export interface ContainerSpec {
  /** argv; `command[0]` is looked up on PATH like a container entrypoint would be. */
  command: string[];
  environment: Record<string, string>;
  cwd: string;
  /** Hard memory limit of the process tree; above it the tree is SIGKILLed (exit 137). */
  memoryMiB?: number;
  /** One call per stdout/stderr line (interleaved, as the awslogs driver does). */
  onLine: (message: string, atMs: number) => void;
}

export type ExitCause = 'exited' | 'oom' | 'start-error' | 'stopped' | 'interrupted';

export interface ContainerExit {
  /** Null when there is none to report (the process never started, or the host "died"). */
  exitCode: number | null;
  /** The container `reason`, e.g. OOM; absent for a plain exit. */
  reason?: string;
  cause: ExitCause;
}

export interface Interruption {
  exitCode: number | null;
  reason?: string;
  cause: ExitCause;
}

/**
 * A container stand-in: the command runs as a local process in its own
 * process group, so exit codes, durations, memory and output are real.
 * When the main process exits, the rest of its group is killed, as when a
 * container's PID 1 exits.
 */
export class ContainerRun {
  readonly done: Promise<ContainerExit>;
  private child: ChildProcess | null = null;
  private override: Interruption | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;

  constructor(spec: ContainerSpec, memory: MemoryWatcher) {
    this.done = new Promise((resolve) => this.start(spec, memory, resolve));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGTERM to the group, SIGKILL after `graceMs` (docker stop semantics). */
  stop(graceMs: number): void {
    this.signal('SIGTERM');
    this.killTimer ??= setTimeout(() => this.signal('SIGKILL'), graceMs);
  }

  /** SIGKILL now and report `outcome` instead of what the process would say. */
  interrupt(outcome: Interruption): void {
    this.override ??= outcome;
    this.signal('SIGKILL');
  }

  private start(
    spec: ContainerSpec,
    memory: MemoryWatcher,
    resolve: (exit: ContainerExit) => void,
  ): void {
    const [file = '', ...args] = spec.command;
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: spec.cwd,
        env: spec.environment,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // e.g. an empty command: node refuses before any process exists
      const reason = startErrorReason(file, error as NodeJS.ErrnoException);
      resolve({ exitCode: null, reason, cause: 'start-error' });
      return;
    }
    this.child = child;
    const lines = new LineSplitter(spec.onLine);
    child.stdout?.on('data', (chunk: Buffer) => lines.push('out', chunk));
    child.stderr?.on('data', (chunk: Buffer) => lines.push('err', chunk));
    let exitCode: number | null = null;
    const finish = (exit: ContainerExit): void => {
      this.unwatch?.();
      if (this.killTimer) clearTimeout(this.killTimer);
      lines.flush();
      resolve(this.override ? { ...this.override } : exit);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // errors after spawn surface as exit
      finish({ exitCode: null, reason: startErrorReason(file, error), cause: 'start-error' });
    });
    child.once('spawn', () => {
      if (spec.memoryMiB !== undefined && child.pid !== undefined) {
        this.unwatch = memory.watch(child.pid, spec.memoryMiB * 1024 * 1024, () =>
          this.interrupt({ exitCode: 137, reason: OOM_REASON, cause: 'oom' }),
        );
      }
    });
    child.once('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      this.signal('SIGKILL'); // the rest of the group dies with PID 1
    });
    child.once('close', () => {
      if (child.pid === undefined) return;
      const cause: ExitCause = this.killTimer ? 'stopped' : 'exited';
      finish({ exitCode, cause });
    });
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }
}

function startErrorReason(file: string, error: NodeJS.ErrnoException): string {
  const detail =
    error.code === 'ENOENT'
      ? `exec: "${file}": executable file not found in $PATH`
      : `exec: "${file}": ${error.message}`;
  return (
    'CannotStartContainerError: Error response from daemon: failed to create task for container: ' +
    `failed to create shim task: OCI runtime create failed: runc create failed: unable to start ` +
    `container process: ${detail}: unknown`
  );
}
