import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpRequest } from './node-http';
import { collectBody } from './remote-session';

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
}

let servers: Server[] = [];
const seen: Seen[] = [];

/** A server that records each request; `/go/<status>/<target>` redirects there. */
async function start(): Promise<string> {
  const server = createServer((req: IncomingMessage, res) => {
    void collectBody(req).then((body) => {
      const path = req.url ?? '/';
      seen.push({
        method: req.method ?? '',
        path,
        authorization: req.headers.authorization ?? null,
        body: body.toString(),
      });
      const redirect = /^\/go\/(\d+)\/(.+)$/.exec(path);
      if (redirect) {
        res.writeHead(Number(redirect[1]), { location: decodeURIComponent(redirect[2] ?? '') });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${path}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let a: string;
let b: string;
beforeAll(async () => {
  a = await start();
  b = await start();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

const post = (url: string) =>
  nodeHttpRequest({
    url,
    method: 'POST',
    headers: { authorization: 'Basic c2VjcmV0', 'content-type': 'text/plain' },
    body: [Buffer.from('wants')] as unknown as AsyncIterableIterator<Uint8Array>,
  });

describe('nodeHttpRequest', () => {
  it('follows a 307 with the same method, body and credentials on the same origin', async () => {
    seen.length = 0;
    const res = await post(`${a}/go/307/${encodeURIComponent('/repo.git/git-upload-pack')}`);
    expect(res.statusCode).toBe(200);
    expect((await collectBody(res.body ?? [])).toString()).toBe('POST /repo.git/git-upload-pack');
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/repo.git/git-upload-pack',
      authorization: 'Basic c2VjcmV0',
      body: 'wants',
    });
  });

  it('sends no credentials to another origin, and a 303 becomes a GET without the body', async () => {
    seen.length = 0;
    const res = await post(`${a}/go/303/${encodeURIComponent(`${b}/elsewhere`)}`);
    expect((await collectBody(res.body ?? [])).toString()).toBe('GET /elsewhere');
    expect(res.url).toBe(`${b}/elsewhere`);
    expect(seen[1]).toEqual({ method: 'GET', path: '/elsewhere', authorization: null, body: '' });
  });

  it('gives up on a redirect loop after ten redirects', async () => {
    seen.length = 0;
    // "x" relative to /go/302/x is /go/302/x again.
    await expect(
      nodeHttpRequest({ url: `${a}/go/302/x`, method: 'GET', headers: {} }),
    ).rejects.toThrow(/too many redirects/);
    expect(seen).toHaveLength(11);
  });
});
