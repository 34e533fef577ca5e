import type { SummaryRow } from './benchmark';

/** Prints rows as an aligned text table (first row = headers). */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join(' | ')
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

/** Measured | baseline | ratio/target, the shape every benchmark prints. */
export function printComparison(
  rows: readonly (readonly [string, string, string, string])[],
): void {
  printTable(['figure', 'measured', 'baseline (same run)', 'ratio / target'], rows);
}

/** Prints the comparison table and returns its rows as run-all's summary rows. */
export function reportComparison(
  rows: readonly (readonly [string, string, string, string])[],
): SummaryRow[] {
  printComparison(rows);
  return rows.map(([metric, measured, baseline, verdict]) => ({
    metric,
    measured,
    baseline,
    verdict,
  }));
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtMs = (ms: number): string =>
  ms >= 100 ? `${fmtInt(ms)} ms` : `${ms.toFixed(1)} ms`;
export const fmtPct = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;
export const metText = (met: boolean): string => (met ? 'met' : 'not met');

export function section(title: string): void {
  console.log(`\n== ${title} ==`);
}

export function note(text: string): void {
  console.log(`   ${text}`);
}
