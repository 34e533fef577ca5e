import { newJob, type Job } from '@scripthut/core/domain';
import { describe, expect, it } from 'vitest';
import { filterJobs, NO_FILTERS, slurmTimeToSeconds, sortJobs } from './job-query';
import { jobViewParams, parseJobView } from './job-view-params';

const job = (id: string, overrides: Partial<Job> = {}): Job =>
  newJob({
    id: `hpc:${id}`,
    cluster: 'hpc',
    schedulerJobId: id,
    name: `job-${id}`,
    user: 'alice',
    state: 'running',
    source: 'external',
    partition: 'debug',
    cpus: 1,
    submitTime: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',

    ...overrides,
  });

const me = () => 'alice';
const ids = (jobs: Job[]) => jobs.map((j) => j.schedulerJobId);

describe('filterJobs', () => {
  const jobs = [
    job('1', { name: 'train-resnet', state: 'running' }),
    job('2', { user: 'bob', state: 'failed', outcome: 'OUT_OF_MEMORY' }),
    job('3', { cluster: 'gpu', state: 'completed' }),
  ];

  it('keeps only my jobs when the scope is "mine"', () => {
    expect(ids(filterJobs(jobs, NO_FILTERS, 'mine', me))).toEqual(['1', '3']);
    expect(ids(filterJobs(jobs, NO_FILTERS, 'all', me))).toEqual(['1', '2', '3']);
  });

  it('resolves "me" per cluster', () => {
    const perCluster = (c: string) => (c === 'gpu' ? 'carol' : 'alice');
    expect(ids(filterJobs(jobs, NO_FILTERS, 'mine', perCluster))).toEqual(['1']);
  });

  it('matches every search word against id, name, user and the state label', () => {
    expect(ids(filterJobs(jobs, { ...NO_FILTERS, text: 'RESNET train' }, 'all', me))).toEqual([
      '1',
    ]);
    expect(ids(filterJobs(jobs, { ...NO_FILTERS, text: 'out of memory' }, 'all', me))).toEqual([
      '2',
    ]);
    expect(ids(filterJobs(jobs, { ...NO_FILTERS, text: 'bob' }, 'all', me))).toEqual(['2']);
  });

  it('filters by several states and by cluster', () => {
    expect(
      ids(filterJobs(jobs, { ...NO_FILTERS, states: ['failed', 'completed'] }, 'all', me)),
    ).toEqual(['2', '3']);
    expect(ids(filterJobs(jobs, { ...NO_FILTERS, cluster: 'gpu' }, 'all', me))).toEqual(['3']);
  });
});

describe('sortJobs', () => {
  it('sorts job ids numerically, not as text', () => {
    const jobs = [job('10'), job('9'), job('100_2'), job('100_10')];
    expect(ids(sortJobs(jobs, { key: 'id', dir: 'asc' }))).toEqual(['9', '10', '100_2', '100_10']);
  });

  it('puts jobs without a value last in both directions', () => {
    const jobs = [
      job('1', { partition: null }),
      job('2', { partition: 'a' }),
      job('3', { partition: 'b' }),
    ];
    expect(ids(sortJobs(jobs, { key: 'partition', dir: 'asc' }))).toEqual(['2', '3', '1']);
    expect(ids(sortJobs(jobs, { key: 'partition', dir: 'desc' }))).toEqual(['3', '2', '1']);
  });

  it('sorts used time by duration', () => {
    const jobs = [
      job('1', { timeUsed: '1-00:00:00' }),
      job('2', { timeUsed: '59:00' }),
      job('3', { timeUsed: '2:00:00' }),
    ];
    expect(ids(sortJobs(jobs, { key: 'time', dir: 'desc' }))).toEqual(['1', '3', '2']);
  });

  it('sorts states in lifecycle order', () => {
    const jobs = [
      job('1', { state: 'failed' }),
      job('2', { state: 'submitted' }),
      job('3', { state: 'running' }),
    ];
    expect(ids(sortJobs(jobs, { key: 'state', dir: 'asc' }))).toEqual(['2', '3', '1']);
  });
});

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

describe('sorting by efficiency', () => {
  const efficiency = (cpu: number | null, memory: number | null) => ({
    cpuSeconds: null,
    elapsedSeconds: null,
    allocCpus: null,
    cpuEfficiency: cpu,
    maxRssBytes: null,
    requestedMemoryBytes: null,
    memoryEfficiency: memory,
  });
  const jobs = [
    job('1', { state: 'completed', efficiency: efficiency(0.9, 0.1) }),
    job('2', { state: 'running' }),
    job('3', { state: 'completed', efficiency: efficiency(0.05, 0.8) }),
    job('4', { state: 'completed', efficiency: efficiency(0.4, null) }),
  ];

  it('sorts by CPU efficiency either way, jobs without figures last', () => {
    expect(ids(sortJobs(jobs, { key: 'cpuEff', dir: 'asc' }))).toEqual(['3', '4', '1', '2']);
    expect(ids(sortJobs(jobs, { key: 'cpuEff', dir: 'desc' }))).toEqual(['1', '4', '3', '2']);
  });

  it('sorts by memory used of memory asked', () => {
    expect(ids(sortJobs(jobs, { key: 'memEff', dir: 'desc' }))).toEqual(['3', '1', '2', '4']);
  });
});
