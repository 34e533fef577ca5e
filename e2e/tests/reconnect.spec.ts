import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { onTestbed } from '../support/slurm';
import { TcpCutter } from '@scripthut/core/testing';

/** A job name no other test uses; the dashboard is opened filtered to it. */
const unique = (label: string): string => `e2e-${label}-${Math.random().toString(36).slice(2, 8)}`;

type JobStates = Record<string, string>;

/** What the server says, through the same tRPC query the page loads with (HTTP GET, no transformer). */
async function serverJobs(request: APIRequestContext, name: string): Promise<JobStates> {
  const input = encodeURIComponent(JSON.stringify({ text: name, limit: 1_000 }));
  const res = await request.get(`/trpc/jobs.list?input=${input}`);
  const body = (await res.json()) as {
    result: { data: { jobs: { id: string; state: string }[] } };
  };
  return Object.fromEntries(body.result.data.jobs.map((j) => [j.id, j.state]));
}

/** What the page shows: every job row (the viewport is tall enough that the virtualized table renders them all). */
async function pageJobs(page: Page): Promise<JobStates> {
  const rows = await page
    .locator('[data-testid^="job-row-"]')
    .evaluateAll((els): [string, string][] =>
      els.map((e) => [
        e.getAttribute('data-testid')!.slice('job-row-'.length),
        e.getAttribute('data-state') ?? '',
      ]),
    );
  return Object.fromEntries(rows);
}

/** `count` held jobs named `name` in one SSH round trip; returns their Slurm ids. */
function submitHeld(name: string, count: number): string[] {
  const out = onTestbed(
    'hutuser',
    `for i in $(seq 1 ${count}); do sbatch --parsable --hold -J ${name} --wrap true || exit 1; done`,
  );
  return out
    .split('\n')
    .map((l) => l.trim().split(';')[0]!)
    .filter(Boolean);
}

test('a browser cut off during a burst of job changes ends with exactly the server’s jobs and states', async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 2600 });
  const name = unique('burst');
  const indicator = page.getByTestId('connection-indicator');
  const ids: string[] = [];
  // The page talks to the server through a link this test can cut; the checks below do not.
  const link = await TcpCutter.start(new URL(baseURL!));
  try {
    await page.goto(`${link.url}/?q=${encodeURIComponent(name)}`);
    await expect(indicator).toHaveAttribute('data-state', 'live');
    ids.push(...submitHeld(name, 10));
    await expect
      .poll(async () => Object.keys(await pageJobs(page)).length, { timeout: 30_000 })
      .toBe(10);

    link.cut();
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting', { timeout: 30_000 });
    // The burst, while the page hears nothing: 20 more jobs, then 12 cancelled (8 old, 4 new).
    const fresh = submitHeld(name, 20);
    ids.push(...fresh);
    onTestbed('hutuser', `scancel ${[...ids.slice(0, 8), ...fresh.slice(0, 4)].join(' ')}`);
    const settled = (jobs: JobStates) =>
      Object.keys(jobs).length === 30 &&
      Object.values(jobs).filter((s) => s === 'failed').length === 12;
    await expect
      .poll(async () => settled(await serverJobs(request, name)), {
        timeout: 60_000,
        intervals: [1_000],
      })
      .toBe(true);
    expect(Object.keys(await pageJobs(page)).length).toBe(10);

    link.restore();
    await expect(indicator).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
    const server = await serverJobs(request, name);
    await expect.poll(() => pageJobs(page), { timeout: 30_000 }).toEqual(server);
    expect(await serverJobs(request, name)).toEqual(server);
  } finally {
    await link.close();
    if (ids.length > 0) onTestbed('hutuser', `scancel ${ids.join(' ')}`);
  }
});
