import { describe, expect, it } from 'vitest';
import { readNamedRecords, readRecords } from './record-separator';

const SEP = '@0123456789abcdef@';
const out = (...records: string[][]): string =>
  `${SEP}\n${records.map((fields) => `${fields.map((f) => f + SEP).join('')}\n`).join('')}`;

describe('readRecords', () => {
  it('splits records whose fields hold newlines, pipes and separator look-alikes', () => {
    const tricky = ['a\nb', 'x|y', '@0123@', 'ends with @', '@0123456789abcde'];
    expect(readRecords(out(tricky, ['1', '2', '3', '4', '5']), 5, 'test')).toEqual([
      tricky,
      ['1', '2', '3', '4', '5'],
    ]);
  });

  it('keeps empty fields', () => {
    expect(readRecords(out(['', '', '']), 3, 'test')).toEqual([['', '', '']]);
  });

  it('returns nothing when only the separator line was printed', () => {
    expect(readRecords(`${SEP}\n`, 3, 'test')).toEqual([]);
  });

  it.each([
    ['no output at all', ''],
    ['no separator line', 'JOBID|NAME\n1|x\n'],
    ['a separator line without newline', SEP],
    ['a record with too few fields', out(['1', '2'])],
    ['a record cut off', out(['1', '2', '3']).slice(0, -1)],
  ])('throws SCHEDULER_ERROR on %s', (_what, stdout) => {
    expect(() => readRecords(stdout, 3, 'test')).toThrow(/unexpected test output/);
  });
});

describe('readNamedRecords', () => {
  it('keys each record by field name', () => {
    expect(readNamedRecords(out(['7', 'RUNNING']), ['JobID', 'State'], 'test')).toEqual([
      { JobID: '7', State: 'RUNNING' },
    ]);
  });
});
