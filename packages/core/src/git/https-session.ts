import type { GitHttpRequest, GitHttpResponse } from 'isomorphic-git';
import { nodeHttpRequest } from './node-http';
import { parseAdvertisement } from './pkt-line';
import { collectBody, singleChunkBody, type RemoteSession } from './remote-session';
import { SourceError } from './source-error';

export interface HttpsSessionOptions {
  source: string;
  /** The configured URL; user info in it is only used as the token's user name. */
  url: string;
  /** Name of the environment variable the token comes from, for messages. */
  tokenEnv: string | null;
  token: string | null;
  signal: AbortSignal;
}

/**
 * An HTTP client for isomorphic-git (ours, with backpressure: node-http.ts), plus credentials sent up front (some
 * hosts answer 404 rather than 401 for a private repository without them),
 * HTTP failures turned into source errors, and the ref advertisement kept so
 * that a missing branch can be reported with the branches that do exist.
 */
export class HttpsSession implements RemoteSession {
  failure: SourceError | null = null;
  advertisedRefs: Map<string, string> | null = null;
  readonly headers: Record<string, string> = {};
  /** The URL isomorphic-git gets: the configured one without user info. */
  readonly url: string;

  constructor(private readonly o: HttpsSessionOptions) {
    const parsed = new URL(o.url);
    const user = decodeURIComponent(parsed.username);
    parsed.username = '';
    parsed.password = '';
    this.url = parsed.toString();
    if (o.token !== null) {
      // GitHub, GitLab and Gitea accept a token as the password with any user name.
      const credentials = `${user || 'x-access-token'}:${o.token}`;
      this.headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    o.signal.addEventListener(
      'abort',
      () => {
        const reason: unknown = o.signal.reason;
        this.failure ??=
          reason instanceof SourceError
            ? reason
            : new SourceError('other', 'The sync was cancelled.');
      },
      { once: true },
    );
  }

  readonly http = {
    request: (request: GitHttpRequest): Promise<GitHttpResponse> => this.request(request),
  };

  bytesReceived = 0;

  private async request(request: GitHttpRequest): Promise<GitHttpResponse> {
    const res = await nodeHttpRequest({ ...request, signal: this.o.signal });
    if (res.statusCode !== 200) {
      this.failure ??= this.statusError(res.statusCode, res.statusMessage);
      // Read to the end (an error page is small), so the connection is released.
      return {
        ...res,
        body: singleChunkBody(res.body ? await collectBody(res.body) : Buffer.alloc(0)),
      };
    }
    if (!res.body) return res;
    if ((request.method ?? 'GET').toUpperCase() !== 'GET')
      return { ...res, body: this.counted(res.body) };
    const body = await collectBody(res.body);
    this.bytesReceived += body.length;
    try {
      const advertisement = parseAdvertisement(body);
      this.advertisedRefs = advertisement.refs;
      if (advertisement.error !== null) {
        this.failure ??= new SourceError(
          'other',
          `${this.where()} refused the fetch: ${advertisement.error}`,
        );
      }
    } catch {
      // Not a smart-HTTP advertisement; isomorphic-git reports that itself.
    }
    return { ...res, body: singleChunkBody(body) };
  }

  private async *counted(
    body: AsyncIterableIterator<Uint8Array>,
  ): AsyncIterableIterator<Uint8Array> {
    for await (const chunk of body) {
      this.bytesReceived += chunk.length;
      yield chunk;
    }
  }

  private statusError(status: number, statusMessage: string): SourceError {
    const http = `HTTP ${status}${statusMessage ? ` ${statusMessage}` : ''}`;
    const details = { status };
    const where = this.where();
    if (status === 401 || status === 403) {
      const message =
        this.o.token !== null
          ? `Permission denied: ${where} rejected the token from $${this.o.tokenEnv ?? '?'} (${http}). ` +
            `Check that the token is valid, not expired, and may read this repository.`
          : `Permission denied: ${where} requires authentication (${http}). Set token_env of source "${this.o.source}" ` +
            `to the name of an environment variable holding an access token with read access.`;
      return new SourceError('auth_failed', message, details);
    }
    if (status === 404) {
      return new SourceError(
        'repo_not_found',
        `Repository not found at ${where} (${http}). Check the url of source "${this.o.source}"` +
          (this.o.token === null
            ? '; some hosts also answer 404 for a private repository when no token is sent.'
            : '.'),
        details,
      );
    }
    return new SourceError('other', `${where} answered ${http}.`, details);
  }

  private where(): string {
    return this.url;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
