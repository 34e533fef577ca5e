import type { QueueSummary } from '@scripthut/core';
import { describe, expect, it } from 'vitest';
import { fakeJob } from '../../test/fake-core';
import { jobState, jobsView, queuesView } from './views';

describe('jobsView', () => {
  it('lists jobs with state, outcome and exit code, times in the given zone, and how many there are', () => {
    const failed = { ...fakeJob('7', { state: 'failed', outcome: 'OUT_OF_MEMORY', exitCode: 137 }), submitTime: '2026-12-03T18:00:00Z' };
    const out = jobsView({ jobs: [failed], total: 40 }, { timeZone: 'Europe/Paris' });
    const [header, row] = out.split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+STATE\s+EXIT\s+CLUSTER\s+USER\s+SUBMITTED$/);
    expect(row).toContain('failed (out of memory)');
    expect(row).toContain(' 137 ');
    expect(row).toMatch(/2026-12-03 19:00$/);
    expect(out).toContain('1 of 40 jobs, newest first; --limit for more');
  });

  it('marks a stale state and says what the mark means', () => {
    expect(jobState({ state: 'running', outcome: null, stale: true })).toBe('running ?');
    expect(jobsView({ jobs: [{ ...fakeJob('1'), stale: true }], total: 1 }, {})).toContain('? the cluster could not be polled lately');
  });

  it('says so when nothing matches', () => {
    expect(jobsView({ jobs: [], total: 0 }, {})).toBe('No jobs match (0 in total without a limit).\n');
  });
});

describe('queuesView', () => {
  const queue = (id: string, createdAt: string): QueueSummary =>
    ({ id, sourceName: 'examples', cluster: 'local', createdAt, status: 'running', taskCount: 6, attempt: 1, error: null, blockedReason: null, ending: null,
      counts: { pending: 0, submitting: 0, submitted: 0, running: 1, finishing: 0, completed: 4, failed: 1, unknown: 0, cancelled: 0, skipped: 0 } }) as QueueSummary;

  it('lists queues newest first with done/total and failures, fitting the terminal', () => {
    const out = queuesView([queue('old', '2026-12-01T00:00:00Z'), queue('new', '2026-12-03T00:00:00Z')], { width: 80, timeZone: 'UTC' });
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['ID', 'new', 'old']);
    expect(lines[1]).toMatch(/^new\s+examples\s+local\s+running\s+4\/6\s+1\s+1\s+2026-12-03 00:00$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  });
});
