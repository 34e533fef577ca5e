import {
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  type SubmitJobCommandInput,
} from '@aws-sdk/client-batch';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '../src/index';
import { clientsFor, describeJob, startTestbed, waitForJob, type Clients } from './testing';

let server: AwsTestServer;
let c: Clients;

beforeAll(async () => {
  // timeScale 0.02: the 60 s minimum attempt timeout lasts 1.2 s.
  server = await startTestbed({ timeScale: 0.02 });
  c = clientsFor(server);
});
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

async function submit(o: Partial<SubmitJobCommandInput> & { command?: string }): Promise<string> {
  const { command, ...rest } = o;
  const out = await c.batch.send(
    new SubmitJobCommand({
      jobName: 'job',
      jobQueue: 'q',
      jobDefinition: 'jd',
      ...(command ? { containerOverrides: { command: ['bash', '-c', command] } } : {}),
      ...rest,
    }),
  );
  return out.jobId!;
}

async function logLines(stream: string, group = '/aws/batch/job'): Promise<string[]> {
  const out = await c.logs.send(
    new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }),
  );
  return (out.events ?? []).map((e) => e.message ?? '');
}

describe('Batch job lifecycle', () => {
  it('goes SUBMITTED → RUNNABLE → STARTING → RUNNING → FAILED with the real exit code and log lines', async () => {
    // Dwell long enough that a 20 ms poll sees every state even on a loaded machine.
    const slow = await startTestbed({
      batchDwellMs: { SUBMITTED: 150, PENDING: 150, RUNNABLE: 150, STARTING: 150 },
    });
    const mainC = c;
    c = clientsFor(slow);
    try {
      const jobId = await submit({
        jobName: 'exit3',
        command:
          'echo hi; echo "attempt $AWS_BATCH_JOB_ATTEMPT of $AWS_BATCH_JOB_ID in $AWS_BATCH_JQ_NAME" >&2; sleep 0.3; exit 3',
      });
      const { last, statuses } = await waitForJob(c, jobId);
      expect(statuses).toEqual(['SUBMITTED', 'RUNNABLE', 'STARTING', 'RUNNING', 'FAILED']);
      expect(last.container?.exitCode).toBe(3);
      expect(last.statusReason).toBe('Essential container in task exited');
      expect(last.attempts).toHaveLength(1);
      expect(last.stoppedAt! - last.startedAt!).toBeGreaterThanOrEqual(300);
      expect(last.createdAt).toBeGreaterThan(Date.now() - 60_000); // epoch ms
      const stream = last.container?.logStreamName ?? '';
      expect(stream).toMatch(/^jd\/default\/[0-9a-f]{32}$/);
      expect(last.attempts?.[0]?.container?.logStreamName).toBe(stream);
      expect(await logLines(stream)).toEqual(['hi', `attempt 1 of ${jobId} in q`]);
      expect(slow.violations()).toEqual([]);
    } finally {
      c = mainC;
      await slow.close();
    }
  });

  it("runs the definition's command when there is no override and succeeds with exit 0", async () => {
    const { last } = await waitForJob(c, await submit({ jobName: 'default-cmd' }));
    expect(last.status).toBe('SUCCEEDED');
    expect(last.container?.exitCode).toBe(0);
    expect(await logLines(last.container?.logStreamName ?? '')).toEqual(['default command']);
  });

  it('retries a failed attempt through RUNNABLE, growing attempts[], until one succeeds', async () => {
    const jobId = await submit({
      jobName: 'flaky',
      command: 'echo "try $AWS_BATCH_JOB_ATTEMPT"; [ "$AWS_BATCH_JOB_ATTEMPT" -ge 3 ] || exit 7',
      retryStrategy: { attempts: 5 },
    });
    const { last } = await waitForJob(c, jobId);
    expect(last.status).toBe('SUCCEEDED');
    expect(last.attempts?.map((a) => a.container?.exitCode)).toEqual([7, 7, 0]);
    expect(last.attempts?.map((a) => a.statusReason)).toEqual(
      Array(3).fill('Essential container in task exited'),
    );
    const streams = new Set(last.attempts?.map((a) => a.container?.logStreamName));
    expect(streams.size).toBe(3); // one task, so one stream, per attempt
  });

  it('fails for good when the last allowed attempt fails', async () => {
    const { last } = await waitForJob(
      c,
      await submit({ jobName: 'always-fails', command: 'exit 1', retryStrategy: { attempts: 2 } }),
    );
    expect(last.status).toBe('FAILED');
    expect(last.attempts).toHaveLength(2);
  });

  it('stops an attempt that exceeds attemptDurationSeconds (scaled) and does not retry it', async () => {
    const started = Date.now();
    const { last } = await waitForJob(
      c,
      await submit({
        jobName: 'slow',
        command: 'sleep 30',
        timeout: { attemptDurationSeconds: 60 },
        retryStrategy: { attempts: 3 },
      }),
    );
    expect(last.status).toBe('FAILED');
    expect(last.statusReason).toBe('Job attempt duration exceeded timeout');
    expect(last.attempts).toHaveLength(1);
    expect(last.container?.exitCode).toBe(143); // SIGTERM; the grace period was enough
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
  });

  it('refuses attemptDurationSeconds under 60 as AWS does', async () => {
    await expect(submit({ timeout: { attemptDurationSeconds: 5 } })).rejects.toMatchObject({
      name: 'ClientException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('kills a process tree above its memory limit as OutOfMemoryError, exit 137', async () => {
    const { last } = await waitForJob(
      c,
      await submit({
        jobName: 'hog',
        containerOverrides: {
          command: ['python3', '-c', 'b=bytearray(300*1024*1024); import time; time.sleep(5)'],
          resourceRequirements: [
            { type: 'MEMORY', value: '128' },
            { type: 'VCPU', value: '1' },
          ],
        },
      }),
    );
    expect(last.status).toBe('FAILED');
    expect(last.container?.exitCode).toBe(137);
    expect(last.container?.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
  });

  it('holds a dependent job PENDING until its dependency succeeds, and fails it when one fails', async () => {
    const first = await submit({ jobName: 'first', command: 'sleep 0.3' });
    const second = await submit({ jobName: 'second', dependsOn: [{ jobId: first }] });
    const bad = await submit({ jobName: 'bad', command: 'exit 2' });
    const orphan = await submit({ jobName: 'orphan', dependsOn: [{ jobId: bad }] });
    const { statuses, last } = await waitForJob(c, second);
    // PENDING lasts as long as `first` runs, so a poller always sees it, before RUNNABLE.
    expect(statuses).toContain('PENDING');
    expect(statuses.indexOf('PENDING')).toBeLessThan(statuses.indexOf('RUNNABLE'));
    expect(last.status).toBe('SUCCEEDED');
    expect(last.startedAt!).toBeGreaterThanOrEqual((await describeJob(c, first)).stoppedAt!);
    const failed = await waitForJob(c, orphan);
    expect(failed.last).toMatchObject({ status: 'FAILED', attempts: [] });
  });

  it('runs array children <id>:<index> with AWS_BATCH_JOB_ARRAY_INDEX while the parent is PENDING', async () => {
    const parent = await submit({
      jobName: 'arr',
      command: 'echo "index $AWS_BATCH_JOB_ARRAY_INDEX"; sleep 0.2',
      arrayProperties: { size: 3 },
    });
    const pending = await waitForJob(c, parent, (j) => j.status === 'PENDING');
    expect(pending.last.arrayProperties?.size).toBe(3);
    const { last } = await waitForJob(c, parent);
    expect(last.status).toBe('SUCCEEDED');
    expect(last.arrayProperties?.statusSummary).toMatchObject({ SUCCEEDED: 3, FAILED: 0 });
    const children = await c.batch.send(
      new ListJobsCommand({ arrayJobId: parent, filters: [{ name: 'JOB_NAME', values: ['arr'] }] }),
    );
    const ids = children.jobSummaryList?.map((j) => j.jobId);
    expect(ids).toEqual([`${parent}:0`, `${parent}:1`, `${parent}:2`]);
    const child = await describeJob(c, `${parent}:2`);
    expect(child.arrayProperties?.index).toBe(2);
    expect(await logLines(child.container?.logStreamName ?? '')).toEqual(['index 2']);
  });

  it('fails an array parent when any child fails', async () => {
    const parent = await submit({
      jobName: 'arr-bad',
      command: '[ "$AWS_BATCH_JOB_ARRAY_INDEX" != 1 ]',
      arrayProperties: { size: 2 },
    });
    const { last } = await waitForJob(c, parent);
    expect(last.status).toBe('FAILED');
    expect(last.arrayProperties?.statusSummary).toMatchObject({ SUCCEEDED: 1, FAILED: 1 });
  });

  it('TerminateJob stops a RUNNING job (isTerminated, reason kept) and cancels a RUNNABLE one', async () => {
    const running = await submit({ jobName: 'to-stop', command: 'echo up; sleep 30' });
    await waitForJob(c, running, (j) => j.status === 'RUNNING');
    await c.batch.send(new TerminateJobCommand({ jobId: running, reason: 'user asked' }));
    const stopped = await waitForJob(c, running);
    expect(stopped.last).toMatchObject({
      status: 'FAILED',
      statusReason: 'user asked',
      isTerminated: true,
    });
    expect(stopped.last.container?.exitCode).toBe(143);

    server.setCapacityWait({ enabled: true });
    const held = await submit({ jobName: 'held' });
    const waiting = await waitForJob(
      c,
      held,
      (j) => j.statusReason?.startsWith('CAPACITY:') ?? false,
    );
    expect(waiting.last.status).toBe('RUNNABLE');
    await c.batch.send(new TerminateJobCommand({ jobId: held, reason: 'not needed' }));
    server.setCapacityWait({ enabled: false });
    const cancelled = await describeJob(c, held);
    expect(cancelled).toMatchObject({
      status: 'FAILED',
      statusReason: 'not needed',
      isCancelled: true,
    });
  });

  it('keeps a job asking more vCPUs than the environment has RUNNABLE with a MISCONFIGURATION reason', async () => {
    const jobId = await submit({
      jobName: 'too-big',
      containerOverrides: { resourceRequirements: [{ type: 'VCPU', value: '32' }] },
    });
    const { last } = await waitForJob(c, jobId, (j) => j.statusReason !== undefined);
    expect(last.status).toBe('RUNNABLE');
    expect(last.statusReason).toMatch(/^MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - /);
    await c.batch.send(new TerminateJobCommand({ jobId, reason: 'cleanup' }));
  });

  it('queues jobs beyond the vCPU capacity until a running one frees it', async () => {
    const big = {
      containerOverrides: {
        command: ['sleep', '0.4'],
        resourceRequirements: [{ type: 'VCPU' as const, value: '16' }],
      },
    };
    const a = await submit({ jobName: 'big-a', ...big });
    const b = await submit({ jobName: 'big-b', ...big });
    const [ja, jb] = [(await waitForJob(c, a)).last, (await waitForJob(c, b)).last];
    const [first, second] = ja.startedAt! < jb.startedAt! ? [ja, jb] : [jb, ja];
    expect(second.startedAt!).toBeGreaterThanOrEqual(first.stoppedAt!);
  });
});

describe('Batch start errors', () => {
  it('fails a job whose command does not exist with CannotStartContainerError', async () => {
    const { last } = await waitForJob(
      c,
      await submit({
        jobName: 'no-such-binary',
        containerOverrides: { command: ['no-such-binary-xyz'] },
      }),
    );
    expect(last.status).toBe('FAILED');
    expect(last.container?.reason).toMatch(
      /^CannotStartContainerError: .*"no-such-binary-xyz": executable file not found in \$PATH/,
    );
    expect(last.container?.exitCode).toBeUndefined();
  });

  it('fails a job with no command at all instead of crashing the server', async () => {
    await c.batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'no-cmd',
        type: 'container',
        containerProperties: { image: 'busybox' },
      }),
    );
    const { last } = await waitForJob(
      c,
      await submit({ jobName: 'no-cmd', jobDefinition: 'no-cmd' }),
    );
    expect(last.status).toBe('FAILED');
    expect(last.container?.reason).toMatch(/^CannotStartContainerError: /);
  });
});
