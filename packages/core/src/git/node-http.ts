import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createGunzip, createInflate } from 'node:zlib';
import type { GitHttpRequest, GitHttpResponse } from 'isomorphic-git';
import { collectBody } from './remote-session';

const MAX_REDIRECTS = 10;

/**
 * isomorphic-git's HTTP client interface on node:http(s). Unlike its own
 * `http/node`, whose response body queues every chunk as it arrives, the body
 * here is the response stream's own iterator: a reader slower than the
 * network (a clone writing files) pauses the socket instead of holding the
 * pack in memory. Redirects are followed as git (curl) does: credentials and
 * cookies only to the same origin, a 303 (or a 301/302 of a POST) becomes a
 * GET without its body.
 */
export async function nodeHttpRequest(
  request: GitHttpRequest & { signal?: AbortSignal },
): Promise<GitHttpResponse> {
  let url = request.url;
  let method = (request.method ?? 'GET').toUpperCase();
  let headers: Record<string, string> = { ...request.headers };
  let body = request.body ? await collectBody(request.body) : undefined;
  for (let redirects = 0; ; redirects++) {
    const res = await send(url, method, headers, body, request.signal);
    const location = res.headers.location;
    const status = res.statusCode ?? 0;
    if (status < 300 || status >= 400 || !location) return toResponse(url, method, res);
    res.resume();
    if (redirects >= MAX_REDIRECTS) throw new Error(`too many redirects from ${request.url}`);
    const next = new URL(location, url);
    const dropped = new Set(['host']);
    if (next.origin !== new URL(url).origin)
      ['authorization', 'cookie'].forEach((h) => dropped.add(h));
    if (
      (status === 303 && method !== 'HEAD') ||
      (method === 'POST' && (status === 301 || status === 302))
    ) {
      method = 'GET';
      body = undefined;
      ['content-length', 'content-type'].forEach((h) => dropped.add(h));
    }
    headers = Object.fromEntries(
      Object.entries(headers).filter(([name]) => !dropped.has(name.toLowerCase())),
    );
    url = next.href;
  }
}

function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const client = new URL(url).protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        ...(signal ? { signal } : {}),
      },
      resolve,
    );
    req.once('error', reject);
    req.end(body);
  });
}

function toResponse(url: string, method: string, res: IncomingMessage): GitHttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const encoding = headers['content-encoding'];
  // Nothing asks for compression, but a server may compress anyway.
  const stream =
    encoding === 'gzip'
      ? res.pipe(createGunzip())
      : encoding === 'deflate'
        ? res.pipe(createInflate())
        : res;
  if (stream !== res) res.once('error', (error) => stream.destroy(error));
  return {
    url,
    method,
    statusCode: res.statusCode ?? 0,
    statusMessage: res.statusMessage ?? '',
    headers,
    body: stream[Symbol.asyncIterator]() as AsyncIterableIterator<Uint8Array>,
  };
}
