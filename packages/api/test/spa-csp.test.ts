import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const web = resolve(import.meta.dirname, '../../../apps/web');
/** The source shell, and the built one when `pnpm build` has run. */
const pages = ['index.html', 'dist/index.html'].map((p) => resolve(web, p)).filter(existsSync);

/** The CSP has `script-src 'self'` without 'unsafe-inline': an inline script or handler would silently not run. */
describe('the SPA shell obeys the CSP', () => {
  it.each(pages)('%s loads every script from a file and has no inline handlers', (page) => {
    const html = readFileSync(page, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });
});
