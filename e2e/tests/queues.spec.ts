import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { LOCAL_TASKS, MANY_TASK_COUNT, SLURM_TASKS } from '../support/task-sources';

// Task sources come from the e2e server's config (support/task-sources.ts):
// e2e-local and e2e-slow on the local cluster, e2e-slurm on the testbed.

const queueCount = async (request: APIRequestContext): Promise<number> =>
  ((await (await request.get('/queues/list')).json()) as unknown[]).length;

/** Clicks Run on a task source and returns the id of the queue it opens. */
async function runSource(page: Page, source: string): Promise<string> {
  await page.goto('/queues');
  await page.getByTestId(`run-source-${source}`).click();
  await expect(page).toHaveURL(/\/queues\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
  const id = new URL(page.url()).pathname.split('/').at(-1)!;
  await expect(page.getByTestId('queue-status')).toBeVisible();
  return id;
}

const status = (page: Page, taskId: string) => page.getByTestId(`task-status-${taskId}`);

test('a dry run shows the exact job scripts and submits nothing', async ({ page, request }) => {
  const before = await queueCount(request);
  await page.goto('/queues');
  await page.getByTestId('dry-run-source-e2e-local').click();
  await expect(page).toHaveURL(/\/task-sources\/e2e-local\/dry-run$/);
  await expect(page.getByTestId('dry-run-script-ticker')).toContainText(LOCAL_TASKS[0].command);
  await expect(page.getByTestId('run-dry-run')).toHaveText(`Run these ${LOCAL_TASKS.length} tasks`);
  // Later tasks start collapsed; the keyboard opens them.
  const last = page.getByTestId('dry-run-task-ok-2');
  await last.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('dry-run-script-ok-2')).toContainText('echo two');
  await page.reload();
  await expect(page.getByTestId('dry-run-script-ticker')).toBeVisible();
  expect(await queueCount(request)).toBe(before);
});

test('a local queue reaches its final states, with the exit code of the failed task', async ({
  page,
}) => {
  const id = await runSource(page, 'e2e-local');
  await expect(status(page, 'fails')).toHaveText('Failed · exit 2', { timeout: 45_000 });
  for (const ok of ['ticker', 'ok-1', 'ok-2']) {
    await expect(status(page, ok)).toHaveText('Completed', { timeout: 45_000 });
  }
  await expect(page.getByTestId('queue-status')).toHaveText('Failed');
  // The ticker prints 16 ticks 0.5 s apart: it ran 8 s, and started after it was submitted.
  const [submitted, started] = await Promise.all(
    ['submitted', 'started'].map((t) =>
      page.getByTestId(`task-${t}-ticker`).locator('time').getAttribute('datetime'),
    ),
  );
  expect(Date.parse(started!)).toBeGreaterThanOrEqual(Date.parse(submitted!));
  await page.getByRole('link', { name: /^Job \d+ of task ticker$/ }).click();
  await expect(page.getByTestId('fact-time-used')).toContainText(/0:0[89] \/ 1:00:00/);
  await page.goBack();
  await page.getByRole('link', { name: '← All queues' }).click();
  await expect(page.getByTestId(`queue-progress-${id}`)).toContainText(
    '4/4 done · 3 completed · 1 failed',
  );
  await expect(page.getByTestId(`queue-row-${id}`)).toHaveAttribute('data-status', 'failed');
});

test('following a running task shows its output as it is written', async ({ page }) => {
  const id = await runSource(page, 'e2e-local');
  await page.goto(`/queues/${id}/tasks/ticker/logs/output`);
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'true');
  const log = page.getByTestId('log-view');
  await expect(log).toContainText('tick 2', { timeout: 30_000 });
  // The ticker writes for 8 s: lines keep arriving after the first ones were shown.
  await expect(page.getByTestId('log-state')).toHaveAttribute('data-state', 'waiting');
  await expect(page.getByTestId('log-state')).toHaveText(/Waiting for the job to write…/);
  await expect(log).not.toContainText('tick 16');
  await expect(log).toContainText('tick 16', { timeout: 20_000 });
  await expect(page.getByTestId('log-state')).toContainText('Job finished — end of log', {
    timeout: 20_000,
  });
  await expect(page.getByTestId('log-download')).toHaveAttribute(
    'href',
    `/queues/${id}/tasks/ticker/logs/output?download=1`,
  );
});

test('cancelling a queue while tasks run cancels the running and the pending ones', async ({
  page,
}) => {
  await runSource(page, 'e2e-slow');
  await expect(status(page, 'slow-1')).toHaveText('Running', { timeout: 30_000 });
  await expect(status(page, 'slow-2')).toHaveText('Running', { timeout: 30_000 });
  await expect(status(page, 'slow-3')).toHaveText('Pending');
  await page.getByTestId('cancel-queue').click();
  await page.getByTestId('confirm-cancel-queue').click();
  const outcome = page.getByTestId('cancel-queue-outcome');
  await expect(outcome).toContainText('2 cancelled before submission');
  await expect(outcome).toContainText('2 cancel requested from the scheduler');
  await expect(page.getByTestId('queue-status')).toHaveText('Cancelled');
  for (const t of ['slow-1', 'slow-2', 'slow-3', 'slow-4']) {
    await expect(status(page, t)).toHaveText(/^Cancelled/, { timeout: 30_000 });
  }
  await expect(page.getByTestId('cancel-queue')).toHaveCount(0);
});

test('a 5,000-task queue keeps only a window of rows in the page and scrolls to its last task', async ({
  page,
  request,
  baseURL,
}) => {
  const id = await runSource(page, 'e2e-many');
  try {
    const rows = page.locator('[data-testid^="task-row-"]');
    await expect(page.getByRole('heading', { name: `Tasks (${MANY_TASK_COUNT})` })).toBeVisible();
    await expect(page.getByTestId('tasks-table')).toHaveAttribute(
      'aria-rowcount',
      String(MANY_TASK_COUNT + 1),
    );
    await expect(page.getByTestId('task-row-many-0000')).toBeVisible();
    expect(await rows.count()).toBeLessThan(100);
    // Rows are exactly as tall as the virtual list counts them (TASK_ROW_HEIGHT_PX, 44 px).
    const [first, second] = await Promise.all(
      ['many-0000', 'many-0001'].map((t) => page.getByTestId(`task-row-${t}`).boundingBox()),
    );
    expect(second!.y - first!.y).toBe(44);

    const scroll = page.getByTestId('tasks-scroll');
    await scroll.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = page.getByTestId('task-row-many-4999');
    await expect(last).toBeVisible();
    await expect(page.getByTestId('task-row-many-0000')).toHaveCount(0);
    expect(await rows.count()).toBeLessThan(100);
    // The last row ends where the scroll box does: the spacers add up to the rows they stand for.
    const gapPx = await scroll.evaluate((el) => {
      const row = el.querySelector('[data-testid="task-row-many-4999"]')!;
      return el.getBoundingClientRect().top + el.clientHeight - row.getBoundingClientRect().bottom;
    });
    expect(Math.abs(gapPx)).toBeLessThanOrEqual(1);
  } finally {
    await request.post(`/queues/${id}/cancel`, { headers: { Origin: baseURL! } });
  }
});

test.describe('on the Slurm testbed', () => {
  test.use({ viewport: { width: 1600, height: 1000 } });

  test('a queue runs its tasks, which appear on the Jobs page from the queue, with their logs', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const id = await runSource(page, 'e2e-slurm');
    for (const t of SLURM_TASKS) {
      await expect(status(page, t.id)).toHaveText('Completed', { timeout: 120_000 });
    }
    await expect(page.getByTestId('queue-status')).toHaveText('Completed');
    const first = SLURM_TASKS[0]!;
    await expect(page.getByTestId(`task-row-${first.id}`)).toContainText('debug');

    await page.goto(`/?q=${first.name}`);
    await page.getByTestId('user-filter-all').click();
    const row = page.getByTestId(`job-row-q:${id}:${first.id}`);
    await expect(row).toContainText(id);
    await expect(row.locator('.chip--queue')).toHaveAttribute(
      'title',
      `Submitted by ScriptHut queue ${id}`,
    );
    await row.click();
    const logs = page.getByTestId('job-logs');
    await expect(logs.getByTestId('log-view')).toContainText('hello from task 1');
    await expect(logs.getByTestId('log-state')).toHaveText('1 line (the whole file)');
  });
});
