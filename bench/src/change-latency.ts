import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { Benchmark, SummaryRow } from './benchmark';
import { median, sleep } from './measure';
import { arm, CHROMIUM_ARGS, loadPlaywright, rowState, seen } from './page-watch';
import { fmtInt, metText, note, reportComparison } from './report';
import { startServer, type RunningServer } from './server';
import {
  cancelByName,
  connect,
  ensureRoom,
  HELD_JOB_OPTIONS,
  parsableIds,
  quietly,
  readTestbed,
  sh,
  uniqueJobName,
} from './testbed';
import type { SshConnection } from '../../packages/core/src/ssh';

const POLL_INTERVAL_S = 5;
const TARGET_MS = POLL_INTERVAL_S * 1000 + 100;
const APPEAR_TRIALS = 8;
const CANCEL_TRIALS = 4;
/** Wait for a job to start on the shared node before falling back to cancelling it while pending. */
const START_WAIT_MS = 45_000;

interface Trial {
  latencyMs: number;
  detail: string;
}

/** A random wait in [0, poll interval), so the trials sample every phase of the poll cycle. */
const jitter = (): Promise<void> => sleep(Math.random() * POLL_INTERVAL_S * 1000);

async function appearTrial(
  page: Page,
  runner: SshConnection,
  cluster: string,
  name: string,
): Promise<Trial> {
  await jitter();
  await arm(page, { kind: 'new-row' });
  const t0 = Date.now();
  const id = parsableIds(
    (await sh(runner, `sbatch ${HELD_JOB_OPTIONS} --job-name=${name} --wrap=true`)).stdout,
  )[0];
  const shown = await seen(page, 30_000);
  if (shown.testId !== `job-row-${cluster}:${String(id)}`)
    throw new Error(`expected the row of job ${String(id)}, the page showed ${shown.testId}`);
  return {
    latencyMs: shown.t - t0,
    detail: `job ${String(id)} row appeared as ${shown.badge ?? shown.state ?? '?'}`,
  };
}

async function cancelTrial(
  page: Page,
  runner: SshConnection,
  cluster: string,
  name: string,
): Promise<Trial> {
  const submit = `sbatch --parsable --output=/dev/null --time=5 --mem=10M --job-name=${name} --wrap='sleep 300'`;
  const id = parsableIds((await sh(runner, submit)).stdout)[0];
  const testId = `job-row-${cluster}:${String(id)}`;
  const deadline = Date.now() + START_WAIT_MS;
  let state = await rowState(page, testId);
  while (state !== 'running' && Date.now() < deadline) {
    await sleep(200);
    state = await rowState(page, testId);
  }
  if (state === null) throw new Error(`job ${String(id)} never appeared on the page`);
  await jitter();
  await arm(page, { kind: 'row-change', testId });
  const t0 = Date.now();
  await sh(runner, `scancel ${String(id)}`);
  const shown = await seen(page, 30_000);
  return {
    latencyMs: shown.t - t0,
    detail: `job ${String(id)}: ${state} -> ${shown.badge ?? shown.state ?? '?'}`,
  };
}

function row(label: string, trials: readonly Trial[]): [string, string, string, string] {
  const ms = trials.map((t) => t.latencyMs);
  const worst = Math.max(...ms);
  return [
    label,
    `median ${fmtInt(median(ms))} ms, max ${fmtInt(worst)} ms (${ms.map((m) => fmtInt(m)).join(', ')})`,
    `one poll (${fmtInt(POLL_INTERVAL_S * 1000)} ms) + 100 ms`,
    `max ≤ ${fmtInt(TARGET_MS)} ms: ${metText(worst <= TARGET_MS)}`,
  ];
}

async function run(): Promise<SummaryRow[]> {
  const webDist = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));
  if (!existsSync(`${webDist}/index.html`))
    throw new Error(`the web UI is not built (${webDist}); run pnpm build first`);
  const testbed = readTestbed();
  const runner = connect(testbed);
  const name = uniqueJobName('latency');
  let server: RunningServer | null = null;
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    await ensureRoom(runner, APPEAR_TRIALS + CANCEL_TRIALS);
    server = await startServer({ testbed, pollIntervalS: POLL_INTERVAL_S, webDist });
    const page = await browser.newPage();
    // Filtered by the unique job name: only this benchmark's rows render in the virtual list.
    await page.goto(`${server.url}/?q=${encodeURIComponent(name)}`);
    await page.waitForSelector('[data-testid="connection-indicator"][data-state="live"]', {
      timeout: 30_000,
    });
    await page.getByTestId('user-filter-all').click();
    note(
      `server ${server.url} (poll_interval ${POLL_INTERVAL_S} s), Chromium on /?q=${name}; jobs submitted/cancelled over a separate SSH connection.`,
    );
    note(
      'latency = first DOM mutation showing the change (MutationObserver, browser clock) - moment before sbatch/scancel was sent.',
    );

    const appear: Trial[] = [];
    for (let i = 0; i < APPEAR_TRIALS; i++)
      appear.push(await appearTrial(page, runner, testbed.cluster, name));
    const cancel: Trial[] = [];
    for (let i = 0; i < CANCEL_TRIALS; i++)
      cancel.push(await cancelTrial(page, runner, testbed.cluster, name));
    for (const t of [...appear, ...cancel]) note(`${fmtInt(t.latencyMs)} ms  ${t.detail}`);
    if (cancel.some((t) => !t.detail.includes('running ->'))) {
      note(
        `some jobs did not start within ${START_WAIT_MS / 1000} s on the shared node: those trials cancelled a pending job.`,
      );
    }

    const rows = [
      row(`sbatch -> row on the page (${APPEAR_TRIALS} jobs)`, appear),
      row(`scancel -> badge changes (${CANCEL_TRIALS} jobs)`, cancel),
    ];
    return reportComparison(rows);
  } catch (e) {
    if (server) for (const line of server.logs.slice(-20)) console.log(`   server log: ${line}`);
    throw e;
  } finally {
    await quietly('cancel jobs', () => cancelByName(runner, 'hutuser', name));
    await quietly('close browser', () => browser.close());
    await quietly('stop server', async () => server?.close());
    await runner.close();
  }
}

export const benchmark: Benchmark = {
  name: 'latency',
  title: 'Time from a state change in Slurm to the change on an open dashboard page (Chromium)',
  run,
};
