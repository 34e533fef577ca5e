import { expect, test, type Page } from '@playwright/test';

// Task sources from the e2e server's config (support/task-sources.ts): e2e-deps on the local
// cluster, e2e-slurm-oom and e2e-slurm-lean-fails on the Slurm testbed.

/** Clicks Run on a task source and returns the id of the queue it opens. */
async function runSource(page: Page, source: string): Promise<string> {
  await page.goto('/queues');
  await page.getByTestId(`run-source-${source}`).click();
  await expect(page).toHaveURL(/\/queues\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
  await expect(page.getByTestId('queue-status')).toBeVisible();
  return new URL(page.url()).pathname.split('/').at(-1)!;
}

const status = (page: Page, taskId: string) => page.getByTestId(`task-status-${taskId}`);

test('the queue page shows the dependency levels, skips what a failed branch blocks, and says so', async ({
  page,
}) => {
  await page.goto('/task-sources/e2e-deps/dry-run');
  await expect(page.getByTestId('dry-run-task-merge').locator('summary')).toContainText(
    'after left, broken',
  );
  const id = await runSource(page, 'e2e-deps');
  const levels = page.getByTestId('dependency-levels');
  await expect(levels).toContainText('4 levels');
  const level = (n: number) => levels.getByTestId(`dependency-level-${n}`);
  await expect(level(0).locator('li')).toHaveText([/^prep /, /^side /]);
  await expect(level(1).locator('li')).toHaveText([
    /^left .* after: prep$/,
    /^broken .* after: prep$/,
  ]);
  await expect(level(2)).toContainText('merge');
  await expect(level(2)).toContainText('after: left, broken');
  await expect(level(3)).toContainText('after: merge');

  await expect(levels.getByTestId('dependency-task-broken')).toContainText('Failed · exit 4', {
    timeout: 45_000,
  });
  await expect(levels.getByTestId('dependency-task-merge')).toContainText('Skipped');
  await expect(levels.getByTestId('dependency-task-report')).toContainText('Skipped');
  for (const done of ['prep', 'left', 'side']) {
    await expect(levels.getByTestId(`dependency-task-${done}`)).toContainText('Completed', {
      timeout: 45_000,
    });
  }
  await expect(page.getByTestId('task-reason-merge')).toHaveText(
    'dependency broken failed (exit 4)',
  );
  await expect(page.getByTestId('task-reason-report')).toHaveText(
    'dependency broken failed (exit 4), via merge',
  );
  await expect(page.getByTestId('queue-status')).toHaveText('Failed');
  await expect(page.getByTestId(`queue-progress-${id}`)).toContainText(
    '6/6 done · 3 completed · 1 failed · 2 skipped',
  );
});

test.describe('on the Slurm testbed', () => {
  test.use({ viewport: { width: 1600, height: 1000 } });

  test('Retry failed runs the out-of-memory task again with more memory, and the new attempt completes', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const first = await runSource(page, 'e2e-slurm-oom');
    await expect(status(page, 'hog')).toHaveText('Out of memory', { timeout: 120_000 });
    await expect(status(page, 'use-hog')).toHaveText('Skipped', { timeout: 30_000 });
    await expect(status(page, 'side')).toHaveText('Completed', { timeout: 60_000 });
    await expect(page.getByTestId('queue-status')).toHaveText('Failed');

    await page.getByTestId('retry-queue').click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed tasks' });
    await expect(dialog.getByTestId('retry-state-out_of_memory')).toBeChecked();
    await expect(dialog.getByTestId('retry-state-skipped')).not.toBeChecked();
    await expect(dialog.getByTestId('retry-state-failed')).toBeDisabled();
    await dialog.getByTestId('retry-memory').fill('600 MB');
    await expect(dialog).toContainText('a size such as 500M');
    await expect(dialog.getByTestId('confirm-retry-queue')).toBeDisabled();
    await dialog.getByTestId('retry-memory').fill('600M');
    await dialog.getByTestId('confirm-retry-queue').click();

    await expect(page).not.toHaveURL(new RegExp(`/queues/${first}$`), { timeout: 30_000 });
    const second = new URL(page.url()).pathname.split('/').at(-1)!;
    await expect(page.getByTestId('queue-origin')).toHaveText(
      `Attempt 2 of queue ${first}: retry of the out of memory tasks, memory 600M`,
    );
    await expect(page.getByTestId('task-row-side')).toHaveCount(0);
    await expect(page.getByTestId('task-row-hog')).toContainText('600M');
    await expect(status(page, 'hog')).toHaveText('Completed', { timeout: 120_000 });
    await expect(status(page, 'use-hog')).toHaveText('Completed', { timeout: 60_000 });
    await expect(page.getByTestId('queue-status')).toHaveText('Completed');

    const attempts = page.getByTestId('queue-attempts');
    await expect(attempts.getByTestId('attempt-1')).toHaveAttribute('data-status', 'failed');
    await expect(attempts.getByTestId('attempt-2')).toHaveAttribute('data-status', 'completed');
    await expect(attempts.getByTestId('counted-progress')).toHaveText(
      'Counting each task’s latest attempt: 3/3 done · 3 completed',
    );
    const hog = page.getByTestId('task-attempts-hog');
    await expect(hog.locator('[data-counts="true"]')).toHaveText('#2 completed');
    await expect(hog.locator('[data-counts="false"]')).toHaveText('#1 out of memory');

    // The first attempt shows the same family, the retry's result counting for hog.
    await hog.getByRole('link', { name: '#1 out of memory' }).click();
    await expect(page).toHaveURL(new RegExp(`/queues/${first}$`));
    await expect(page.getByTestId('task-attempts-hog').locator('[data-counts="true"]')).toHaveText(
      '#2 completed',
    );
    await expect(page.getByTestId('task-attempts-side')).toHaveText('#1 completed');
    await expect(
      page.getByTestId('queue-attempts').getByRole('link', { name: 'Attempt 2' }),
    ).toHaveAttribute('href', `/queues/${second}`);
  });

  test('Retry failed offers the queue’s smaller memory request, one click fills it in, and the retry asks for it', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const first = await runSource(page, 'e2e-slurm-lean-fails');
    await expect(status(page, 'lean-fails')).toHaveText('Failed · exit 1', { timeout: 120_000 });
    await expect(status(page, 'lean-ok')).toHaveText('Completed', { timeout: 60_000 });
    await expect(page.getByTestId('queue-memory-hint')).toHaveText('128M would do', {
      timeout: 30_000,
    });

    await page.getByTestId('retry-queue').click();
    const dialog = page.getByRole('dialog', { name: 'Retry failed tasks' });
    await expect(dialog.getByTestId('retry-size-hint')).toContainText(
      /Finished tasks used at most \d+(\.\d)? MB of 1 GB asked; 128M would do\./,
    );
    await expect(dialog.getByTestId('retry-memory')).toHaveValue('');
    await dialog.getByTestId('retry-apply-hint').click();
    await expect(dialog.getByTestId('retry-memory')).toHaveValue('128M');
    await dialog.getByTestId('confirm-retry-queue').click();

    await expect(page).not.toHaveURL(new RegExp(`/queues/${first}$`), { timeout: 30_000 });
    await expect(page.getByTestId('queue-origin')).toHaveText(
      `Attempt 2 of queue ${first}: retry of the failed tasks, memory 128M`,
    );
    await expect(page.getByTestId('task-row-lean-ok')).toHaveCount(0);
    await expect(page.getByTestId('task-row-lean-fails')).toContainText('128M');
    await expect(status(page, 'lean-fails')).toHaveText('Failed · exit 1', { timeout: 120_000 });
  });
});
