import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSlowest, playwrightTimings, slowestTests, vitestTimings } from './test-timings.mjs';

// The fixtures have the shape of real reports; their paths start at /repo.
const fixtures = join(import.meta.dirname, '__fixtures__');
const readFixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const fixture = (name: string): unknown => JSON.parse(readFixture(name));
const repoRoot = join(import.meta.dirname, '..');

describe('vitestTimings', () => {
  it('gives every test that ran its name, file, duration and phase, and leaves skipped ones out', () => {
    const timings = vitestTimings(fixture('vitest.json'), '/repo');
    expect(timings).toHaveLength(8);
    expect(timings).toContainEqual({
      name: 'slurm backend cancel cancels a running job',
      file: 'packages/core/test/slurm-backend.int.test.ts',
      ms: 8300,
      phase: 'integration',
    });
    expect(timings).toContainEqual({
      name: 'formatDateTime shows the time in the given zone, not UTC',
      file: 'apps/web/src/format/time.test.ts',
      ms: 19.09,
      phase: 'unit',
    });
    expect(timings.map((t) => t.name)).not.toContain('parseSacct reads a requeued job');
  });

  it('keeps failed tests, which can be the slow ones', () => {
    const timings = vitestTimings(fixture('vitest.json'), '/repo');
    expect(timings.find((t) => t.name.endsWith('reads the exit code of a failed job'))?.ms).toBe(
      4100,
    );
  });

  it('places tests of the fault run in the faults phase', () => {
    const phases = vitestTimings(fixture('vitest-faults.json'), '/repo').map((t) => t.phase);
    expect(phases).toEqual(['faults', 'faults']);
  });
});

describe('playwrightTimings', () => {
  it('names a test by its describe titles and its own, with its file from the repository root', () => {
    const timings = playwrightTimings(fixture('playwright.json'), '/repo');
    expect(timings).toContainEqual({
      name: 'on the Slurm testbed a Slurm job shows its output',
      file: 'e2e/tests/jobs.spec.ts',
      ms: 16233,
      phase: 'e2e',
    });
  });

  it('counts every attempt of a test that was retried and leaves skipped tests out', () => {
    const timings = playwrightTimings(fixture('playwright.json'), '/repo');
    expect(timings.find((t) => t.name === 'cancelling a queue cancels its tasks')?.ms).toBe(5500);
    expect(timings.map((t) => t.name)).not.toContain('a job that needs AWS credentials');
    expect(timings).toHaveLength(4);
  });
});

describe('slowestTests', () => {
  it('returns the ten slowest of all runners, slowest first', () => {
    const all = [
      ...vitestTimings(fixture('vitest.json'), '/repo'),
      ...vitestTimings(fixture('vitest-faults.json'), '/repo'),
      ...playwrightTimings(fixture('playwright.json'), '/repo'),
    ];
    expect(all).toHaveLength(14);
    expect(slowestTests(all, 10).map((t) => t.ms)).toEqual([
      95000, 61234.5, 40000, 16233, 14000, 12500, 8300, 5500, 4100, 900,
    ]);
  });
});

describe('formatSlowest', () => {
  it('prints seconds, phase, file and name on one line per test', () => {
    const lines = formatSlowest([
      {
        name: 'reports TIMEOUT',
        file: 'packages/core/test/a.int.test.ts',
        ms: 61234.5,
        phase: 'integration',
      },
      { name: 'lists jobs', file: 'e2e/tests/jobs.spec.ts', ms: 900, phase: 'e2e' },
    ]);
    expect(lines).toEqual([
      '2 slowest tests:',
      '   61.2 s  integration  packages/core/test/a.int.test.ts > reports TIMEOUT',
      '    0.9 s  e2e          e2e/tests/jobs.spec.ts > lists jobs',
    ]);
  });

  it('prints nothing when no test ran', () => {
    expect(formatSlowest([])).toEqual([]);
  });
});

describe('count-tests.mjs', () => {
  it('prints the ten slowest tests just before the final count line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'count-tests-'));
    const copy = (name: string): string => {
      const path = join(dir, name);
      writeFileSync(path, readFixture(name).replaceAll('/repo/', `${repoRoot}/`));
      return path;
    };
    const run = spawnSync(
      process.execPath,
      [
        join(import.meta.dirname, 'count-tests.mjs'),
        `${copy('vitest.json')},${copy('vitest-faults.json')}`,
        copy('playwright.json'),
      ],
      { encoding: 'utf8' },
    );
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('tests: 12 passed, 2 failed');
    expect(run.status).toBe(1);
    const heading = lines.indexOf('10 slowest tests:');
    expect(heading).toBe(lines.length - 12);
    expect(lines[heading + 1]).toBe(
      '   95.0 s  faults       packages/core/test/slurmctld.fault.test.ts > slurmctld down marks the cluster degraded and recovers',
    );
    expect(lines[heading + 10]).toContain(
      'e2e/tests/jobs.spec.ts > a filter typed in the box narrows the table',
    );
  });
});
