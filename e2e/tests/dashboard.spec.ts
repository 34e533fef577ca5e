import { expect, test } from '@playwright/test';

test('the dashboard shows the testbed cluster connected', async ({ page }) => {
  await page.goto('/');
  const card = page.getByTestId('cluster-card-testbed');
  await expect(card).toBeVisible();
  await expect(card).toContainText('connected');
  await expect(card).toContainText('hutuser@127.0.0.1:2222');
});

test('health answers JSON with the cluster status', async ({ request }) => {
  const response = await request.get('/health');
  expect(response.headers()['content-type']).toContain('application/json');
  const body = (await response.json()) as {
    status: string;
    clusters: Record<string, { connected: boolean }>;
  };
  await expect
    .poll(
      async () =>
        ((await (await request.get('/health')).json()) as typeof body).clusters.testbed?.connected,
    )
    .toBe(true);
  expect(['ok', 'degraded']).toContain(body.status);
});

test('a deep link to a client route survives a reload', async ({ page }) => {
  await page.goto('/queues');
  await page.reload();
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Queues' })).toHaveAttribute('aria-current', 'page');
});

test('a cluster card counts its active jobs and, beside them, the finished ones the table lists', async ({
  page,
  request,
  baseURL,
}) => {
  const run = await request.post('/task-sources/e2e-cards/run', { headers: { Origin: baseURL! } });
  expect(run.status()).toBe(201);
  const { queue_id: queueId } = (await run.json()) as { queue_id: string };
  await page.goto('/?cluster=local-cards');
  const active = page.getByTestId('cluster-active-jobs-local-cards');
  const finished = page.getByTestId('cluster-finished-jobs-local-cards');
  // e2e-cards runs two at a time on a local cluster of its own.
  await expect(active).toHaveText('2', { timeout: 30_000 });
  await page.getByTestId('user-filter-all').click();
  const cancel = await request.post(`/queues/${queueId}/cancel`, { headers: { Origin: baseURL! } });
  expect(cancel.ok()).toBe(true);
  await expect(active).toHaveText('0', { timeout: 30_000 });
  // Every local job has ended, so the table's rows (filtered to the cluster) are the finished count.
  const shown = page.getByTestId('job-count');
  await expect(shown).toHaveText(/^\d[\d,]* of \d[\d,]* jobs/);
  await expect(async () => {
    const rows = /^([\d,]+) of/.exec((await shown.textContent()) ?? '')?.[1];
    expect(rows).toBeDefined();
    expect(await finished.textContent()).toBe(rows);
    expect(Number(rows?.replace(/,/g, ''))).toBeGreaterThanOrEqual(2);
  }).toPass({ timeout: 15_000 });
});
