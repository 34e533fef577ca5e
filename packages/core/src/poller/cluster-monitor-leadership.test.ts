import { describe, expect, it } from 'vitest';
import { FakeClock } from '../runtime/fake-clock';
import { ClusterMonitor, type MonitorEvent } from './cluster-monitor';
import type { SharedClusterStatus, SharedStatus } from './shared-status';
import { MemoryJobRepository, ScriptedBackend, observed, report } from './testing';

/** Two instances' monitors of one cluster over one shared repository and status record. */
function setup() {
  const clock = new FakeClock();
  const repo = new MemoryJobRepository();
  const records = new Map<string, SharedStatus>();
  const shared: SharedClusterStatus = {
    save: (s) => {
      records.set(s.name, s);
      return Promise.resolve();
    },
    load: (name) => Promise.resolve(records.get(name) ?? null),
  };
  let leader = 'a';
  const instance = (name: string) => {
    const backend = new ScriptedBackend();
    const events: MonitorEvent[] = [];
    const monitor = new ClusterMonitor({
      name: 'hpc',
      kind: 'slurm',
      host: 'alice@login:22',
      user: 'alice',
      backend,
      repo,
      clock,
      publish: (e) => events.push(e),
      pollIntervalMs: 60_000,
      claim: () => Promise.resolve(leader === name),
      shared,
      instance: name,
    });
    return { backend, events, monitor };
  };
  return {
    clock,
    repo,
    records,
    a: instance('a'),
    b: instance('b'),
    handTo: (name: string) => {
      leader = name;
    },
  };
}

describe('ClusterMonitor with leadership', () => {
  it('runs no scheduler command while another instance leads, and shows the jobs and poll that instance recorded', async () => {
    const { a, b, records } = setup();
    a.backend.queue = [observed('1'), observed('2')];
    await a.monitor.tick();
    await b.monitor.tick();

    expect(a.backend.listCalls).toBe(1);
    expect(b.backend.listCalls).toBe(0);
    expect(b.backend.reportCalls).toEqual([]);
    expect(records.get('hpc')).toMatchObject({ leader: 'a', healthy: true });
    expect(b.monitor.leads).toBe(false);
    expect(b.monitor.status()).toMatchObject({
      healthy: true,
      jobCount: 2,
      leader: 'a',
      lastPollAt: a.monitor.status().lastPollAt,
    });
    expect(b.events.filter((e) => e.type === 'jobs')).toEqual([]);
  });

  it('takes over from the store: the new leader settles a job the old one left finishing, with accounting', async () => {
    const { a, b, repo, handTo } = setup();
    a.backend.queue = [observed('7')];
    await a.monitor.tick();
    a.backend.queue = [];
    await a.monitor.tick();
    expect(repo.jobs.get('hpc:7')?.state).toBe('finishing');
    await b.monitor.tick();

    handTo('b');
    b.backend.accounting.set('7', report('7'));
    await b.monitor.tick();
    await a.monitor.tick();

    expect(b.backend.listCalls).toBe(1);
    expect(b.backend.reportCalls).toEqual([['7']]);
    expect(repo.jobs.get('hpc:7')).toMatchObject({ state: 'completed', outcome: 'COMPLETED' });
    expect(a.backend.listCalls).toBe(2);
    expect(a.monitor.status().jobCount).toBe(0);
  });
});
