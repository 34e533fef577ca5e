import { createRequire } from 'node:module';
import type * as PlaywrightTest from '@playwright/test';
import type { Page } from '@playwright/test';

type Playwright = typeof PlaywrightTest;

/**
 * Playwright as the e2e package installs it: the bench package does not
 * depend on it. Types come through tsconfig `paths`; at run time it is
 * required from e2e/ (a dynamic import of the CommonJS entry loses the named
 * exports). Loaded lazily, so the other benchmarks never need it.
 */
export function loadPlaywright(): Playwright {
  const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
  const playwright = require('@playwright/test') as Playwright;
  if (typeof playwright.chromium?.launch !== 'function')
    throw new Error('cannot load @playwright/test from e2e/node_modules');
  return playwright;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the page showed, and when (the browser's Date.now(), same machine clock as Node's). */
export interface Seen {
  t: number;
  testId: string;
  state: string | null;
  badge: string | null;
}

export type WatchFor =
  /** A job row that was not on the page when the watch was armed. */
  | { kind: 'new-row' }
  /** The row's state (data-state) or badge text differs from what it was when armed. */
  | { kind: 'row-change'; testId: string };

/**
 * Arms a MutationObserver in the page that records the first moment the
 * awaited change is in the DOM, so the figure does not include Playwright's
 * own polling. Sent as a string: the bench compiles without DOM types.
 */
export async function arm(page: Page, watch: WatchFor): Promise<void> {
  const script = `(() => {
    const watch = ${JSON.stringify(watch)};
    const rows = () => [...document.querySelectorAll('[data-testid^="job-row-"]')];
    const view = (row) => ({ state: row.getAttribute('data-state'), badge: row.querySelector('.badge')?.textContent ?? null });
    const known = new Set(rows().map((r) => r.getAttribute('data-testid')));
    const target = watch.kind === 'row-change' ? document.querySelector('[data-testid="' + watch.testId + '"]') : null;
    const before = target ? view(target) : null;
    window.__benchSeen = null;
    const check = () => {
      if (window.__benchSeen) return;
      for (const row of rows()) {
        const id = row.getAttribute('data-testid');
        const now = view(row);
        const hit = watch.kind === 'new-row'
          ? !known.has(id)
          : id === watch.testId && (before === null || now.state !== before.state || now.badge !== before.badge);
        if (hit) {
          window.__benchSeen = { t: Date.now(), testId: id, state: now.state, badge: now.badge };
          observer.disconnect();
          return;
        }
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    check();
    return true;
  })()`;
  await page.evaluate(script);
}

/**
 * Waits for the armed change; throws after `timeoutMs`. Polls from Node
 * (page.waitForFunction would eval a string, which the app's CSP forbids);
 * the poll period does not matter, the observer stamped the time.
 */
export async function seen(page: Page, timeoutMs: number): Promise<Seen> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value: unknown = await page.evaluate('window.__benchSeen');
    if (isSeen(value)) return value;
    if (value !== null) throw new Error(`unexpected observation: ${JSON.stringify(value)}`);
    if (Date.now() > deadline)
      throw new Error(`the page did not show the change within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isSeen(v: unknown): v is Seen {
  return (
    typeof v === 'object' &&
    v !== null &&
    't' in v &&
    typeof v.t === 'number' &&
    'testId' in v &&
    typeof v.testId === 'string'
  );
}

/** The state a row shows now (data-state), or null when the row is not on the page. */
export async function rowState(page: Page, testId: string): Promise<string | null> {
  const value: unknown = await page.evaluate(
    `document.querySelector('[data-testid="${testId}"]')?.getAttribute('data-state') ?? null`,
  );
  return typeof value === 'string' ? value : null;
}
