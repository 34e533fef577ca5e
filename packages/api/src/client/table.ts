export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
  /** May be cut (with "…") to fit the terminal; other columns keep their width. */
  shrink?: boolean;
}

const GAP = '  ';
/** A shrinkable column is never cut below this (or its header, if longer). */
const MIN_SHRUNK = 8;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Control characters (escape sequences, newlines, tabs) in a name or reason
 * from a task source would move the cursor or recolour the terminal, and
 * bidirectional overrides make text read as something else: shown as "?".
 * Everything printed in a cell goes through here.
 */
export const printable = (s: string): string => s.replace(UNPRINTABLE, '?');

const cut = (s: string, width: number): string => {
  const chars = [...s];
  return chars.length <= width ? s : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
};
const len = (s: string): number => [...s].length;

/**
 * Aligned columns with a header row. With `maxWidth` (the terminal's
 * columns), shrinkable columns are cut, widest first, until the table fits
 * or they reach their minimum; without it (output to a file or pipe) nothing
 * is cut. Lines never end in spaces.
 */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[], maxWidth?: number): string {
  const cells = rows.map((row) => columns.map((c) => printable(c.value(row))));
  const widths = columns.map((c, i) => Math.max(len(c.header), ...cells.map((r) => len(r[i]!))));
  if (maxWidth !== undefined) {
    let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1) - maxWidth;
    while (excess > 0) {
      let widest = -1;
      columns.forEach((c, i) => {
        const floor = Math.max(MIN_SHRUNK, len(c.header));
        if (c.shrink && widths[i]! > floor && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      });
      if (widest < 0) break;
      widths[widest]!--;
      excess--;
    }
  }
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => {
        const text = cut(v, widths[i]!);
        const pad = ' '.repeat(widths[i]! - len(text));
        return columns[i]!.align === 'right' ? pad + text : text + pad;
      })
      .join(GAP)
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].map((l) => `${l}\n`).join('');
}

/**
 * An ISO time in the user's zone (or `timeZone`), to the minute:
 * `2026-12-03 18:08`. A missing time is "-".
 */
export function formatTime(iso: string | null, timeZone?: string): string {
  if (iso === null) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '-';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      ...(timeZone !== undefined ? { timeZone } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
