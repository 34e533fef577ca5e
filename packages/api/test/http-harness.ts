import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../src/create-app';

export interface Harness {
  base: string;
  close: () => Promise<void>;
}

/** createApp on 127.0.0.1 with a free port, as main.ts runs it. */
export async function serve(deps: AppDeps): Promise<Harness> {
  const server = await new Promise<Server>((resolve) => {
    const s = createApp(deps).listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The `name=value` part of a Set-Cookie header. */
export const cookieOf = (res: Response): string => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

export const trpcGet = (base: string, path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });

export const trpcPost = (base: string, path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });

/** tRPC's error body for a single (unbatched) call. */
export interface TrpcErrorBody {
  error: { message: string; data: { code: string; httpStatus: number } };
}

/**
 * The whole SSE response of a subscription that ends by itself. A refused
 * subscription is answered by tRPC as a stream holding one `serialized-error`
 * event (HTTP 200), before the procedure runs.
 */
export async function refusedStream(url: string, headers: Record<string, string> = {}): Promise<{ code: string; message: string }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  const block = text.split('\n\n').map((b) => b.trim()).find((b) => b.startsWith('event: serialized-error'));
  if (!block || text.includes('event: message') || /^id:/m.test(text)) throw new Error(`expected a refused stream, got: ${text}`);
  const data = JSON.parse(block.split('\n')[1]!.slice('data: '.length)) as { message: string; data: { code: string } };
  return { code: data.data.code, message: data.message };
}

/** A request sent byte for byte: fetch() rewrites Host and resolves `%2e%2e` segments before sending. */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

export const rawGet = (base: string, path: string, headers: Record<string, string>) => rawRequest(base, 'GET', path, headers);
