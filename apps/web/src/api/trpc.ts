import type { AppRouter } from '@scripthut/api';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { authAwareFetch } from '../auth/unauthorized-signal';

export type TrpcClient = ReturnType<typeof createTrpcClient>;

/** Subscriptions travel over SSE (resumable with `tracked` ids); everything else is batched HTTP. */
export function createTrpcClient(url = '/trpc') {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url }),
        false: httpBatchLink({ url, fetch: authAwareFetch }),
      }),
    ],
  });
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();
