import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from '@playwright/test';
import type { Job } from '@scripthut/core';
import { HistoryStore } from '../../packages/core/src/history';
import type { Benchmark, SummaryRow } from './benchmark';
import { CHROMIUM_ARGS, loadPlaywright } from './page-watch';
import { fmtInt, fmtMs, metText, note, reportComparison } from './report';
import { changeJobs, seedJobs, startInProcessServer, type InProcessServer } from './synthetic-jobs';

const JOBS = 10_000;
/** The baseline: the same page and server with a small history. */
const BASELINE_JOBS = 100;
const TRIALS = 5;
const FILTERS = ['run-4242', 'sweep-13-', 'bob', 'run-99', 'sweep-7-run-70'];
const CHANGED_PER_POLL = 100;
const MEMORY_MINUTES = Number(process.env.BENCH_PAGE_MINUTES ?? 2);
const MEMORY_SAMPLE_S = 30;
const WEB_DIST = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

interface Site {
  server: InProcessServer;
  store: HistoryStore;
  jobs: Job[];
  dir: string;
}

async function site(count: number): Promise<Site> {
  const dir = mkdtempSync(join(tmpdir(), 'scripthut-bench-page-'));
  const store = await HistoryStore.open(join(dir, 'scripthut.db'));
  const jobs = await seedJobs(store, count);
  return { server: await startInProcessServer(dir, WEB_DIST), store, jobs, dir };
}

async function closeSite(s: Site | null): Promise<void> {
  if (!s) return;
  await s.server.close();
  await s.store.close();
  rmSync(s.dir, { recursive: true, force: true });
}

/**
 * Stamps, with the page's own clock (performance.now(), 0 = navigation start),
 * the first moment the jobs page shows its count ("N of T jobs") and a row.
 * Installed before any page script runs; strings because the bench compiles
 * without DOM types.
 */
const PAINT_PROBE = `(() => {
  const check = () => {
    if (window.__paintedAt) return;
    const count = document.querySelector('[data-testid="job-count"]')?.textContent ?? '';
    if (/ of [0-9,]+ jobs/.test(count) && document.querySelector('[data-testid^="job-row-"]')) {
      window.__paintedAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  document.addEventListener('DOMContentLoaded', () => {
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    check();
  });
})()`;

async function pollPage<T>(page: Page, expression: string, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = (await page.evaluate(expression)) as T | null | undefined;
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the page did not show ${what} within 30 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Navigation start → count and first row painted, over `TRIALS` fresh pages after one cold load. */
async function paintTimes(
  browser: Browser,
  url: string,
): Promise<{ cold: number; warm: number[] }> {
  const context = await browser.newContext();
  await context.addInitScript(PAINT_PROBE);
  const times: number[] = [];
  for (let i = 0; i <= TRIALS; i++) {
    const page = await context.newPage();
    await page.goto(`${url}/`);
    times.push(await pollPage<number>(page, 'window.__paintedAt', 'the first rows'));
    await page.close();
  }
  await context.close();
  return { cold: times[0]!, warm: times.slice(1) };
}

/**
 * From the event a user causes (an input in the search box, a click on a sort
 * header) to the first DOM change of the count or the first row, in the page's clock.
 */
async function reaction(
  page: Page,
  act: () => Promise<void>,
  watch: 'count' | 'first-row',
): Promise<number> {
  await page.evaluate(`(() => {
    const target = () => ${
      watch === 'count'
        ? `document.querySelector('[data-testid="job-count"]')?.textContent`
        : `document.querySelector('[data-testid^="job-row-"]')?.getAttribute('data-testid')`
    };
    const before = target();
    window.__reaction = null;
    window.__actedAt = null;
    const stamp = () => { window.__actedAt ??= performance.now(); };
    document.addEventListener('input', stamp, { capture: true, once: true });
    document.addEventListener('click', stamp, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (window.__actedAt !== null && target() !== before) {
        window.__reaction = performance.now() - window.__actedAt;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
  await act();
  return pollPage<number>(page, 'window.__reaction', 'the result');
}

async function filterTimes(page: Page): Promise<number[]> {
  const box = page.getByTestId('jobs-search');
  const out: number[] = [];
  for (const q of FILTERS) {
    out.push(await reaction(page, () => box.fill(q), 'count'));
    await reaction(page, () => box.fill(''), 'count');
  }
  return out;
}

async function sortTimes(page: Page): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    for (const key of ['name', 'submitTime'])
      out.push(await reaction(page, () => page.getByTestId(`sort-${key}`).click(), 'first-row'));
  }
  return out;
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
}

/** Main-thread task time (CDP TaskDuration) in the second after each of `TRIALS` polls changing 100 jobs, and in idle seconds. */
async function updateWork(page: Page, s: Site): Promise<{ update: number[]; idle: number[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const window = async (act?: () => unknown): Promise<number> => {
    const before = await taskSeconds(cdp);
    await act?.();
    await new Promise((r) => setTimeout(r, 1_000));
    return ((await taskSeconds(cdp)) - before) * 1_000;
  };
  const update: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    idle.push(await window());
    update.push(
      await window(() => changeJobs(s.store, s.server.core, s.jobs, CHANGED_PER_POLL).stop()),
    );
  }
  await cdp.detach();
  return { update, idle };
}

/** JS heap after a forced GC, every MEMORY_SAMPLE_S while 25-job polls arrive 5 times a second. */
async function heapOverTime(page: Page, s: Site): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page);
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const samples = [await heap()];
  const changes = changeJobs(s.store, s.server.core, s.jobs, 25, 200);
  try {
    const end = Date.now() + MEMORY_MINUTES * 60_000;
    while (Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(MEMORY_SAMPLE_S * 1_000, end - Date.now())));
      samples.push(await heap());
    }
  } finally {
    await changes.stop();
    await cdp.detach();
  }
  return samples;
}

interface PageFigures {
  paint: { cold: number; warm: number[] };
  filter: number[];
  sort: number[];
  work: { update: number[]; idle: number[] };
}

async function measure(browser: Browser, s: Site): Promise<PageFigures> {
  const paint = await paintTimes(browser, s.server.url);
  const page = await browser.newPage();
  await page.goto(`${s.server.url}/`);
  await pollPage(page, `document.querySelector('[data-testid^="job-row-"]') ? true : null`, 'rows');
  note(
    `${s.jobs.length} jobs: the page says "${String(await page.evaluate(`document.querySelector('[data-testid="job-count"]')?.textContent`))}"`,
  );
  const filter = await filterTimes(page);
  const sort = await sortTimes(page);
  const work = await updateWork(page, s);
  await page.close();
  return { paint, filter, sort, work };
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const worst = (v: readonly number[]): number => Math.max(...v);
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** Least-squares slope of heap samples taken every MEMORY_SAMPLE_S, in MB per minute. */
function slopeMbPerMin(samples: readonly number[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const xs = samples.map((_, i) => (i * MEMORY_SAMPLE_S) / 60);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = samples.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  samples.forEach((y, i) => {
    num += (xs[i]! - mx) * (y - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den / 1_048_576;
}

async function run(): Promise<SummaryRow[]> {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`no built web UI at ${WEB_DIST}: run \`pnpm build\` first`);
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  let small: Site | null = null;
  let big: Site | null = null;
  try {
    small = await site(BASELINE_JOBS);
    const base = await measure(browser, small);
    await closeSite(small);
    small = null;
    big = await site(JOBS);
    note(
      `${fmtInt(JOBS)} jobs (baseline: ${BASELINE_JOBS}) in a real HistoryStore, served by the real server in this process; headless Chromium`,
    );
    const full = await measure(browser, big);
    const page = await browser.newPage();
    await page.goto(`${big.server.url}/`);
    await pollPage(
      page,
      `document.querySelector('[data-testid^="job-row-"]') ? true : null`,
      'rows',
    );
    note(
      `memory: ${MEMORY_MINUTES} min of 5 polls/s × 25 jobs (BENCH_PAGE_MINUTES sets the minutes, e.g. 30)`,
    );
    const heap = await heapOverTime(page, big);
    await page.close();

    const first = heap[0]!;
    const last = heap.at(-1)!;
    const flat = last <= first * 1.1 + 2 * 1_048_576;
    const pair = (v: readonly number[]): string =>
      `median ${fmtMs(median(v))}, worst ${fmtMs(worst(v))}`;
    const updateNet = full.work.update.map((u, i) => u - (full.work.idle[i] ?? 0));
    const rows: [string, string, string, string][] = [
      [
        'first rows painted after navigation (warm)',
        pair(full.paint.warm),
        `${pair(base.paint.warm)} with ${BASELINE_JOBS} jobs`,
        `×${(median(full.paint.warm) / median(base.paint.warm)).toFixed(1)}; target < 1 s: ${metText(worst(full.paint.warm) < 1_000)}`,
      ],
      [
        'first rows painted, cold cache',
        fmtMs(full.paint.cold),
        fmtMs(base.paint.cold),
        `target < 1 s: ${metText(full.paint.cold < 1_000)}`,
      ],
      [
        `search box input → count shown (${FILTERS.length} queries)`,
        pair(full.filter),
        pair(base.filter),
        `target < 100 ms: ${metText(worst(full.filter) < 100)}`,
      ],
      [
        `sort header click → first row changed (${full.sort.length} clicks)`,
        pair(full.sort),
        pair(base.sort),
        `target < 100 ms: ${metText(worst(full.sort) < 100)}`,
      ],
      [
        `main-thread work in the 1 s after a poll changing ${CHANGED_PER_POLL} jobs`,
        `${pair(full.work.update)} (net of idle: ${pair(updateNet)})`,
        `idle second ${pair(full.work.idle)}; ${BASELINE_JOBS} jobs: ${pair(base.work.update)}`,
        `target < 50 ms: ${metText(worst(updateNet) < 50)}`,
      ],
      [
        `JS heap after GC over ${MEMORY_MINUTES} min of updates`,
        `${mb(first)} → ${mb(last)} (max ${mb(Math.max(...heap))}, ${heap.length} samples)`,
        `${mb(first)} at start; slope ${slopeMbPerMin(heap).toFixed(2)} MB/min`,
        `flat (≤ +10 % + 2 MB): ${metText(flat)}`,
      ],
    ];
    return reportComparison(rows);
  } finally {
    await browser.close();
    await closeSite(small);
    await closeSite(big);
  }
}

export const benchmark: Benchmark = {
  name: 'page',
  title: `the Jobs page in Chromium with ${fmtInt(JOBS)} live jobs: first paint, search, sort, updates, memory`,
  run,
};
