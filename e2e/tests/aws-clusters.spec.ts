import { expect, test, type Page } from '@playwright/test';
import { submitBatchArray } from '../support/batch-array';

// The AWS clusters of the e2e server (support/aws-testbed.ts) beside the
// testbed Slurm: aws-batch (job queue e2e-queue) and aws-ecs (cluster
// e2e-jobs) on the AWS test server, plus aws-no-queue and aws-no-profile,
// each broken in one way.

const card = (page: Page, name: string) => page.getByTestId(`cluster-card-${name}`);

test('the clusters panel shows the Batch and ECS clusters beside the Slurm testbed, connected and healthy', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('cluster-kind-testbed')).toHaveText('Slurm');
  await expect(card(page, 'testbed')).toContainText('connected');
  for (const [name, kind, where] of [
    ['aws-batch', 'AWS Batch', 'AWS Batch job queue e2e-queue'],
    ['aws-ecs', 'Amazon ECS', 'ECS cluster e2e-jobs'],
  ] as const) {
    await expect(page.getByTestId(`cluster-kind-${name}`)).toHaveText(kind);
    await expect(card(page, name)).toContainText(where);
    await expect(page.getByTestId(`cluster-connection-${name}`)).toHaveText('connected');
    await expect(card(page, name)).toContainText('healthy');
    await expect(page.getByTestId(`cluster-error-${name}`)).toHaveCount(0);
  }
});

test('a Batch cluster whose job queue does not exist says so and how to fix it', async ({
  page,
}) => {
  await page.goto('/');
  const error = page.getByTestId('cluster-error-aws-no-queue');
  await expect(error).toContainText('job queue no-such-queue not found');
  await expect(error).toContainText('check aws.job_queue and aws.region');
  await expect(card(page, 'aws-no-queue')).toContainText('degraded');
});

test('an ECS cluster whose profile has no credentials says so and how to fix it', async ({
  page,
}) => {
  await page.goto('/');
  const error = page.getByTestId('cluster-error-aws-no-profile');
  await expect(error).toContainText('no AWS credentials found for profile e2e-unknown');
  await expect(error).toContainText('aws sso login --profile e2e-unknown');
  await expect(page.getByTestId('cluster-connection-aws-no-profile')).toHaveText('auth failed');
  await expect(card(page, 'aws-no-profile')).toContainText('degraded');
});

const status = (page: Page, taskId: string) => page.getByTestId(`task-status-${taskId}`);

/** From the queues page: the dry run of `source`, then its Run button; returns the queue id. */
async function dryRunThenRun(page: Page, source: string, expectInScript: string): Promise<string> {
  await page.goto('/queues');
  await page.getByTestId(`dry-run-source-${source}`).click();
  await expect(page.getByTestId('dry-run-script-ticker')).toContainText(expectInScript);
  await page.getByTestId('run-dry-run').click();
  await expect(page).toHaveURL(/\/queues\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
  await expect(page.getByTestId('queue-status')).toBeVisible();
  return new URL(page.url()).pathname.split('/').at(-1)!;
}

test('a Batch task source runs after its dry run; the ticker log is followed live and every job ends as it really did', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await dryRunThenRun(page, 'e2e-batch', '"jobQueue": "e2e-queue"');
  await page.getByRole('link', { name: 'Output log of task ticker' }).click();
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'true');
  const log = page.getByTestId('log-view');
  await expect(log).toContainText('batch tick 2', { timeout: 30_000 });
  await expect(page.getByTestId('log-location')).toContainText(
    'log group /aws/batch/job · stream ',
  );
  await expect(log).not.toContainText('batch tick 20');
  await expect(log).toContainText('batch tick 20', { timeout: 30_000 });
  await expect(page.getByTestId('log-state')).toContainText('Job finished — end of log', {
    timeout: 30_000,
  });
  await page.goBack();
  await expect(status(page, 'ticker')).toHaveText('Completed', { timeout: 30_000 });
  await expect(status(page, 'ok')).toHaveText('Completed', { timeout: 30_000 });
  await expect(status(page, 'fails')).toHaveText('Failed · exit 3', { timeout: 30_000 });
  await expect(status(page, 'oom')).toHaveText('Out of memory', { timeout: 30_000 });
  await expect(status(page, 'timeout')).toHaveText('Timed out', { timeout: 30_000 });
  await expect(page.getByTestId('queue-status')).toHaveText('Failed');
  await expect(page.getByRole('columnheader', { name: 'Job queue' })).toBeVisible();

  await page.getByRole('link', { name: /^Job .* of task oom$/ }).click();
  await expect(page.getByTestId('job-state')).toHaveText('Out of memory');
  await expect(page.getByTestId('fact-reason')).toContainText('OutOfMemoryError');
  await expect(page.getByTestId('fact-log-location')).toContainText(
    'log group /aws/batch/job · stream ',
  );
  await expect(page.getByText('Job queue', { exact: true })).toBeVisible();
});

test('an ECS task source runs after its dry run; the ticker log is followed live and every task ends as it really did', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await dryRunThenRun(page, 'e2e-ecs', '"cluster": "e2e-jobs"');
  await page.getByRole('link', { name: 'Output log of task ticker' }).click();
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'true');
  const log = page.getByTestId('log-view');
  await expect(log).toContainText('ecs tick 2', { timeout: 30_000 });
  await expect(page.getByTestId('log-location')).toContainText(
    'log group /ecs/e2e-worker · stream ecs/main/',
  );
  await expect(log).not.toContainText('ecs tick 20');
  await expect(log).toContainText('ecs tick 20', { timeout: 30_000 });
  await expect(page.getByTestId('log-state')).toContainText('Job finished — end of log', {
    timeout: 30_000,
  });
  await page.goBack();
  await expect(status(page, 'ticker')).toHaveText('Completed', { timeout: 30_000 });
  await expect(status(page, 'ok')).toHaveText('Completed', { timeout: 30_000 });
  await expect(status(page, 'fails')).toHaveText('Failed · exit 4', { timeout: 30_000 });
  await expect(status(page, 'oom')).toHaveText('Out of memory', { timeout: 30_000 });
  await expect(page.getByTestId('queue-status')).toHaveText('Failed');

  await page.getByRole('link', { name: /^Job .* of task fails$/ }).click();
  await expect(page.getByTestId('job-state')).toHaveText('Failed · exit 4');
  await expect(page.getByTestId('fact-exit-code')).toContainText('4');
  await expect(page.getByTestId('job-logs').getByTestId('log-location')).toHaveText(
    /^log group \/ecs\/e2e-worker · stream ecs\/main\/[0-9a-f]+$/,
  );
});

for (const [source, label] of [
  ['e2e-batch-hold', 'Batch'],
  ['e2e-ecs-hold', 'ECS'],
] as const) {
  test(`cancelling a running ${label} task ends it as cancelled`, async ({ page }) => {
    await page.goto('/queues');
    await page.getByTestId(`run-source-${source}`).click();
    await expect(page).toHaveURL(/\/queues\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
    await expect(status(page, 'hold')).toHaveText('Running', { timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel task hold' }).click();
    await page.getByTestId('confirm-cancel-task').click();
    await expect(page.getByTestId('cancel-task-outcome')).toBeVisible();
    await expect(status(page, 'hold')).toHaveText(/^Cancelled/, { timeout: 30_000 });
    await expect(page.getByTestId('queue-status')).toHaveText(/Cancelled|Failed/);
  });
}

test('a Batch array submitted elsewhere is one row that expands to its children, and cancelling the row stops them all', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const name = `e2e-batch-array-${Math.random().toString(36).slice(2, 8)}`;
  const parent = await submitBatchArray({ name, size: 3, command: 'sleep 120', owner: 'grace' });
  const arrayRow = page.getByTestId(`job-row-aws-batch:${parent}_*`);
  await page.goto(`/?q=${encodeURIComponent(name)}`);
  await page.getByTestId('user-filter-all').click();
  await expect(page.getByTestId(`array-counts-aws-batch:${parent}_*`)).toHaveText(
    '3 tasks · 3 running',
    { timeout: 30_000 },
  );
  await expect(page.locator('[data-testid^="job-row-"]')).toHaveCount(1);
  await expect(arrayRow).toContainText('grace');

  await arrayRow.focus();
  await page.keyboard.press('ArrowRight');
  await expect(arrayRow).toHaveAttribute('aria-expanded', 'true');
  for (const index of [0, 1, 2]) {
    await expect(page.getByTestId(`job-row-aws-batch:${parent}:${index}`)).toContainText(
      `task ${index}`,
    );
  }

  await arrayRow.click();
  await expect(page.getByTestId('job-detail')).toContainText(`Array ${parent} on aws-batch`);
  await page.getByTestId('cancel-job').click();
  await expect(page.getByRole('heading', { name: 'Cancel this array?' })).toBeVisible();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('job-state')).toContainText('Cancelled', { timeout: 60_000 });
  await expect(page.getByTestId('array-counts')).toContainText('3 tasks · 3 cancelled');
});
