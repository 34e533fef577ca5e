import { expect, test, type Page } from '@playwright/test';
import { TEST_PASSWORD } from '../support/auth-server';
import { onTestbed, sbatch } from '../support/slurm';
import { startUsersServer, type UsersServer } from '../support/users-server';

let server: UsersServer;
test.beforeAll(async () => {
  server = await startUsersServer();
});
test.afterAll(async () => {
  await server.stop();
});

const row = (page: Page, slurmId: string) => page.getByTestId(`job-row-testbed:${slurmId}`);

test('a named user logs in, "My jobs" shows the jobs of their own cluster login, and another\'s job cannot be cancelled', async ({ page }) => {
  const name = `e2e-users-${Math.random().toString(36).slice(2, 8)}`;
  const own = sbatch('hutuser2', `-J ${name}-bob`, 'sleep 300');
  const shared = sbatch('hutuser', `-J ${name}-shared --hold`, 'true');
  try {
    await page.goto(`${server.url}/?q=${name}`);
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveText('That user name or password is not right.');
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('logged-in-user')).toHaveText('bob');

    await expect(page.getByTestId('user-filter-mine')).toHaveText('My jobs (hutuser2)');
    await page.getByTestId('user-filter-mine').click();
    await expect(row(page, own)).toBeVisible({ timeout: 30_000 });
    await expect(row(page, shared)).toHaveCount(0);
    await page.getByTestId('user-filter-all').click();
    await expect(row(page, shared)).toBeVisible({ timeout: 30_000 });

    await row(page, shared).click();
    const refused = page.getByTestId('cancel-job');
    await expect(refused).toBeDisabled();
    await expect(refused).toHaveAttribute('title', 'Only hutuser or an admin may cancel this job; you are hutuser2 on testbed');

    await page.goto(`${server.url}/jobs/${encodeURIComponent(`testbed:${own}`)}`);
    await expect(page.getByTestId('job-state')).toContainText('Running', { timeout: 30_000 });
    await page.getByTestId('cancel-job').click();
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('job-state')).toContainText('Cancelled', { timeout: 30_000 });
  } finally {
    onTestbed('hutuser2', `scancel ${own}`);
    onTestbed('hutuser', `scancel ${shared}`);
  }
});
