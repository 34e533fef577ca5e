import { describe, expect, it } from 'vitest';
import { formatTime, renderTable, type Column } from './table';

interface Row {
  id: string;
  name: string;
  n: number;
}
const columns: Column<Row>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'NAME', value: (r) => r.name, shrink: true },
  { header: 'N', value: (r) => String(r.n), align: 'right' },
];
const rows: Row[] = [
  { id: 'hpc:1', name: 'train the big model on all the data', n: 3 },
  { id: 'hpc:22', name: 'eval', n: 120 },
];

describe('renderTable', () => {
  it('aligns columns under their headers, numbers to the right, without trailing spaces', () => {
    expect(renderTable(columns, rows)).toBe(
      ['ID      NAME                                   N', 'hpc:1   train the big model on all the data    3', 'hpc:22  eval                                 120', ''].join('\n'),
    );
  });

  it('cuts shrinkable columns with "…" to fit the terminal, and no further than their minimum', () => {
    const out = renderTable(columns, rows, 30);
    expect(out.split('\n').filter(Boolean).map((l) => l.length)).toEqual([30, 30, 30]);
    expect(out).toContain('hpc:1   train the big mo…    3');
    const narrow = renderTable(columns, rows, 10);
    expect(narrow).toContain('train t…');
  });

  it('shows control characters from names as "?", so a name cannot drive the terminal', () => {
    const out = renderTable(columns, [{ id: 'a', name: 'evil\u001b[2J\nname', n: 1 }]);
    expect(out).toContain('evil?[2J?name');
    expect(out).not.toContain('\u001b');
  });
});

describe('formatTime', () => {
  it('shows an ISO time in the given zone to the minute, and "-" for none', () => {
    expect(formatTime('2026-12-03T18:08:38Z', 'UTC')).toBe('2026-12-03 18:08');
    expect(formatTime('2026-12-03T18:08:38Z', 'Asia/Tokyo')).toBe('2026-12-04 03:08');
    expect(formatTime('2026-07-01T00:30:00Z', 'America/New_York')).toBe('2026-06-30 20:30');
    expect(formatTime(null)).toBe('-');
    expect(formatTime('garbage')).toBe('-');
  });
});
