import { vi } from 'vitest';

/** What a stubbed procedure answers: its data, or an error the client throws. */
export type StubAnswer = { data: unknown } | { error: string };

export interface TrpcCall {
  path: string;
  input: unknown;
}

/**
 * Replaces `fetch` for component tests with a tRPC server of stubbed
 * procedures (`answer(path, input)`), speaking the batch link's wire format
 * (no transformer). Every call is recorded in `calls`. A procedure the stub
 * does not answer fails with NOT_FOUND, naming the path.
 */
export function stubTrpcFetch(answer: (path: string, input: unknown) => StubAnswer | undefined): {
  calls: TrpcCall[];
  restore: () => void;
} {
  const calls: TrpcCall[] = [];
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://localhost',
    );
    const paths = decodeURIComponent(url.pathname.replace(/^\/trpc\//, '')).split(',');
    const inputs = (
      typeof init?.body === 'string'
        ? JSON.parse(init.body)
        : JSON.parse(url.searchParams.get('input') ?? '{}')
    ) as Record<string, unknown>;
    const results = paths.map((path, i) => {
      const given = inputs[String(i)];
      calls.push({ path, input: given });
      const got = answer(path, given) ?? { error: `no stub for ${path}` };
      return 'data' in got
        ? { result: { data: got.data } }
        : {
            error: {
              message: got.error,
              code: -32603,
              data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path },
            },
          };
    });
    const failed = results.some((r) => 'error' in r);
    return Promise.resolve(
      new Response(JSON.stringify(results), {
        status: failed ? 500 : 200,
        headers: { 'content-type': 'application/json' },
      }),
    );
  });
  return { calls, restore: () => spy.mockRestore() };
}
