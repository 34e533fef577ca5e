import type { Page } from '@playwright/test';

export interface FailedQuery {
  /** The procedure, as in the URL: `jobs.list`. */
  path: string;
  /** Whether a call's input (its JSON text) is one to refuse. */
  matches: (inputJson: string) => boolean;
  /** Checked for each request: refuse only while it holds. */
  active: () => boolean;
  message: string;
}

/**
 * Makes the server's answer to some calls of one tRPC query an error, whether
 * the page sent the call alone or batched with others: the client joins the
 * calls of one tick into `/trpc/a,b?batch=1&input={"0":…,"1":…}`, so a route on
 * `/trpc/jobs.list` alone would miss it whenever another query fires beside it.
 * The request goes to the real server, and only the refused calls' answers are
 * replaced by the error.
 */
export async function failQuery(page: Page, o: FailedQuery): Promise<void> {
  const procedures = (url: URL): string[] =>
    decodeURIComponent(url.pathname.slice(url.pathname.indexOf('/trpc/') + '/trpc/'.length)).split(',');
  await page.route(
    (url) => url.pathname.includes('/trpc/') && procedures(url).includes(o.path),
    async (route) => {
      const url = new URL(route.request().url());
      const batched = url.searchParams.get('batch') === '1';
      const input: unknown = JSON.parse(url.searchParams.get('input') ?? '{}');
      const inputOf = (i: number): unknown => (batched ? (input as Record<string, unknown>)[String(i)] : input);
      const refused = procedures(url).map(
        (p, i) => p === o.path && o.active() && o.matches(JSON.stringify(inputOf(i) ?? null)),
      );
      if (!refused.includes(true)) return route.fallback();
      const response = await route.fetch();
      const answers = batched ? ((await response.json()) as unknown[]) : [await response.json()];
      const error = {
        error: {
          message: o.message,
          code: -32603,
          data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, path: o.path },
        },
      };
      const replaced = answers.map((a, i): unknown => (refused[i] ? error : a));
      await route.fulfill({
        status: refused.every(Boolean) ? 500 : 207,
        contentType: 'application/json',
        body: JSON.stringify(batched ? replaced : replaced[0]),
      });
    },
  );
}
