import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HistoryStore } from '../../packages/core/src/history';
import { makeJob } from '../../packages/core/src/history/testing';
import { listeningUrl, startOwnServer, type OwnServer } from '../support/own-server';

/** More than two of the grid's 200-row windows. */
const JOBS = 450;
const FAILED_EVERY = 3;

let server: OwnServer<string>;

// A server of this spec's own, over a history seeded with finished jobs of its local cluster
// (the poller leaves finished jobs alone), so the journey owns every job it counts.
test.beforeAll(async () => {
  server = await startOwnServer({
    prefix: 'scripthut-e2e-paging-',
    configFor: (dir) => ({
      clusters: [{ name: 'local', type: 'local', max_concurrent: 1, log_dir: join(dir, 'logs') }],
      settings: { data_dir: join(dir, 'data'), filter_user: 'alice' },
    }),
    ready: listeningUrl,
  });
  const store = await HistoryStore.open(join(server.dir, 'data', 'scripthut.db'));
  const start = Date.now() - JOBS * 1_000;
  const jobs = Array.from({ length: JOBS }, (_, i) => {
    const at = new Date(start + i * 1_000).toISOString();
    return makeJob({
      id: `local:${1000 + i}`,
      cluster: 'local',
      schedulerJobId: String(1000 + i),
      name: `paging-${String(i).padStart(3, '0')}`,
      user: 'alice',
      state: i % FAILED_EVERY === 0 ? 'failed' : 'completed',
      exitCode: i % FAILED_EVERY === 0 ? 1 : 0,
      submitTime: at,
      finishTime: at,
      updatedAt: at,
    });
  });
  await store.upsertJobs(jobs);
  await store.close();
});
test.afterAll(async () => {
  await server?.stop();
});

/** The `jobs.list` inputs of a batched tRPC GET (`/trpc/a,b?batch=1&input={"0":…,"1":…}`). */
function listInputs(url: string): Array<{ limit?: number; offset?: number }> {
  const { pathname, searchParams } = new URL(url);
  const procedures = pathname.replace(/^\/trpc\//, '').split(',');
  const inputs = JSON.parse(searchParams.get('input') ?? '{}') as Record<string, unknown>;
  return procedures.flatMap((name, i) =>
    name === 'jobs.list' ? [(inputs[String(i)] ?? {}) as { limit?: number; offset?: number }] : [],
  );
}

test('a list longer than one window scrolls to its last job, and a filter changes the count', async ({
  page,
}) => {
  const asked: Array<{ limit?: number; offset?: number }> = [];
  page.on('request', (r) => {
    if (r.url().includes('/trpc/')) asked.push(...listInputs(r.url()));
  });
  await page.goto(`${server.started}/`);
  const count = page.getByTestId('job-count');
  await expect(count).toHaveText(`${JOBS} of ${JOBS} jobs`);
  // Newest first: the first row is the last job seeded, the oldest is 450 rows down.
  const first = page.getByTestId(`job-row-local:${1000 + JOBS - 1}`);
  const last = page.getByTestId('job-row-local:1000');
  await expect(first).toBeVisible();
  await expect(last).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Jobs' })).toHaveAttribute(
    'aria-rowcount',
    String(JOBS + 1),
  );

  // End on the focused first row goes to the last row, whose window loads on the way.
  await first.focus();
  await page.keyboard.press('End');
  await expect(last).toBeVisible();
  await expect(last).toBeFocused();
  await expect(last).toContainText('paging-000');
  await expect(last).toHaveAttribute('aria-rowindex', String(JOBS + 1));
  // The browser asked for windows, never for the whole list: the last one starts at row 400.
  expect(asked.length).toBeGreaterThan(1);
  expect(asked.every((input) => input.limit === 200)).toBe(true);
  expect(asked.map((input) => input.offset ?? 0)).toContain(400);

  // One in three failed: the chip counts them before it is pressed, and the table follows.
  const failed = Math.ceil(JOBS / FAILED_EVERY);
  const chip = page.getByTestId('state-filter-failed');
  await expect(chip).toContainText(String(failed));
  await chip.click();
  await expect(count).toHaveText(`${failed} of ${JOBS} jobs`);
  await expect(page).toHaveURL(/state=failed/);
  await page.getByTestId('jobs-search').fill('paging-44');
  // paging-440 … paging-449 that failed: 441, 444, 447.
  await expect(count).toHaveText(`3 of ${JOBS} jobs`);
  await expect(page.getByTestId('job-row-local:1447')).toBeVisible();
});
