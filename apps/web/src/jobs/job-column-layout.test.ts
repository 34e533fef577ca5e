import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMN_LAYOUT, DETAIL_LEVELS, gridTemplate, minWidthRem } from './job-column-layout';

describe('job column layout', () => {
  it('keeps the stylesheet breakpoints equal to the columns’ minimum widths', () => {
    const css = readFileSync(new URL('../styles/jobs.css', import.meta.url), 'utf8');
    const breakpoints = [...css.matchAll(/@container jobs \(max-width: ([\d.]+)rem\)/g)].map((m) =>
      Number(m[1]),
    );
    expect(breakpoints).toEqual([minWidthRem(4), minWidthRem(3), minWidthRem(2)]);
  });

  it('keeps the name and state on the narrowest table, small enough for a phone', () => {
    expect(COLUMN_LAYOUT.filter((c) => c.priority === 1).map((c) => c.key)).toEqual([
      'name',
      'state',
    ]);
    expect(minWidthRem(1) * 14).toBeLessThanOrEqual(340);
    expect(gridTemplate(1)).toBe('minmax(10rem, 2fr) 13rem');
  });

  it('shows more columns at each wider level and all of them at the widest', () => {
    const counts = DETAIL_LEVELS.map(
      (level) => COLUMN_LAYOUT.filter((c) => c.priority <= level).length,
    );
    counts.slice(1).forEach((count, i) => expect(count).toBeGreaterThan(counts[i]!));
    expect(counts.at(-1)).toBe(COLUMN_LAYOUT.length);
  });
});
