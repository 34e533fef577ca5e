import { describe, expect, it } from 'vitest';
import { slurmTimeToSeconds } from './job-query';
import { jobViewParams, parseJobView } from './job-view-params';

describe('slurmTimeToSeconds', () => {
  it.each([
    ['5:07', 307],
    ['1:00:00', 3600],
    ['2-03:00:00', 183600],
    ['UNLIMITED', Number.POSITIVE_INFINITY],
    ['n/a', null],
    [null, null],
  ])('reads %s as %s seconds', (text, seconds) => {
    expect(slurmTimeToSeconds(text)).toBe(seconds);
  });
});

describe('job view URL parameters', () => {
  it('round-trips filters and sort', () => {
    const view = {
      filters: { text: 'train', states: ['running', 'failed'] as const, cluster: 'gpu' },
      sort: { key: 'name', dir: 'asc' } as const,
    };
    const params = jobViewParams({ ...view.filters, states: [...view.filters.states] }, view.sort);
    expect(params.toString()).toBe('q=train&state=running%2Cfailed&cluster=gpu&sort=name%3Aasc');
    expect(parseJobView(params)).toEqual({
      filters: { ...view.filters, states: ['running', 'failed'] },
      sort: view.sort,
    });
  });

  it('ignores unknown states and sort keys', () => {
    const view = parseJobView(new URLSearchParams('state=running,bogus&sort=evil:up'));
    expect(view.filters.states).toEqual(['running']);
    expect(view.sort).toEqual({ key: 'submitTime', dir: 'desc' });
    expect(jobViewParams(view.filters, view.sort).toString()).toBe('state=running');
  });
});
