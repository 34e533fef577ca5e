import { ListJobsCommand, SubmitJobCommand, TerminateJobCommand } from '@aws-sdk/client-batch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import {
  clientsFor,
  describeJob,
  pollUntil,
  startTestbed,
  waitForJob,
  type Clients,
} from './testing';

let server: AwsTestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestbed({ timeScale: 0.02 });
  c = clientsFor(server);
});
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

const childrenIn = (parent: string, jobStatus: 'RUNNING' | 'FAILED') =>
  c.batch.send(new ListJobsCommand({ arrayJobId: parent, jobStatus }));

describe('Batch array jobs', () => {
  it('lists children by arrayJobId and status, and TerminateJob on the parent stops them all', async () => {
    const submitted = await c.batch.send(
      new SubmitJobCommand({
        jobName: 'sweep',
        jobQueue: 'q',
        jobDefinition: 'jd',
        arrayProperties: { size: 3 },
        containerOverrides: { command: ['bash', '-c', 'sleep 60'] },
      }),
    );
    const parent = submitted.jobId!;
    const { last: running } = await pollUntil(
      () => childrenIn(parent, 'RUNNING'),
      (out) => out.jobSummaryList?.length === 3,
    );
    expect(running.jobSummaryList?.map((j) => [j.jobId, j.arrayProperties?.index])).toEqual([
      [`${parent}:0`, 0],
      [`${parent}:1`, 1],
      [`${parent}:2`, 2],
    ]);
    // The parent waits in PENDING while its children run, counting them by status.
    const described = await describeJob(c, parent);
    expect(described.status).toBe('PENDING');
    expect(described.arrayProperties).toMatchObject({ size: 3, statusSummary: { RUNNING: 3 } });
    expect((await describeJob(c, `${parent}:1`)).arrayProperties).toEqual({ index: 1 });

    await c.batch.send(new TerminateJobCommand({ jobId: parent, reason: 'stop the sweep' }));
    const { last } = await waitForJob(c, parent);
    expect(last.status).toBe('FAILED');
    expect(last.arrayProperties?.statusSummary).toMatchObject({ FAILED: 3, RUNNING: 0 });
    const failed = await childrenIn(parent, 'FAILED');
    expect(failed.jobSummaryList?.map((j) => j.jobId)).toEqual(
      [0, 1, 2].map((i) => `${parent}:${i}`),
    );
    for (const i of [0, 1, 2]) {
      const child = await describeJob(c, `${parent}:${i}`);
      expect(child).toMatchObject({
        status: 'FAILED',
        isTerminated: true,
        statusReason: 'stop the sweep',
      });
    }
  });
});
