import { describe, expect, it } from 'vitest';
import { jobIdOf, loadCapture } from './load-capture';
import { parseSacct } from './parse-sacct';
import { resolveFinalReports } from './resolve-final-reports';

const efficiencyOf = (capture: string, id: string) =>
  resolveFinalReports(parseSacct(loadCapture(capture).stdout)).get(id)?.efficiency;

const MiB = 2 ** 20;

describe('efficiency of finished jobs from sacct', () => {
  it('gives CPU time over elapsed × CPUs, and the memory held against the memory asked', () => {
    const rows = parseSacct(loadCapture('sacct-cpu-burn').stdout);
    const efficiency = efficiencyOf('sacct-cpu-burn', jobIdOf('cpu-burn'));
    const cpuSeconds = rows[0]?.totalCpuSeconds ?? Number.NaN;
    expect(efficiency).toMatchObject({ cpuSeconds, allocCpus: 1, requestedMemoryBytes: 400 * MiB });
    // It busied one CPU for 4 s (the machine is shared, so it got less than all of it).
    expect(efficiency?.elapsedSeconds).toBeGreaterThanOrEqual(4);
    expect(efficiency?.cpuEfficiency).toBeCloseTo(
      cpuSeconds / (efficiency?.elapsedSeconds ?? 0),
      10,
    );
    expect(efficiency?.cpuEfficiency).toBeGreaterThan(0.2);
    expect(efficiency?.cpuEfficiency).toBeLessThanOrEqual(1.05);
    expect(efficiency?.maxRssBytes).toBeGreaterThan(200 * MiB);
    expect(efficiency?.memoryEfficiency).toBeCloseTo(
      (efficiency?.maxRssBytes ?? 0) / (400 * MiB),
      10,
    );
  });

  it('takes the largest MaxRSS of all steps, and the CPU time of the allocation row', () => {
    const id = jobIdOf('steps-completed');
    const rows = parseSacct(loadCapture('sacct-steps-completed').stdout);
    const steps = rows.filter((r) => r.step !== null);
    expect(steps.length).toBe(3);
    const efficiency = efficiencyOf('sacct-steps-completed', id);
    expect(efficiency?.maxRssBytes).toBe(Math.max(...steps.map((s) => s.maxRssBytes ?? 0)));
    expect(efficiency?.cpuSeconds).toBe(rows[0]?.totalCpuSeconds);
  });

  it('gives no CPU efficiency for a job that ran 0 s, but still its memory', () => {
    const efficiency = efficiencyOf('sacct-completed', jobIdOf('completed'));
    expect(efficiency).toMatchObject({ elapsedSeconds: 0, cpuEfficiency: null });
    expect(efficiency?.memoryEfficiency).toBeGreaterThan(0);
  });

  it.each([
    ['held-cancelled', 'sacct-held-cancelled', ''],
    ['array-pending', 'sacct-array-pending', '_[5-9]'],
  ])('has none for %s, which never ran', (scenario, capture, suffix) => {
    expect(efficiencyOf(capture, `${jobIdOf(scenario)}${suffix}`)).toBeNull();
  });

  it('gives every task of an array its own figures', () => {
    const base = jobIdOf('array-throttled');
    const reports = resolveFinalReports(parseSacct(loadCapture('sacct-array-throttled').stdout));
    expect(reports.size).toBe(8);
    for (let task = 1; task <= 8; task++) {
      expect(reports.get(`${base}_${task}`)?.efficiency).toMatchObject({
        allocCpus: 1,
        requestedMemoryBytes: 100 * MiB,
        elapsedSeconds: expect.any(Number) as number,
      });
    }
  });
});
