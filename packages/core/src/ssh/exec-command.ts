import type { Client, ClientChannel } from 'ssh2';
import { CoreError } from '../runtime/errors';

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
}

export interface ExecOptions {
  stdin?: string;
  maxOutputBytes: number;
  /** Aborting closes the channel (after signalling the remote process) and rejects with the signal's reason. */
  signal: AbortSignal;
  /** Called once the channel is closed on both sides (or never opened): frees the channel slot. */
  onChannelClosed: () => void;
  /**
   * The error to reject with when the connection is lost mid-command, or null
   * while it is up. (A channel that could not be opened rejects with
   * CLUSTER_UNAVAILABLE and `details.started: false` instead.)
   */
  connectionLost: () => CoreError | null;
  /** `user@host:port`, for messages. */
  where: string;
}

/**
 * Run one command on a new exec channel of a connected client. Resolves with
 * the exit status (null, plus a signal name, when there was none); rejects
 * when the channel cannot be opened, the connection drops, the output exceeds
 * its cap, or `signal` aborts. `onChannelClosed` is called exactly once.
 */
export function execCommand(
  client: Client,
  command: string,
  options: ExecOptions,
): Promise<ExecOutcome> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let channel: ClientChannel | null = null;
    const settle = (outcome: { error: Error } | { value: ExecOutcome }): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    };
    const stop = (error: Error): void => {
      if (channel) killAndClose(channel);
      settle({ error });
    };
    const onAbort = (): void => stop(options.signal.reason as Error);
    options.signal.addEventListener('abort', onAbort, { once: true });

    const openFailed = (reason: string): void => {
      options.onChannelClosed();
      settle({
        error: new CoreError(
          'CLUSTER_UNAVAILABLE',
          `Could not open an SSH channel on ${options.where}: ${reason}`,
          {
            started: false,
          },
        ),
      });
    };
    const onOpened = (openError: Error | undefined, opened: ClientChannel): void => {
      if (openError) return openFailed(openError.message);
      channel = opened;
      const stdout = new OutputBuffer('stdout', options.maxOutputBytes);
      const stderr = new OutputBuffer('stderr', options.maxOutputBytes);
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let exited = false;
      const collect = (buffer: OutputBuffer) => (chunk: Buffer) => {
        if (settled || buffer.add(chunk)) return;
        stop(buffer.tooLargeError(options.where));
      };
      opened.on('data', collect(stdout));
      opened.stderr.on('data', collect(stderr));
      opened.on('exit', (code: number | null, signalName?: string) => {
        exited = true;
        exitCode = typeof code === 'number' ? code : null;
        exitSignal = typeof signalName === 'string' ? signalName.replace(/^SIG/, '') : null;
      });
      opened.on('close', () => {
        options.onChannelClosed();
        const lost = exited ? null : options.connectionLost();
        if (lost) return settle({ error: lost });
        settle({
          value: { stdout: stdout.text(), stderr: stderr.text(), exitCode, signal: exitSignal },
        });
      });
      if (settled) return killAndClose(opened);
      opened.end(options.stdin === undefined ? undefined : Buffer.from(options.stdin, 'utf8'));
    };
    try {
      client.exec(command, onOpened);
    } catch (error) {
      // ssh2 throws "Not connected" when the socket closed a moment ago.
      openFailed(error instanceof Error ? error.message : String(error));
    }
  });
}

class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  constructor(
    private readonly name: 'stdout' | 'stderr',
    private readonly maxBytes: number,
  ) {}

  /** False when the chunk would exceed the cap (and is dropped). */
  add(chunk: Buffer): boolean {
    if (this.bytes + chunk.length > this.maxBytes) return false;
    this.bytes += chunk.length;
    this.chunks.push(chunk);
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  tooLargeError(where: string): CoreError {
    return new CoreError(
      'OUTPUT_TOO_LARGE',
      `Command on ${where} wrote more than ${this.maxBytes} bytes to ${this.name}; it was stopped.`,
      { stream: this.name, maxOutputBytes: this.maxBytes },
    );
  }
}

interface ChannelInternals {
  _client?: { _protocol?: { signal?: (channelId: number, signalName: string) => void } };
  outgoing?: { id?: number; state?: string };
}

/**
 * Ask sshd to SIGKILL the command's process group, then close the channel.
 * ssh2's public `channel.signal()` is a no-op once stdin has been ended (always
 * the case here), so the protocol-level request is sent directly when ssh2
 * exposes it; without the signal sshd would leave the process running.
 */
function killAndClose(channel: ClientChannel): void {
  const internals = channel as unknown as ChannelInternals;
  const protocol = internals._client?._protocol;
  const id = internals.outgoing?.id;
  const state = internals.outgoing?.state;
  if (
    protocol &&
    typeof protocol.signal === 'function' &&
    typeof id === 'number' &&
    (state === 'open' || state === 'eof')
  ) {
    try {
      protocol.signal(id, 'KILL');
    } catch {
      // The connection is going away; closing below is all that is left to do.
    }
  }
  try {
    channel.close();
  } catch {
    // Already closed.
  }
}
