import type { GitHttpRequest, GitHttpResponse } from 'isomorphic-git';
import type { Client } from 'ssh2';
import type { Clock } from '../runtime/clock';
import { connectClient } from '../ssh/connect-client';
import type { KeyCache } from '../ssh/key-file';
import { endOfFirstSection, FLUSH, parseAdvertisement, pktLine, PktLineError } from './pkt-line';
import { singleChunkBody, type RemoteSession } from './remote-session';
import { SourceError } from './source-error';
import { uploadPackCommand } from './source-url';
import { connectFailureError, uploadPackFailure, type SshSourceContext } from './ssh-failure';
import { UploadPackChannel } from './upload-pack-channel';

export interface SshUploadPackOptions extends SshSourceContext {
  keyCache: KeyCache;
  clock: Clock;
  /** Aborting tears the connection down; pending reads end with an error. */
  signal: AbortSignal;
  /** How long the server may take to advertise its refs after the exec. Default 30 s. */
  advertisementTimeoutMs?: number;
}

const PREAMBLE = Buffer.concat([pktLine('# service=git-upload-pack\n'), FLUSH]);
const CLOSE_GRACE_MS = 5_000;

/**
 * isomorphic-git's HTTP client interface, served by `git-upload-pack` over one
 * SSH exec channel. The GET (ref advertisement) and the POST (wants and haves,
 * then the pack) go to the SAME upload-pack process: a second process would
 * reject a want for a tip that moved in between ("not our ref"). Errors of the
 * transport (connect, exit status, stderr, ERR packets) are kept in `failure`
 * and win over whatever isomorphic-git makes of a broken stream.
 */
export class SshUploadPack implements RemoteSession {
  failure: SourceError | null = null;
  advertisedRefs: Map<string, string> | null = null;
  /** Bytes read by channels this session already replaced. */
  private earlierBytes = 0;
  private client: Client | null = null;
  private channel: UploadPackChannel | null = null;
  private leftover: Buffer = Buffer.alloc(0);
  private posted = false;

  constructor(private readonly o: SshUploadPackOptions) {
    o.signal.addEventListener(
      'abort',
      () => {
        const reason: unknown = o.signal.reason;
        this.fail(
          reason instanceof SourceError
            ? reason
            : new SourceError('other', 'The sync was cancelled.'),
        );
        this.channel?.destroy();
        this.client?.destroy();
      },
      { once: true },
    );
  }

  readonly http = {
    request: (request: GitHttpRequest): Promise<GitHttpResponse> => this.request(request),
  };

  private async request(request: GitHttpRequest): Promise<GitHttpResponse> {
    const method = (request.method ?? 'GET').toUpperCase();
    if (/[?&]service=git-upload-pack/.test(request.url) && method === 'GET')
      return this.advertise(request.url);
    if (request.url.endsWith('/git-upload-pack') && method === 'POST') return this.upload(request);
    throw this.fail(
      new SourceError(
        'other',
        `Git sources are read-only; cannot ${method} ${request.url} over SSH.`,
      ),
    );
  }

  get bytesReceived(): number {
    return this.earlierBytes + (this.channel?.bytesRead ?? 0);
  }

  private async advertise(url: string): Promise<GitHttpResponse> {
    this.earlierBytes += this.channel?.bytesRead ?? 0;
    this.channel?.destroy();
    this.channel = null;
    this.posted = false;
    const channel = await this.openChannel();
    const advertisement = await this.readAdvertisement(channel);
    const parsed = parseAdvertisement(advertisement);
    if (parsed.error !== null)
      throw this.fail(uploadPackFailure(`ERR ${parsed.error}`, null, this.o));
    this.advertisedRefs = parsed.refs;
    return response(
      url,
      'GET',
      'application/x-git-upload-pack-advertisement',
      singleChunkBody(Buffer.concat([PREAMBLE, advertisement])),
    );
  }

  private upload(request: GitHttpRequest): GitHttpResponse {
    const channel = this.channel;
    if (!channel || this.posted || channel.isClosed) {
      throw this.fail(
        new SourceError(
          'other',
          'isomorphic-git sent a fetch request without a fresh ref advertisement.',
        ),
      );
    }
    this.posted = true;
    const writing = this.send(channel, request.body);
    writing.catch(() => undefined);
    return response(
      request.url,
      'POST',
      'application/x-git-upload-pack-result',
      this.result(channel, writing),
    );
  }

  private async send(channel: UploadPackChannel, body: GitHttpRequest['body']): Promise<void> {
    if (body) for await (const chunk of body) await channel.write(chunk);
    channel.endInput();
  }

  private async *result(
    channel: UploadPackChannel,
    writing: Promise<void>,
  ): AsyncGenerator<Uint8Array> {
    if (this.leftover.length > 0) yield this.leftover;
    this.leftover = Buffer.alloc(0);
    for (let chunk = await channel.read(); chunk !== null; chunk = await channel.read())
      yield chunk;
    await channel.closedWithin(CLOSE_GRACE_MS, this.o.clock);
    await writing.catch(() => undefined);
    if (channel.exitCode !== 0)
      throw this.fail(uploadPackFailure(channel.stderr, channel.exitCode, this.o));
  }

  private async openChannel(): Promise<UploadPackChannel> {
    const client = this.client ?? (await this.connect());
    try {
      this.channel = await UploadPackChannel.open(client, uploadPackCommand(this.o.path));
      return this.channel;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw this.fail(
        new SourceError(
          'unreachable',
          `Cannot open an SSH channel to ${this.o.target.host}: ${message}`,
          {},
          { cause: error },
        ),
      );
    }
  }

  private async connect(): Promise<Client> {
    const result = await connectClient(this.o.target, {
      keyCache: this.o.keyCache,
      onLost: () => undefined,
      signal: this.o.signal,
    });
    if (!result.ok) throw this.fail(connectFailureError(result.failure, this.o));
    this.client = result.client;
    return result.client;
  }

  /** Upload-pack's advertisement ends at its first flush; then it waits for wants, so the stream stays open. */
  private async readAdvertisement(channel: UploadPackChannel): Promise<Buffer> {
    const stop = new AbortController();
    const timeoutMs = this.o.advertisementTimeoutMs ?? 30_000;
    const timedOut = this.o.clock.sleep(timeoutMs, stop.signal).then(() => {
      channel.destroy();
      return 'timeout' as const;
    });
    timedOut.catch(() => undefined);
    try {
      let buffer = Buffer.alloc(0);
      for (;;) {
        const end = endOfFirstSection(buffer);
        if (end !== null) {
          this.leftover = buffer.subarray(end);
          return buffer.subarray(0, end);
        }
        const chunk = await Promise.race([channel.read(), timedOut]);
        if (chunk === 'timeout') {
          throw this.fail(
            new SourceError(
              'timeout',
              `${this.o.target.host} did not list its refs within ${timeoutMs} ms.`,
            ),
          );
        }
        if (chunk === null) {
          await channel.closedWithin(CLOSE_GRACE_MS, this.o.clock);
          throw this.fail(uploadPackFailure(channel.stderr, channel.exitCode, this.o));
        }
        buffer = Buffer.concat([buffer, chunk]);
      }
    } catch (error) {
      if (error instanceof PktLineError) {
        const said = channel.stderr ? ` (stderr: ${channel.stderr})` : '';
        throw this.fail(
          new SourceError(
            'other',
            `${this.o.target.host} did not answer as git-upload-pack: ${error.message}${said}`,
          ),
        );
      }
      throw this.failure ?? error;
    } finally {
      stop.abort();
    }
  }

  private fail(error: SourceError): SourceError {
    this.failure ??= error;
    return error;
  }

  /** Ends the upload-pack process politely when no fetch request came ("no wants"), then the connection. */
  async close(): Promise<void> {
    const channel = this.channel;
    if (channel && !channel.isClosed) {
      if (!this.posted) {
        await channel.write(FLUSH).catch(() => undefined);
        channel.endInput();
        void channel.drain().catch(() => undefined);
        await channel.closedWithin(CLOSE_GRACE_MS, this.o.clock);
      }
      channel.destroy();
    }
    const client = this.client;
    this.client = null;
    if (client) {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.end();
      const stop = new AbortController();
      await Promise.race([
        closed,
        this.o.clock.sleep(CLOSE_GRACE_MS, stop.signal).catch(() => undefined),
      ]);
      stop.abort();
      client.destroy();
    }
  }
}

function response(
  url: string,
  method: string,
  contentType: string,
  body: AsyncIterableIterator<Uint8Array>,
): GitHttpResponse {
  return {
    url,
    method,
    statusCode: 200,
    statusMessage: 'OK',
    headers: { 'content-type': contentType },
    body,
  };
}
