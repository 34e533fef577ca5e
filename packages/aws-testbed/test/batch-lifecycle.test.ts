import { SubmitJobCommand } from '@aws-sdk/client-batch';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { clientsFor, startTestbed, waitForJob, type Clients } from './testing';

let server: AwsTestServer;
let c: Clients;

beforeAll(async () => {
  server = await startTestbed();
  c = clientsFor(server);
});
afterAll(() => server.close());

describe('Batch job lifecycle', () => {
  it('goes SUBMITTED → RUNNABLE → STARTING → RUNNING → FAILED with the real exit code and log lines', async () => {
    const { jobId } = await c.batch.send(
      new SubmitJobCommand({
        jobName: 'exit3',
        jobQueue: 'q',
        jobDefinition: 'jd',
        containerOverrides: {
          command: ['bash', '-c', 'echo hi; echo "attempt $AWS_BATCH_JOB_ATTEMPT of $AWS_BATCH_JOB_ID in $AWS_BATCH_JQ_NAME" >&2; sleep 0.3; exit 3'],
        },
      }),
    );
    const { last, statuses } = await waitForJob(c, jobId!);
    expect(statuses).toEqual(['SUBMITTED', 'RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']);
    expect(last.container?.exitCode).toBe(3);
    expect(last.statusReason).toBe('Essential container in task exited');
    expect(last.attempts).toHaveLength(1);
    expect(last.stoppedAt! - last.startedAt!).toBeGreaterThanOrEqual(300);
    const stream = last.container?.logStreamName;
    expect(stream).toMatch(/^jd\/default\/[0-9a-f]{32}$/);
    expect(last.attempts?.[0]?.container?.logStreamName).toBe(stream);
    const events = await c.logs.send(
      new GetLogEventsCommand({ logGroupName: '/aws/batch/job', logStreamName: stream, startFromHead: true }),
    );
    expect(events.events?.map((e) => e.message)).toEqual(['hi', `attempt 1 of ${jobId} in q`]);
    expect(server.violations()).toEqual([]);
  });
});
