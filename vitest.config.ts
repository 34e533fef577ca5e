import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure functions, fakes, API through a caller: no
// external services), `integration` (the real Slurm + sshd testbed, files in
// parallel) and `faults` (stops shared testbed daemons such as slurmctld, so
// it runs alone, one file at a time, after everything else: see ./test-all).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.tsx',
            'scripts/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.fault.test.ts', '**/node_modules/**'],
          testTimeout: 10_000,
          maxWorkers: 2,
          // Projects with different maxWorkers run one after the other: unit first.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          // These files mostly wait (on Slurm, sshd, the AWS test server, child servers), so
          // three run at once even on two cores; vitest's default would be one (CPUs − 1).
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'faults',
          include: ['packages/*/src/**/*.fault.test.ts', 'packages/*/test/**/*.fault.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
