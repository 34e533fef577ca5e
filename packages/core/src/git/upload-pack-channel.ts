import { once } from 'node:events';
import type { Client, ClientChannel } from 'ssh2';
import type { Clock } from '../runtime/clock';

const MAX_STDERR_BYTES = 16 * 1024;

/**
 * One `git-upload-pack` exec channel: pulls stdout chunk by chunk (so the
 * server is paced by the reader), keeps the first 16 KB of stderr, and
 * records the exit status. Handlers are attached when the channel opens, so
 * an exit or close that happens before anyone waits for it is not missed.
 */
export class UploadPackChannel {
  exitCode: number | null = null;
  exitSignal: string | null = null;
  isClosed = false;
  /** Stdout bytes read so far. */
  bytesRead = 0;
  private stderrBytes = 0;
  private readonly stderrChunks: Buffer[] = [];
  private readonly reader: AsyncIterator<unknown>;
  readonly closed: Promise<void>;

  private constructor(private readonly channel: ClientChannel) {
    this.reader = channel[Symbol.asyncIterator]();
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.stderrBytes >= MAX_STDERR_BYTES) return;
      this.stderrBytes += chunk.length;
      this.stderrChunks.push(chunk);
    });
    channel.on('exit', (code: number | null, signalName?: string) => {
      this.exitCode = typeof code === 'number' ? code : null;
      this.exitSignal = typeof signalName === 'string' ? signalName : null;
    });
    this.closed = new Promise((resolve) => {
      channel.once('close', () => {
        this.isClosed = true;
        resolve();
      });
    });
    // Errors surface through the reader and the exit status; an unhandled 'error' would crash the process.
    channel.on('error', () => undefined);
  }

  static open(client: Client, command: string): Promise<UploadPackChannel> {
    return new Promise((resolve, reject) => {
      try {
        client.exec(command, (error, channel) => {
          if (error) reject(error);
          else resolve(new UploadPackChannel(channel));
        });
      } catch (error) {
        // ssh2 throws "Not connected" when the socket closed a moment ago.
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  get stderr(): string {
    return Buffer.concat(this.stderrChunks).toString('utf8').trim();
  }

  /** The next stdout chunk, or null at end of output. */
  async read(): Promise<Buffer | null> {
    const next = await this.reader.next();
    if (next.done) return null;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
    this.bytesRead += chunk.length;
    return chunk;
  }

  /** Read and drop the rest of stdout: the channel reports 'close' only once its output has been consumed. */
  async drain(): Promise<void> {
    while ((await this.read()) !== null);
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.channel.write(chunk)) await once(this.channel, 'drain');
  }

  /** Half-close: upload-pack sees end of input and finishes. */
  endInput(): void {
    this.channel.end();
  }

  /** Resolves true when the channel closed within `ms`. */
  async closedWithin(ms: number, clock: Clock): Promise<boolean> {
    if (this.isClosed) return true;
    const stop = new AbortController();
    const timeout = clock.sleep(ms, stop.signal).then(
      () => false as const,
      () => false as const,
    );
    try {
      return await Promise.race([this.closed.then(() => true as const), timeout]);
    } finally {
      stop.abort();
    }
  }

  destroy(): void {
    if (!this.isClosed) this.channel.destroy();
  }
}
