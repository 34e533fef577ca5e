import { expect, test, type Page } from '@playwright/test';
import { onTestbed, sbatch } from '../support/slurm';
import { failQuery } from '../support/trpc-faults';

// Wide enough for every column of the Jobs table (the memory column is the last to show).
test.use({ viewport: { width: 1800, height: 1000 } });

const unique = (label: string): string => `e2e-${label}-${Math.random().toString(36).slice(2, 8)}`;
const row = (page: Page, id: string) => page.getByTestId(`job-row-${id}`);
const arrayRowId = (base: string): string => `testbed:${base}_*`;

/** Opens the Jobs page filtered to `text`, every user's jobs shown. */
async function openJobs(page: Page, text: string): Promise<void> {
  await page.goto(`/?q=${encodeURIComponent(text)}`);
  await page.getByTestId('user-filter-all').click();
}

/** Test ids of the job rows in the order the table shows them. */
const rowOrder = (page: Page): Promise<string[]> =>
  page.locator('[role="rowgroup"] [data-testid^="job-row-"]').evaluateAll((rows) =>
    rows
      .map((r) => ({
        id: r.getAttribute('data-testid') ?? '',
        at: Number(r.getAttribute('aria-rowindex')),
      }))
      .sort((a, b) => a.at - b.at)
      .map((r) => r.id),
  );

const leftovers: string[] = [];
test.afterEach(() => {
  if (leftovers.length > 0) onTestbed('hutuser', `scancel ${leftovers.splice(0).join(' ')}`);
});

test('an array is one row with its counts; it expands to its tasks, and a task or the whole array is cancelled', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const name = unique('array');
  const base = sbatch('hutuser', `-J ${name} --hold --array=1-6%4 --time=3`, 'sleep 120');
  leftovers.push(base);
  await openJobs(page, name);

  const array = row(page, arrayRowId(base));
  await expect(array).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId(`array-counts-${arrayRowId(base)}`)).toHaveText(
    '6 tasks · 6 queued',
  );
  await expect(page.locator('[data-testid^="job-row-"]')).toHaveCount(1);

  // The keyboard opens it: its pending tasks are one range, throttled to 4 at once.
  await array.focus();
  await page.keyboard.press('ArrowRight');
  await expect(array).toHaveAttribute('aria-expanded', 'true');
  await expect(row(page, `testbed:${base}_[1-6%4]`)).toContainText('tasks 1-6 (at most 4 at once)');

  onTestbed('hutuser', `scontrol release ${base}`);
  await expect(row(page, `testbed:${base}_1`)).toContainText('Running', { timeout: 90_000 });
  await expect(page.getByTestId(`array-counts-${arrayRowId(base)}`)).toContainText('running');
  await array.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(row(page, `testbed:${base}_1`)).toHaveCount(0);

  // One task, from the array's page.
  await array.click();
  await expect(page.getByTestId('job-detail')).toContainText(`Array ${base} on testbed`);
  await expect(page.getByTestId('array-counts')).toContainText('6 tasks');
  const first = page.getByTestId(`array-task-${base}_1`);
  await first.getByRole('checkbox').check();
  await page.getByTestId('cancel-selected-tasks').click();
  await expect(page.getByTestId(`cancel-outcome-${base}_1`)).toHaveText('cancel requested');
  await expect(first).toContainText('Cancelled', { timeout: 30_000 });

  // Then the whole array.
  await page.getByTestId('cancel-job').click();
  await expect(page.getByRole('heading', { name: 'Cancel this array?' })).toBeVisible();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('job-state')).toContainText('Cancelled', { timeout: 90_000 });
  await expect(page.getByTestId('array-counts')).toContainText('6 tasks · 6 cancelled');
});

test('an array whose task list fails to load says why, on the Jobs page and its own page, and Retry loads it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const name = unique('array-error');
  const base = sbatch('hutuser', `-J ${name} --hold --array=1-3 --time=3`, 'true');
  leftovers.push(base);
  // The server refuses the array's task list (and the client's own retry of it) until told not to.
  let refusing = true;
  await failQuery(page, {
    path: 'jobs.list',
    matches: (input) => input.includes('"arrayId"'),
    active: () => refusing,
    message: 'the history store is busy',
  });
  await openJobs(page, name);
  const array = row(page, arrayRowId(base));
  await expect(array).toBeVisible({ timeout: 20_000 });
  await array.focus();
  await page.keyboard.press('ArrowRight');
  const problem = page.getByTestId(`array-tasks-error-${arrayRowId(base)}`);
  await expect(problem).toHaveAttribute('role', 'alert');
  await expect(problem).toContainText(
    `Could not load the tasks of array ${base}: the history store is busy`,
  );
  refusing = false;
  await problem.getByRole('button', { name: 'Retry' }).click();
  await expect(row(page, `testbed:${base}_[1-3]`)).toContainText('tasks 1-3');
  await expect(problem).toHaveCount(0);

  // The array's own page, loaded afresh (the Jobs page's answer is not in its cache then).
  await array.click();
  await expect(page.getByTestId('job-detail')).toContainText(`Array ${base} on testbed`);
  refusing = true;
  await page.reload();
  const onPage = page.getByTestId('array-tasks').getByRole('alert');
  await expect(onPage).toContainText('the history store is busy');
  await expect(page.getByTestId('array-tasks')).not.toContainText('Loading tasks…');
  refusing = false;
  await onPage.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId(`array-task-${base}_[1-3]`)).toBeVisible();
});

test('finished jobs show the CPU and memory efficiency sacct gives, and sort by it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const name = unique('eff');
  // Busy for 8 s holding 150 MiB of touched memory; the other sleeps as long.
  const busy = sbatch(
    'hutuser',
    `-J ${name}-busy --time=2 --mem=300M`,
    'python3 -c "import time; b = b\\"x\\" * (150 << 20); t = time.time()\nwhile time.time() - t < 8: pass"',
  );
  const idle = sbatch('hutuser', `-J ${name}-idle --time=2 --mem=300M`, 'sleep 12');
  leftovers.push(busy, idle);
  await openJobs(page, name);

  // While it runs: elapsed against its 2-minute limit.
  const bar = row(page, `testbed:${idle}`).getByRole('progressbar', {
    name: 'Time used of the limit',
  });
  await expect(bar).toHaveAttribute('aria-valuemax', '120', { timeout: 30_000 });
  await expect(bar).toHaveAttribute('aria-valuenow', /^\d+$/);
  await expect(bar).toHaveAttribute('aria-valuetext', /of 2:00 \(\d+%\)$/);

  const cpu = (id: string) => page.getByTestId(`cpu-eff-testbed:${id}`);
  await expect(cpu(busy)).toHaveText(/^\d+%$/, { timeout: 90_000 });
  await expect(cpu(idle)).toHaveText(/^(<0\.1|\d+(\.\d)?)%$/, { timeout: 60_000 });
  await expect(row(page, `testbed:${idle}`).getByRole('progressbar')).toHaveCount(0);

  // The figure is sacct's: TotalCPU over CPUTimeRAW (elapsed × CPUs). Without -X: with it, sacct
  // does not add the steps' CPU time to the job's line.
  const line = onTestbed('hutuser', `sacct -P -n -j ${busy} -o JobID,TotalCPU,CPUTimeRAW`)
    .split('\n')
    .find((l) => l.startsWith(`${busy}|`));
  const [, totalCpu = '', cpuTime = ''] = (line ?? '').split('|');
  const [minutes = '0', seconds = '0'] = totalCpu.split(':');
  const expected = Math.round(((Number(minutes) * 60 + Number(seconds)) / Number(cpuTime)) * 100);
  await expect(cpu(busy)).toHaveText(`${expected}%`);
  await expect(page.getByTestId(`mem-eff-testbed:${busy}`)).toHaveText(/^1\d\dM \/ 300M$/);

  await page.getByTestId('sort-cpuEff').click();
  await expect(page).toHaveURL(/sort=cpuEff%3Aasc/);
  // The server sorts: the rows follow once its answer is in.
  await expect
    .poll(() => rowOrder(page))
    .toEqual([`job-row-testbed:${idle}`, `job-row-testbed:${busy}`]);
  await page.getByTestId('sort-cpuEff').click();
  await expect(page).toHaveURL(/sort=cpuEff%3Adesc/);
  await expect
    .poll(() => rowOrder(page))
    .toEqual([`job-row-testbed:${busy}`, `job-row-testbed:${idle}`]);

  await row(page, `testbed:${busy}`).click();
  await expect(page.getByTestId('fact-cpu-efficiency')).toContainText(`${expected}%`);
  await expect(page.getByTestId('fact-memory-used')).toContainText('of 300 MB asked');
});

test('the queue page sums up what its tasks used and suggests a smaller memory request', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/queues');
  await page.getByTestId('run-source-e2e-slurm-oversized').click();
  await expect(page).toHaveURL(/\/queues\/[A-Za-z0-9._-]+$/, { timeout: 30_000 });
  for (const task of ['big-1', 'big-2']) {
    await expect(page.getByTestId(`task-status-${task}`)).toHaveText('Completed', {
      timeout: 120_000,
    });
  }
  const memory = page.getByTestId('queue-efficiency-memory');
  await expect(memory).toContainText(
    /tasks used at most \d+(\.\d)? MB of 1 GB asked; 128M would do/,
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByTestId('queue-efficiency')).toContainText('2 finished tasks');
});
