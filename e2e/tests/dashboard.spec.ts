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
  const body = (await response.json()) as { status: string; clusters: Record<string, { connected: boolean }> };
  await expect.poll(async () => ((await (await request.get('/health')).json()) as typeof body).clusters.testbed?.connected).toBe(true);
  expect(['ok', 'degraded']).toContain(body.status);
});

test('a deep link to a client route survives a reload', async ({ page }) => {
  await page.goto('/queues');
  await page.reload();
  await expect(page.getByRole('navigation')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Queues' })).toHaveAttribute('aria-current', 'page');
});
