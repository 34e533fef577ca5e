import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../runtime/clock';
import type { SubmitSpec } from '../backend';
import { LocalBackend } from './local-backend';
import { LocalJobFiles } from './local-job-files';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'scripthut-local-'));
  const backend = new LocalBackend({ root: join(root, 'state'), homeDir: root, user: 'me', clock: systemClock });
  const spec = (command: string, extra: Partial<SubmitSpec> = {}): SubmitSpec => ({
    tag: `t-${Math.random().toString(36).slice(2)}`,
    name: 'job',
    command,
    workingDir: '~',
    partition: null,
    cpus: 1,
    memory: '1G',
    timeLimit: '1:00:00',
    account: null,
    stdoutPath: `${root}/logs/out-${Math.random().toString(36).slice(2)}.log`,
    stderrPath: `${root}/logs/err-${Math.random().toString(36).slice(2)}.log`,
    ...extra,
  });
  return { root, backend, spec };
}

async function submitted(backend: LocalBackend, s: SubmitSpec): Promise<string> {
  const r = await backend.submit(s);
  if (r.kind !== 'submitted') throw new Error(JSON.stringify(r));
  return r.schedulerJobId;
}

const settle = (backend: LocalBackend, id: string) =>
  vi.waitFor(
    async () => {
      const report = (await backend.finalReports([id])).get(id);
      if (!report) throw new Error('not finished yet');
      return report;
    },
    { timeout: 10_000, interval: 50 },
  );

describe('LocalBackend', () => {
  it('runs a command in the working directory and reports COMPLETED with its output', async () => {
    const { backend, spec, root } = setup();
    const s = spec('pwd; echo "hello $((6*7))"');
    const id = await submitted(backend, s);
    expect(await settle(backend, id)).toMatchObject({ outcome: 'COMPLETED', exitCode: 0 });
    expect(readFileSync(s.stdoutPath!, 'utf8')).toBe(`${root}\nhello 42\n`);
  });

  it('reports FAILED with the real exit code and keeps stderr', async () => {
    const { backend, spec } = setup();
    const s = spec('echo oops >&2; exit 3');
    const id = await submitted(backend, s);
    expect(await settle(backend, id)).toMatchObject({ outcome: 'FAILED', exitCode: 3, signal: null });
    expect(readFileSync(s.stderrPath!, 'utf8')).toBe('oops\n');
  });

  it('reports the signal that killed a job', async () => {
    const { backend, spec } = setup();
    const id = await submitted(backend, spec('kill -9 $$'));
    expect(await settle(backend, id)).toMatchObject({ outcome: 'FAILED', signal: 9 });
  });

  it('fails a pipeline whose first command fails (pipefail)', async () => {
    const { backend, spec } = setup();
    const id = await submitted(backend, spec('false | cat'));
    expect(await settle(backend, id)).toMatchObject({ outcome: 'FAILED', exitCode: 1 });
  });

  it('lists running jobs and cancels one, ending as CANCELLED', async () => {
    const { backend, spec } = setup();
    const id = await submitted(backend, spec('sleep 30'));
    await vi.waitFor(async () => expect((await backend.listJobs()).find((j) => j.schedulerJobId === id)?.state).toBe('running'));
    expect(await backend.cancel([id])).toEqual([{ schedulerJobId: id, ok: true, message: null }]);
    expect(await settle(backend, id)).toMatchObject({ outcome: 'CANCELLED', cancelledBy: 'me' });
    expect((await backend.listJobs()).map((j) => j.schedulerJobId)).not.toContain(id);
  });

  it('finds its running jobs again after a restart', async () => {
    const { backend, spec, root } = setup();
    const id = await submitted(backend, spec('sleep 1; echo done'));
    await vi.waitFor(async () => expect((await backend.listJobs()).map((j) => j.schedulerJobId)).toContain(id));
    const restarted = new LocalBackend({ root: join(root, 'state'), homeDir: root, user: 'me', clock: systemClock });
    expect((await restarted.listJobs()).map((j) => j.schedulerJobId)).toContain(id);
    expect(await settle(restarted, id)).toMatchObject({ outcome: 'COMPLETED' });
  });

  it('reports submit, start and finish in that order, and the elapsed time between start and finish', async () => {
    const { backend, spec } = setup();
    const id = await submitted(backend, spec('sleep 1.2'));
    const running = await vi.waitFor(async () => {
      const job = (await backend.listJobs()).find((j) => j.schedulerJobId === id);
      if (job?.state !== 'running') throw new Error('not running yet');
      return job;
    });
    expect(Date.parse(running.startTime!)).toBeGreaterThanOrEqual(Date.parse(running.submitTime!));
    expect(running.timeUsed).toMatch(/^0:0[01]$/);
    const report = await settle(backend, id);
    expect(report.submitTime).toBe(running.submitTime);
    expect(report.startTime).toBe(running.startTime);
    const [submit, start, finish] = [report.submitTime, report.startTime, report.finishTime].map((t) => Date.parse(t!));
    expect(start).toBeGreaterThanOrEqual(submit!);
    expect(finish! - start!).toBeGreaterThanOrEqual(1_200);
    expect(report.elapsed).toBe('0:01');
  });

  it('lists a job whose wrapper has not started yet as pending, with no start time', async () => {
    const { backend, spec, root } = setup();
    // What submit leaves before the wrapper has written anything: its spec only.
    new LocalJobFiles(join(root, 'state')).write('41', 'spec.json', JSON.stringify({ ...spec('true'), submitTime: new Date().toISOString() }));
    expect((await backend.listJobs()).find((j) => j.schedulerJobId === '41')).toMatchObject({ state: 'submitted', startTime: null, timeUsed: null });
  });

  it('says in words that a job whose output file cannot be opened could not start', async () => {
    const { backend, spec } = setup();
    // Nobody, root included, may create a file directly in /sys.
    const unwritable = `/sys/scripthut-test-${Math.random().toString(36).slice(2)}.log`;
    const id = await submitted(backend, spec('echo lost', { stdoutPath: unwritable }));
    const report = await settle(backend, id);
    expect(report).toMatchObject({ outcome: 'FAILED', exitCode: null, signal: null, startTime: null, elapsed: null });
    expect(report.reason).toBe(
      `Could not start: could not open its output or error file (${unwritable}: Permission denied). ` +
        "Check that the directory exists and that the job's user may write to it.",
    );
  });

  it('never reuses a job id', async () => {
    const { backend, spec } = setup();
    const a = await submitted(backend, spec('true'));
    const b = await submitted(backend, spec('true'));
    expect(Number(b)).toBe(Number(a) + 1);
  });
});
