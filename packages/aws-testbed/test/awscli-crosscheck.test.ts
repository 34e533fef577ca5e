import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { startTestbed } from './testing';

const run = promisify(execFile);
let server: AwsTestServer;

beforeAll(async () => {
  server = await startTestbed();
});
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

/** awscli (botocore, Python): a second, independent client of the same wire contract. */
async function aws(...args: string[]): Promise<unknown> {
  const { stdout } = await run(
    'aws',
    ['--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json', ...args],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDCLI',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_MAX_ATTEMPTS: '1',
      },
    },
  );
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

describe('awscli against the testbed', () => {
  it('submits, describes and reads logs of a Batch job, and describes ECS and Logs resources', async () => {
    const submitted = (await aws(
      'batch',
      'submit-job',
      '--job-name',
      'cli',
      '--job-queue',
      'q',
      '--job-definition',
      'jd',
    )) as { jobId: string };
    expect(submitted.jobId).toMatch(/^[0-9a-f-]{36}$/);
    const described = (await aws('batch', 'describe-jobs', '--jobs', submitted.jobId)) as {
      jobs: { jobName: string }[];
    };
    expect(described.jobs[0]?.jobName).toBe('cli');
    const clusters = (await aws('ecs', 'describe-clusters', '--clusters', 'c', 'nope')) as {
      clusters: { clusterName: string }[];
      failures: { reason: string }[];
    };
    expect(clusters.clusters.map((x) => x.clusterName)).toEqual(['c']);
    expect(clusters.failures[0]?.reason).toBe('MISSING');
    const streams = (await aws('logs', 'describe-log-streams', '--log-group-name', '/ecs/td')) as {
      logStreams: unknown[];
    };
    expect(streams.logStreams).toEqual([]);
    const error = await aws(
      'logs',
      'get-log-events',
      '--log-group-name',
      '/ecs/td',
      '--log-stream-name',
      'x',
    ).catch((e: { stderr: string }) => e.stderr);
    expect(error).toMatch(/ResourceNotFoundException.*The specified log stream does not exist/);
  }, 30_000);
});
