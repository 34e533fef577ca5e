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
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: true,
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
