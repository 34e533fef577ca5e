import { expect, test } from '@playwright/test';

// The bell lives in the header of every page and is fed by the page's one event stream.
test('the bell shows a queue finishing, live, and marks it read in this browser', async ({ page }) => {
  await page.goto('/queues');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toBeVisible();
  const before = Number(await bell.getAttribute('data-unread'));
  await page.getByTestId('run-source-e2e-local').click();
  await expect(page).toHaveURL(/\/queues\/[^/]+$/);
  const queueId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await expect(page.getByTestId('queue-status')).toHaveText('Failed', { timeout: 45_000 });

  await bell.click();
  const panel = page.getByTestId('notification-panel');
  const finished = panel.locator('[data-type="queue.finished"]').filter({ hasText: 'Queue e2e-local on local failed' }).first();
  await expect(finished).toBeVisible();
  await expect(finished).toContainText('3 completed, 1 failed');
  await expect(finished).toHaveAttribute('data-unread', 'true');
  await expect(panel.locator('[data-type="job.failed"]').filter({ hasText: 'Exits with 2' }).first()).toBeVisible();
  await expect(bell).not.toHaveAttribute('data-unread', String(before));

  await page.getByTestId('notification-mark-read').click();
  await expect(bell).toHaveAttribute('data-unread', '0');
  await expect(page.getByTestId('notification-unread-count')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(bell).toBeFocused();

  await page.reload();
  await expect(page.getByTestId('notification-bell')).toHaveAttribute('data-unread', '0');
  await page.getByTestId('notification-bell').click();
  await page.getByTestId('notification-panel').locator('[data-type="queue.finished"]').first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/queues/${queueId}$`));
});

test('the Notifications page lists the implicit browser channel and says no rule sends anything', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByTestId('channel-browser')).toContainText('browser');
  await expect(page.getByTestId('notification-no-rules')).toBeVisible();
  await expect(page.getByTestId('desktop-state')).toHaveAttribute('data-state', /off|denied|on/);
});
