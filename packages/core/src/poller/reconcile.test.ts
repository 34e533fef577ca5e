import { describe, expect, it } from 'vitest';
import type { ObservedJob } from '../backends/backend';
import { applySnapshot, finishingAfter } from './reconcile';

const t0 = new Date('2026-03-01T12:00:00.000Z');
const t1 = new Date('2026-03-01T12:00:05.000Z');

const observed = (id: string, o: Partial<ObservedJob> = {}): ObservedJob => ({
  schedulerJobId: id,
  name: `job-${id}`,
  user: 'alice',
  rawState: 'PENDING',
  state: 'submitted',
  reason: 'Priority',
  partition: 'debug',
  cpus: 2,
  memory: '1G',
  nodes: null,
  timeUsed: '0:00',
  timeLimit: '10:00',
  submitTime: '2026-03-01T11:59:00Z',
  startTime: null,
  workDir: '/home/alice',
  command: '/home/alice/run.sh',
  stdoutPath: '/home/alice/out',
  stderrPath: '/home/alice/err',
  ...o,
});

/** The stored jobs after a first poll saw `records`. */
const known = (records: readonly ObservedJob[]) => applySnapshot('hpc', [], records, t0).changed;

describe('applySnapshot', () => {
  it('changes nothing when the queue lists the same jobs again', () => {
    const records = [observed('1'), observed('2', { state: 'running', rawState: 'RUNNING', reason: null, nodes: 'n1' })];
    expect(applySnapshot('hpc', known(records), records, t1)).toEqual({ changed: [], removed: [] });
  });

  it.each<[string, Partial<ObservedJob>]>([
    ['name', { name: 'renamed' }],
    ['user', { user: 'bob' }],
    ['state', { state: 'running', rawState: 'RUNNING' }],
    ['raw state only', { rawState: 'CONFIGURING' }],
    ['reason', { reason: 'Resources' }],
    ['reason (now none)', { reason: null }],
    ['partition', { partition: 'long' }],
    ['cpus', { cpus: 4 }],
    ['memory', { memory: '2G' }],
    ['nodes', { nodes: 'n2' }],
    ['time used', { timeUsed: '0:05' }],
    ['time limit', { timeLimit: '20:00' }],
    ['work dir', { workDir: '/scratch' }],
    ['command', { command: '/home/alice/other.sh' }],
    ['stdout path', { stdoutPath: '/tmp/o' }],
    ['stderr path', { stderrPath: '/tmp/e' }],
    ['submit time', { submitTime: '2026-03-01T11:58:00Z' }],
    ['start time', { startTime: '2026-03-01T12:00:01Z' }],
  ])('writes the one job whose %s changed, with the new value and this poll’s time', (_, change) => {
    const stored = known([observed('1'), observed('2')]);
    const { changed } = applySnapshot('hpc', stored, [observed('1'), observed('2', change)], t1);
    expect(changed.map((j) => j.schedulerJobId)).toEqual(['2']);
    expect(changed[0]).toMatchObject({ updatedAt: t1.toISOString(), lastSeen: t1.toISOString() });
    const { rawState, ...rest } = change;
    expect(changed[0]).toMatchObject({ ...rest, ...(rawState === undefined ? {} : { schedulerState: rawState }) });
  });

  it('keeps what it knew when the queue leaves a field out, and writes nothing for that', () => {
    const stored = known([observed('1')]);
    const { changed } = applySnapshot('hpc', stored, [observed('1', { partition: null, cpus: null, command: null, name: '' })], t1);
    expect(changed).toEqual([]);
  });

  it('writes a stale job seen again, no longer stale', () => {
    const stored = known([observed('1')]).map((j) => ({ ...j, stale: true }));
    const { changed } = applySnapshot('hpc', stored, [observed('1')], t1);
    expect(changed).toMatchObject([{ schedulerJobId: '1', stale: false }]);
  });
});

describe('finishingAfter', () => {
  it('lists the finishing jobs as this poll changed them, known ones in their order first, then new ones', () => {
    const [a, b, c] = known([observed('1'), observed('2'), observed('3')]);
    const active = new Map([a!, b!, c!].map((j) => [j.id, j]));
    const changed = [
      { ...c!, state: 'finishing' as const },
      { ...a!, state: 'running' as const },
      { ...a!, state: 'finishing' as const },
      { ...known([observed('4')])[0]!, state: 'finishing' as const },
      { ...known([observed('5')])[0]!, state: 'finishing' as const, schedulerJobId: null },
    ];
    expect(finishingAfter(active, changed).map((j) => j.schedulerJobId)).toEqual(['1', '3', '4']);
    expect(finishingAfter(active, [])).toEqual([]);
  });
});
