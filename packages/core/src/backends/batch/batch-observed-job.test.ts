import type { JobDetail } from '@aws-sdk/client-batch';
import { describe, expect, it } from 'vitest';
import { batchObservedJobOf, ownerOf, waitingReasonOf } from './batch-observed-job';
import { containerCommand, commandOf } from './batch-command';

const T0 = Date.parse('2026-12-02T10:00:00Z');
const base: JobDetail = {
  jobId: 'j-1',
  jobName: 'sh-q-1-ab_train',
  jobQueue: 'arn:aws:batch:us-east-1:1:job-queue/research',
  jobDefinition: 'arn:aws:batch:us-east-1:1:job-definition/jd:3',
  status: 'RUNNABLE',
  createdAt: T0,
  startedAt: undefined,
};
const ctx = { jobQueue: 'research', logGroup: '/aws/batch/job', nowMs: T0 + 3_725_000 };

describe('waitingReasonOf', () => {
  it.each([
    [
      'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested',
      'waiting for capacity: CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested',
    ],
    [
      'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met',
      'misconfigured, will never start: MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met',
    ],
    [
      'UNDETERMINED - Batch job is blocked, root cause is undetermined.',
      'blocked, AWS cannot say why: UNDETERMINED - Batch job is blocked, root cause is undetermined.',
    ],
  ])('%s', (statusReason, words) => {
    expect(waitingReasonOf({ ...base, statusReason })).toBe(words);
  });

  it("counts an array parent's children", () => {
    expect(
      waitingReasonOf({
        ...base,
        status: 'PENDING',
        arrayProperties: { size: 100, statusSummary: { RUNNING: 20, SUCCEEDED: 80, FAILED: 0 } },
      }),
    ).toBe('array of 100: 20 RUNNING, 80 SUCCEEDED');
  });

  it('says a job between attempts is retrying after the failed one', () => {
    const d: JobDetail = {
      ...base,
      retryStrategy: { attempts: 3 },
      attempts: [{ startedAt: T0, stoppedAt: T0 + 1, container: { exitCode: 1 } }],
    };
    expect(waitingReasonOf(d)).toBe('attempt 1 of 3 failed (exit code 1); retrying');
    expect(batchObservedJobOf(d, ctx).rawState).toBe('RUNNABLE (attempt 2 of 3)');
  });
});

describe('batchObservedJobOf', () => {
  it('shows a running ScriptHut job with its resources, command, directory and log stream', () => {
    const d: JobDetail = {
      ...base,
      status: 'RUNNING',
      startedAt: T0 + 5_000,
      tags: { 'scripthut:tag': 'sh-q-1-ab', 'scripthut:user': 'ada' },
      timeout: { attemptDurationSeconds: 7200 },
      container: {
        command: containerCommand('python train.py', '/work'),
        resourceRequirements: [
          { type: 'VCPU', value: '2' },
          { type: 'MEMORY', value: '4096' },
        ],
        logStreamName: 'jd/default/abc',
      },
    };
    expect(batchObservedJobOf(d, ctx)).toEqual({
      schedulerJobId: 'j-1',
      name: 'sh-q-1-ab_train',
      user: 'ada',
      rawState: 'RUNNING',
      state: 'running',
      reason: null,
      partition: 'research',
      cpus: 2,
      memory: '4096M',
      nodes: null,
      timeUsed: '1:02:00',
      timeLimit: '2:00:00',
      submitTime: '2026-12-02T10:00:00.000Z',
      startTime: '2026-12-02T10:00:05.000Z',
      workDir: '/work',
      command: 'python train.py',
      stdoutPath: '/aws/batch/job:jd/default/abc',
      stderrPath: null,
    });
  });

  it("does not round Fargate's fractional vCPUs up", () => {
    expect(
      batchObservedJobOf(
        { ...base, container: { resourceRequirements: [{ type: 'VCPU', value: '0.25' }] } },
        ctx,
      ).cpus,
    ).toBeNull();
  });
});

describe('ownerOf', () => {
  it('takes our tag, then an owner tag, then the job definition', () => {
    expect(ownerOf({ tags: { 'scripthut:user': 'ada', owner: 'x' }, jobDefinition: 'jd' })).toBe(
      'ada',
    );
    expect(ownerOf({ tags: { Owner: 'bob' }, jobDefinition: 'jd' })).toBe('bob');
    expect(ownerOf({ jobDefinition: 'arn:aws:batch:us-east-1:1:job-definition/nightly:7' })).toBe(
      'nightly:7',
    );
  });
});

describe('container command', () => {
  it('passes the command as one argv element, and a directory only as a positional parameter', () => {
    expect(containerCommand("echo 'a b' $HOME", null)).toEqual(['bash', '-c', "echo 'a b' $HOME"]);
    const argv = containerCommand('make', "/data/it's here; rm -rf /");
    expect(argv).toEqual([
      'bash',
      '-c',
      'cd -- "$1" || exit 1; exec bash -c "$2"',
      'scripthut-cd',
      "/data/it's here; rm -rf /",
      'make',
    ]);
    expect(commandOf(argv)).toEqual({ command: 'make', workDir: "/data/it's here; rm -rf /" });
    expect(commandOf(['python', 'x.py'])).toEqual({ command: 'python x.py', workDir: null });
  });
});
