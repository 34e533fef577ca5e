import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { stringify } from 'yaml';
import { AWS_TEST_KEYS, AWS_TIME_SCALE, awsClusters, emptyAwsFiles, writeAwsSetup } from './support/aws-testbed';
import { E2E_TASK_SOURCES } from './support/task-sources';
import { readTestbed } from './support/testbed';

// The journeys run against the real built server, configured for the project's
// Slurm testbed, a local cluster and the AWS test server, with a private history database.
const testbed = readTestbed();
const workDir = mkdtempSync(join(tmpdir(), 'scripthut-e2e-'));
mkdirSync(workDir, { recursive: true });
const awsPort = Number(process.env.SCRIPTHUT_E2E_AWS_PORT ?? 8766);
export const awsURL = `http://127.0.0.1:${awsPort}`;
const configPath = join(workDir, 'scripthut.yaml');
writeFileSync(
  configPath,
  stringify({
    clusters: [
      {
        name: 'testbed',
        type: 'slurm',
        ssh: {
          host: testbed.host,
          port: testbed.port,
          user: 'hutuser',
          key_path: testbed.keys.hutuser,
          known_hosts: testbed.knownHosts,
        },
      },
      { name: 'local', type: 'local', max_concurrent: 8, log_dir: join(workDir, 'local-logs') },
      // The dashboard's counting journey has a cluster of its own: other journeys run beside it.
      { name: 'local-cards', type: 'local', max_concurrent: 4, log_dir: join(workDir, 'local-cards-logs') },
      ...awsClusters(awsURL),
    ],
    task_sources: E2E_TASK_SOURCES,
    settings: { poll_interval: 5, data_dir: join(workDir, 'data') },
  }),
);
const port = Number(process.env.SCRIPTHUT_E2E_PORT ?? 8765);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  // Two spec files at a time share the one server: every journey names its own
  // jobs, queues and sources, so none depends on what another is doing.
  // Tests inside a file run in order.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: [
    {
      command: `node ${resolve(import.meta.dirname, '../packages/aws-testbed/dist/cli.js')} --port ${awsPort} --setup ${writeAwsSetup(workDir)} --time-scale ${AWS_TIME_SCALE}`,
      url: `${awsURL}/_testbed/violations`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `node ${resolve(import.meta.dirname, '../packages/api/dist/cli.js')} --config ${configPath} --port ${port}`,
      url: `${baseURL}/health`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: { ...AWS_TEST_KEYS, ...emptyAwsFiles(workDir) },
    },
  ],
});
