import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer, TestbedSetup } from '../src/index';
import { clientsFor } from './testing';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
let child: ChildProcess;
let url = '';
let dir = '';

beforeAll(async () => {
  execFileSync('pnpm', ['exec', 'tsup', '--silent'], { cwd: pkg, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'aws-testbed-cli-'));
  const setup: TestbedSetup = {
    computeEnvironments: [{ name: 'ce', maxVcpus: 4 }],
    jobQueues: [{ name: 'cli-q', computeEnvironments: ['ce'] }],
    clusters: [{ name: 'cli-c' }],
    taskDefinitions: [
      { family: 'cli-td', containerDefinitions: [{ name: 'x', image: 'busybox' }] },
    ],
  };
  writeFileSync(join(dir, 'setup.json'), JSON.stringify(setup));
  child = spawn(
    'node',
    [join(pkg, 'dist/cli.js'), '--port', '0', '--setup', join(dir, 'setup.json')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const firstLine = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  expect(firstLine).toMatch(/^aws-testbed listening on http:\/\/127\.0\.0\.1:\d+$/);
  url = firstLine.replace('aws-testbed listening on ', '');
}, 30_000);
afterAll(async () => {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('aws-testbed CLI', () => {
  it('serves the setup file and the HTTP control API as a separate process', async () => {
    const c = clientsFor({ url } as AwsTestServer);
    const queues = await c.batch.send(new DescribeJobQueuesCommand({}));
    expect(queues.jobQueues?.map((q) => q.jobQueueName)).toEqual(['cli-q']);
    const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'cli-td' }));
    expect(td.taskDefinition?.revision).toBe(1);
    const counts = await (await fetch(`${url}/_testbed/requestCounts`)).json();
    expect(counts).toEqual({
      result: { 'batch:DescribeJobQueues': 1, 'ecs:DescribeTaskDefinition': 1 },
    });
    const violations = await (await fetch(`${url}/_testbed/violations`)).json();
    expect(violations).toEqual({ result: [] });
  });
});
