import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from '../app-router';
import type { Connection } from './client-args';

export type HutClient = ReturnType<typeof connect>;

/**
 * The typed tRPC client the commands use: plain HTTP for queries and
 * mutations, SSE for subscriptions (Node 20 has fetch but no EventSource,
 * hence the `eventsource` package). With a token every request carries
 * `Authorization: Bearer`; without one it names the server as its Origin,
 * which is what a loopback server without a login asks of state-changing
 * requests (a tool is not a browser page, so this claims nothing false).
 */
export function connect(c: Connection) {
  const url = `${c.server}/trpc`;
  const headers: Record<string, string> = c.token !== null ? { authorization: `Bearer ${c.token}` } : { origin: new URL(c.server).origin };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
          },
        }),
        false: httpLink({ url, headers }),
      }),
    ],
  });
}
