import { describe, expect, it } from 'vitest';
import { jobIdOf, loadCapture } from '../backends/slurm/load-capture';
import { renderJobScript } from '../backends/slurm/render-job-script';
import { SlurmBackend } from '../backends/slurm/slurm-backend';
import { arrayRowId, newJob, type Job } from '../domain/job';
import { emptyArrayCounts } from '../domain/job-array';
import type { CommandResult, CommandRunner } from '../runtime/command-runner';
import { cancelJobs } from './cancel-jobs';

/** Answers every scancel with one captured reply, keeping the command lines asked. */
class CapturedScancel implements CommandRunner {
  commands: string[] = [];
  constructor(private readonly capture: string) {}
  run(command: string): Promise<CommandResult> {
    this.commands.push(command);
    return Promise.resolve(loadCapture(this.capture));
  }
}

const job = (schedulerJobId: string, overrides: Partial<Job> = {}): Job =>
  newJob({
    id: `tb:${schedulerJobId}`,
    cluster: 'tb',
    schedulerJobId,
    name: `job ${schedulerJobId}`,
    user: 'hutuser',
    state: 'running',
    source: 'external',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });

function harness(capture: string, jobs: readonly Job[]) {
  const runner = new CapturedScancel(capture);
  const backend = new SlurmBackend(runner, { renderScript: renderJobScript });
  let refreshes = 0;
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const cancel = (ids: string[]) =>
    cancelJobs(ids, {
      getJob: (id) => byId.get(id) ?? null,
      cluster: (name) =>
        name === 'tb' ? { backend, monitor: { requestRefresh: () => refreshes++ } } : undefined,
    });
  return { runner, cancel, refreshes: () => refreshes };
}

describe('cancelJobs', () => {
  const base = jobIdOf('array-cancel');

  it('cancels the whole array from its own row with scancel of the array id', async () => {
    const array = job(base, {
      id: arrayRowId('tb', base),
      arrayCounts: { ...emptyArrayCounts(), running: 2, submitted: 4 },
    });
    const { runner, cancel, refreshes } = harness('scancel-array-whole', [array]);
    expect(await cancel([array.id])).toEqual([
      { id: array.id, schedulerJobId: base, ok: true, message: null },
    ]);
    expect(runner.commands).toEqual([loadCapture('scancel-array-whole').command]);
    expect(refreshes()).toBe(1);
  });

  it('cancels single tasks, running or pending, in one scancel', async () => {
    const running = job(`${base}_1`);
    const pending = job(`${base}_5`, { state: 'submitted' });
    const { runner, cancel } = harness('scancel-array-tasks', [running, pending]);
    expect(await cancel([running.id, pending.id])).toEqual([
      { id: running.id, schedulerJobId: `${base}_1`, ok: true, message: null },
      { id: pending.id, schedulerJobId: `${base}_5`, ok: true, message: null },
    ]);
    expect(runner.commands).toEqual([loadCapture('scancel-array-tasks').command]);
  });

  it("gives each job its own answer: Slurm's refusal, an ended job, an unknown id", async () => {
    const mine = job(jobIdOf('pending-partition-time-limit'), { state: 'submitted' });
    const theirs = job(jobIdOf('other-user-held'), { state: 'submitted', user: 'hutuser2' });
    const ended = job('77', { state: 'completed' });
    const { cancel, runner } = harness('scancel-mixed', [mine, theirs, ended]);
    const outcomes = await cancel([mine.id, theirs.id, ended.id, 'tb:nope', mine.id]);
    expect(outcomes).toEqual([
      { id: mine.id, schedulerJobId: mine.schedulerJobId, ok: true, message: null },
      {
        id: theirs.id,
        schedulerJobId: theirs.schedulerJobId,
        ok: false,
        message: 'Access/permission denied',
      },
      {
        id: ended.id,
        schedulerJobId: '77',
        ok: false,
        message: expect.stringMatching(/not running or queued/) as string,
      },
      { id: 'tb:nope', schedulerJobId: null, ok: false, message: 'No job with id tb:nope' },
    ]);
    expect(runner.commands).toHaveLength(1);
    expect(runner.commands[0]).not.toContain(' 77');
  });
});

describe('cancelJobs for a named user', () => {
  it("refuses another user's jobs one by one, asks the scheduler for the rest over their owners' logins", async () => {
    const asked: Array<[string, string[]]> = [];
    const backendOf = (login: string) => ({
      cancel: (ids: readonly string[]) => {
        asked.push([login, [...ids]]);
        return Promise.resolve(ids.map((schedulerJobId) => ({ schedulerJobId, ok: true, message: null })));
      },
    });
    const backends = { alice: backendOf('alice'), shared: backendOf('shared') };
    const jobs = new Map([job('1', { user: 'alice' }), job('2', { user: 'bob' }), job('3', { user: 'svc' })].map((j) => [j.id, j]));
    const outcomes = await cancelJobs(['tb:1', 'tb:2', 'tb:3'], {
      getJob: (id) => jobs.get(id) ?? null,
      cluster: () => ({ backend: backends.shared, monitor: { requestRefresh: () => undefined } }),
      refusal: (j) => (j.user === 'bob' ? `not yours: ${j.user}` : null),
      backendFor: (j) => (j.user === 'alice' ? backends.alice : backends.shared),
    });
    expect(outcomes.map((o) => [o.id, o.ok, o.message])).toEqual([
      ['tb:1', true, null],
      ['tb:2', false, 'not yours: bob'],
      ['tb:3', true, null],
    ]);
    expect(asked).toEqual([
      ['alice', ['1']],
      ['shared', ['3']],
    ]);
  });
});
