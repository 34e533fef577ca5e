import { describe, expect, it } from 'vitest';
import { jobIdOf, loadCapture } from './load-capture';
import { parseSacct } from './parse-sacct';

describe('parseSacct', () => {
  it('reads the allocation row and its steps with UTC times', () => {
    const id = jobIdOf('steps-completed');
    const rows = parseSacct(loadCapture('sacct-steps-completed').stdout);
    expect(rows.map((r) => [r.jobId, r.allocationId, r.step])).toEqual([
      [id, id, null],
      [`${id}.batch`, id, 'batch'],
      [`${id}.0`, id, '0'],
      [`${id}.1`, id, '1'],
    ]);
    expect(rows[0]).toMatchObject({
      jobIdRaw: id,
      state: 'COMPLETED',
      exitCode: '0:0',
      derivedExitCode: '0:0',
      reason: null,
    });
    expect(rows[0]?.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rows[1]).toMatchObject({ derivedExitCode: '', reason: null, comment: null });
  });

  it('keeps the cancelling uid in the state and the raw id of array tasks', () => {
    const rows = parseSacct(loadCapture('sacct-array-one-fails').stdout);
    const base = jobIdOf('array-one-fails');
    expect(rows.find((r) => r.jobId === `${base}_2.batch`)).toMatchObject({
      allocationId: `${base}_2`,
      step: 'batch',
    });
    expect(rows.find((r) => r.jobId === `${base}_3`)?.jobIdRaw).toBe(base);
    expect(parseSacct(loadCapture('sacct-cancel-running').stdout)[0]?.state).toBe(
      'CANCELLED by 1001',
    );
  });

  it('turns Unknown end times of live jobs into null', () => {
    const running = parseSacct(loadCapture('sacct-live-jobs').stdout).filter(
      (r) => r.state === 'RUNNING',
    );
    expect(running.length).toBeGreaterThan(0);
    for (const row of running) expect(row.endTime).toBeNull();
  });

  it('reads an array range row of a job that never started', () => {
    const [row] = parseSacct(loadCapture('sacct-array-pending').stdout);
    expect(row).toMatchObject({
      jobId: `${jobIdOf('array-pending')}_[5-9]`,
      step: null,
      reason: 'JobHeldUser',
    });
  });

  it('reads the efficiency fields: TotalCPU and ReqMem on the allocation, MaxRSS on the steps', () => {
    const id = jobIdOf('cpu-burn');
    const [allocation, batch] = parseSacct(loadCapture('sacct-cpu-burn').stdout);
    // The job ran `--mem=400M` and held 200 MiB (plus Python) for 4 s of busy CPU.
    expect(allocation).toMatchObject({
      jobId: id,
      allocCpus: 1,
      reqMemBytes: 400 * 2 ** 20,
      maxRssBytes: null,
    });
    expect(batch).toMatchObject({ jobId: `${id}.batch`, allocCpus: 1, reqMemBytes: null });
    expect(batch?.maxRssBytes).toBeGreaterThan(200 * 2 ** 20);
    expect(batch?.maxRssBytes).toBeLessThan(400 * 2 ** 20);
    expect(allocation?.totalCpuSeconds).toBeGreaterThan(0);
    expect(allocation?.totalCpuSeconds).toBe(batch?.totalCpuSeconds);
  });

  it('reads a running array task and the pending rest of its throttled range', () => {
    const base = jobIdOf('array-cancel');
    const rows = parseSacct(loadCapture('sacct-array-running').stdout);
    expect(rows.filter((r) => r.step === null).map((r) => [r.jobId, r.state])).toEqual([
      [`${base}_1`, 'RUNNING'],
      [`${base}_2`, 'RUNNING'],
      [`${base}_[3-6%4]`, 'PENDING'],
    ]);
  });

  it('returns no rows when every id was unknown, and throws on foreign output', () => {
    expect(parseSacct('@0123456789abcdef@\n')).toEqual([]);
    expect(() => parseSacct('JobID|State\n1|COMPLETED\n')).toThrow(/unexpected sacct output/);
  });
});
