import { subscribeEvents, type SseSubscription } from './sse-client';

/**
 * The load benchmark's clients, in their own process (forked by
 * `subscribers-load.ts`), as the Jobs page's browsers are: the SSE
 * subscribers and the timed query loops. In the server's process their
 * fetch machinery and JSON parsing took about a seventh of its event loop
 * and were counted as server latency.
 *
 * Protocol (IPC): parent sends `{ kind: 'idle', ms }` → child answers
 * `{ kind: 'idle', latencies }`; `{ kind: 'subscribe', count }` → `{ kind:
 * 'subscribed' }` once every stream delivered its first message; `{ kind:
 * 'load', ms }` → `{ kind: 'loaded', latencies }`; `{ kind: 'count' }` (sent
 * once publishing stopped) → `{ kind: 'delivered', fewest }`, the fewest
 * messages any subscriber received since `load`; `{ kind: 'close' }`.
 */
export interface Latencies {
  list: number[];
  counts: number[];
  clusters: number[];
}
export type ToClients =
  | { kind: 'idle'; ms: number }
  | { kind: 'subscribe'; count: number }
  | { kind: 'load'; ms: number }
  | { kind: 'count' }
  | { kind: 'close' };
export type FromClients =
  | { kind: 'idle'; latencies: Latencies }
  | { kind: 'subscribed' }
  | { kind: 'loaded'; latencies: Latencies }
  | { kind: 'delivered'; fewest: number };

/** One 200-row window of the grid (jobs-windows.ts WINDOW_ROWS), newest first. */
export const WINDOW_ROWS = 200;

async function timedQuery(url: string, procedure: string, input: unknown): Promise<number> {
  const started = performance.now();
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${url}/trpc/${procedure}${query}`);
  const body = (await res.json()) as { result?: unknown };
  if (!res.ok || body.result === undefined) throw new Error(`${procedure}: HTTP ${res.status}`);
  return performance.now() - started;
}

/** Sequential query loops for a jobs.list window, jobs.counts and clusters.list, side by side, for `ms`. */
async function queryLoops(url: string, ms: number): Promise<Latencies> {
  const until = performance.now() + ms;
  const out: Latencies = { list: [], counts: [], clusters: [] };
  const loop = async (into: number[], procedure: string, input: unknown): Promise<void> => {
    while (performance.now() < until) into.push(await timedQuery(url, procedure, input));
  };
  await Promise.all([
    loop(out.list, 'jobs.list', { limit: WINDOW_ROWS }),
    loop(out.counts, 'jobs.counts', {}),
    loop(out.clusters, 'clusters.list', undefined),
  ]);
  return out;
}

const url = process.argv[2]!;
const subs: SseSubscription[] = [];
let atLoad: number[] = [];
const send = (m: FromClients): void => {
  process.send?.(m);
};

process.on('message', (message: ToClients) => {
  const handle = async (): Promise<void> => {
    switch (message.kind) {
      case 'idle':
        send({ kind: 'idle', latencies: await queryLoops(url, message.ms) });
        return;
      case 'subscribe':
        for (let i = 0; i < message.count; i++) subs.push(subscribeEvents(url));
        await Promise.all(subs.map((s) => s.ready));
        send({ kind: 'subscribed' });
        return;
      case 'load':
        atLoad = subs.map((s) => s.messages);
        send({ kind: 'loaded', latencies: await queryLoops(url, message.ms) });
        return;
      case 'count':
        // The last published events are still on their way: let them arrive.
        await new Promise((r) => setTimeout(r, 500));
        send({
          kind: 'delivered',
          fewest: Math.min(...subs.map((s, i) => s.messages - (atLoad[i] ?? 0))),
        });
        return;
      case 'close':
        for (const s of subs) s.close();
        process.disconnect();
        return;
    }
  };
  handle().catch((e: unknown) => {
    console.error('bench clients:', e);
    process.exit(1);
  });
});
