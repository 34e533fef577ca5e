import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../webhook-signature';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the Standard Webhooks signature verified with the receiver's secret (null without one). */
  signatureValid: boolean | null;
}

/** How the receiver answers one request: a status (and headers, body), or `hang` (never answers: a timeout). */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface HttpReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Answers for the next requests, in order; then 200 `ok`. */
  answers: Answer[];
  nextRequest(after?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** A loopback HTTP receiver that verifies webhook signatures and fails, throttles or hangs on purpose. */
export async function startHttpReceiver(o: { secret?: string; path?: string; /** Answer each request this long after it arrived (a slow receiver). */ delayMs?: number } = {}): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  const answers: Answer[] = [];
  const waiters: (() => void)[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const h = req.headers;
      const signatureValid =
        o.secret === undefined
          ? null
          : verifyWebhook(
              o.secret,
              { id: String(h['webhook-id'] ?? ''), timestamp: String(h['webhook-timestamp'] ?? ''), signature: String(h['webhook-signature'] ?? '') },
              body,
              Math.floor(Date.now() / 1000),
            );
      received.push({ headers: h, body, signatureValid });
      for (const w of waiters.splice(0)) w();
      const answer = answers.shift() ?? { status: 200, body: 'ok' };
      if (answer === 'hang') {
        hanging.push(res);
        return;
      }
      const reply = (): void => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (o.delayMs === undefined) reply();
      else setTimeout(reply, o.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${o.path ?? '/hook'}`,
    received,
    answers,
    async nextRequest(after = received.length) {
      while (received.length <= after) await new Promise<void>((r) => waiters.push(r));
      return received[after]!;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
