import { expect, test, type Page } from '@playwright/test';
import { onTestbed, sbatch } from '../support/slurm';

const row = (page: Page, slurmId: string) => page.getByTestId(`job-row-testbed:${slurmId}`);

/** A job name no other test uses; the dashboard is opened filtered to it, as a user would with many jobs. */
const unique = (label: string): string => `e2e-${label}-${Math.random().toString(36).slice(2, 8)}`;
const openFiltered = (page: Page, name: string) => page.goto(`/?q=${encodeURIComponent(name)}`);

async function showAllUsers(page: Page): Promise<void> {
  await page.getByTestId('user-filter-all').click();
  await expect(page.getByTestId('user-filter-all')).toHaveAttribute('aria-pressed', 'true');
}

test('a job killed by the memory limit shows Out of memory, never completed', async ({ page }) => {
  const name = unique('oom');
  await openFiltered(page, name);
  const id = sbatch('hutuser', `-J ${name} --mem=20M`, 'python3 -c "x=bytearray(300*1024*1024); import time; time.sleep(2)"');
  await expect(row(page, id)).toContainText('Out of memory', { timeout: 45_000 });
  await expect(row(page, id)).not.toContainText('Completed');
});

test('a non-zero exit shows Failed with the exit code', async ({ page }) => {
  const name = unique('exit');
  await openFiltered(page, name);
  const id = sbatch('hutuser', `-J ${name}`, 'exit 3');
  await expect(row(page, id)).toContainText('exit 3', { timeout: 45_000 });
});

test('the user filter hides and shows the other user\'s jobs, and the choice survives a reload', async ({ page }) => {
  const name = unique('other');
  await openFiltered(page, name);
  const id = sbatch('hutuser2', `-J ${name} --hold`, 'true');
  await showAllUsers(page);
  await expect(row(page, id)).toBeVisible({ timeout: 20_000 });
  await expect(row(page, id)).toContainText('hutuser2');
  await page.getByTestId('user-filter-mine').click();
  await expect(row(page, id)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('user-filter-mine')).toHaveAttribute('aria-pressed', 'true');
  await expect(row(page, id)).toHaveCount(0);
  onTestbed('hutuser2', `scancel ${id}`);
});

test('two tabs stay in sync as jobs change', async ({ page, context }) => {
  const other = await context.newPage();
  const name = unique('sync');
  await openFiltered(page, name);
  await openFiltered(other, name);
  const id = sbatch('hutuser', `-J ${name}`, 'sleep 120');
  await expect(row(page, id)).toBeVisible({ timeout: 20_000 });
  await expect(row(other, id)).toBeVisible({ timeout: 20_000 });
  onTestbed('hutuser', `scancel ${id}`);
  await expect(row(page, id)).toContainText('Cancelled', { timeout: 30_000 });
  await expect(row(other, id)).toContainText('Cancelled', { timeout: 30_000 });
});

test('cancelling a running job from its page ends it as cancelled', async ({ page }) => {
  const name = unique('cancel');
  const id = sbatch('hutuser', `-J ${name}`, 'sleep 300');
  await openFiltered(page, name);
  await expect(row(page, id)).toContainText('Running', { timeout: 20_000 });
  await row(page, id).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${encodeURIComponent(`testbed:${id}`)}|/jobs/testbed:${id}`));
  await page.getByTestId('cancel-job').click();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('job-state')).toContainText('Cancelled', { timeout: 30_000 });
});

test('cancelling someone else\'s job shows Slurm\'s refusal', async ({ page }) => {
  const name = unique('not-mine');
  const id = sbatch('hutuser2', `-J ${name} --hold`, 'true');
  await openFiltered(page, name);
  await showAllUsers(page);
  await expect(row(page, id)).toBeVisible({ timeout: 20_000 });
  await row(page, id).click();
  await page.getByTestId('cancel-job').click();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('cancel-error')).toContainText(/denied|not owner/i);
  onTestbed('hutuser2', `scancel ${id}`);
});

test('the search box filters the table as the user types, and the URL keeps the search for a reload', async ({ page }) => {
  const base = unique('search');
  const alpha = sbatch('hutuser', `-J ${base}-alpha --hold`, 'true');
  const beta = sbatch('hutuser', `-J ${base}-beta --hold`, 'true');
  await openFiltered(page, base);
  await expect(row(page, alpha)).toBeVisible({ timeout: 20_000 });
  await expect(row(page, beta)).toBeVisible();
  const box = page.getByRole('searchbox', { name: 'Search jobs' });
  await box.focus();
  await page.keyboard.press('End');
  await box.pressSequentially('-beta');
  await expect(row(page, alpha)).toHaveCount(0);
  await expect(row(page, beta)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`q=${base}-beta`));
  await page.reload();
  await expect(box).toHaveValue(`${base}-beta`);
  await expect(row(page, beta)).toBeVisible({ timeout: 20_000 });
  await expect(row(page, alpha)).toHaveCount(0);
  onTestbed('hutuser', `scancel ${alpha} ${beta}`);
});
