import type { JobDetail, JobSummary, ListJobsCommandInput } from '@aws-sdk/client-batch';
import { describe, expect, it } from 'vitest';
import { childStatusesOf, listArrayTasks, parentIdOf } from './batch-array-tasks';

const PARENT = '5b2d6a9e-21c4-4c5e-9f0e-0a1b2c3d4e5f';
const context = { jobQueue: 'q', logGroup: '/aws/batch/job', nowMs: Date.UTC(2026, 0, 1, 0, 1) };
// The SDK's JobDetail calls `startedAt` required; AWS omits it until a job starts.
const parent = (statusSummary?: Record<string, number>): JobDetail =>
  ({
    jobId: PARENT,
    jobName: 'sweep',
    jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
    status: statusSummary ? 'PENDING' : 'SUBMITTED',
    createdAt: Date.UTC(2026, 0, 1),
    jobDefinition: 'arn:aws:batch:us-east-1:123456789012:job-definition/jd:1',
    tags: { owner: 'grace' },
    container: {
      command: ['bash', '-c', 'echo $AWS_BATCH_JOB_ARRAY_INDEX'],
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '512' },
      ],
    },
    arrayProperties: { size: 4, ...(statusSummary ? { statusSummary } : {}) },
  }) as unknown as JobDetail;

/** ListJobs by arrayJobId and status over fixed children; records every query. */
function lister(children: JobSummary[]) {
  const asked: ListJobsCommandInput[] = [];
  const listAll = (input: ListJobsCommandInput) => {
    asked.push(input);
    return Promise.resolve(children.filter((c) => c.status === input.jobStatus));
  };
  return { asked, listAll };
}

describe('the tasks of a Batch array', () => {
  it('are its children, with their own status and times and the parent’s spec', async () => {
    const { asked, listAll } = lister([
      {
        jobId: `${PARENT}:0`,
        jobName: 'sweep',
        status: 'RUNNING',
        createdAt: Date.UTC(2026, 0, 1),
        startedAt: Date.UTC(2026, 0, 1, 0, 0, 30),
        arrayProperties: { index: 0 },
      },
      {
        jobId: `${PARENT}:1`,
        jobName: 'sweep',
        status: 'FAILED',
        createdAt: Date.UTC(2026, 0, 1),
        container: { exitCode: 3 },
        arrayProperties: { index: 1 },
      },
    ]);
    const tasks = await listArrayTasks(
      parent({
        SUBMITTED: 0,
        PENDING: 0,
        RUNNABLE: 2,
        STARTING: 0,
        RUNNING: 1,
        SUCCEEDED: 0,
        FAILED: 1,
      }),
      listAll,
      context,
    );
    // Only the statuses the parent's summary counts are asked for.
    expect(asked.map((a) => [a.arrayJobId, a.jobStatus])).toEqual([
      [PARENT, 'RUNNABLE'],
      [PARENT, 'RUNNING'],
      [PARENT, 'FAILED'],
    ]);
    expect(tasks).toEqual([
      expect.objectContaining({
        schedulerJobId: `${PARENT}:0`,
        arrayJobId: PARENT,
        arrayTasks: 1,
        state: 'running',
        rawState: 'RUNNING',
        user: 'grace',
        partition: 'q',
        memory: '512M',
        cpus: 1,
        timeUsed: '0:30',
        startTime: '2026-01-01T00:00:30.000Z',
        stdoutPath: null,
      }),
      expect.objectContaining({
        schedulerJobId: `${PARENT}:1`,
        state: 'failed',
        reason: 'exit code 3',
        startTime: null,
      }),
    ]);
  });

  it('is one pending range of its size while no child exists yet', async () => {
    const { asked, listAll } = lister([]);
    const tasks = await listArrayTasks(parent(), listAll, context);
    expect(asked).toHaveLength(7);
    expect(tasks).toEqual([
      expect.objectContaining({
        schedulerJobId: `${PARENT}:[0-3]`,
        arrayJobId: PARENT,
        arrayTasks: 4,
        state: 'submitted',
      }),
    ]);
  });

  it('asks for every status when the parent has no summary', () => {
    expect(childStatusesOf({ arrayProperties: { size: 2 } })).toHaveLength(7);
  });

  it('names the parent of a child and of the pending range, and no parent of a plain job', () => {
    expect(parentIdOf(`${PARENT}:7`)).toBe(PARENT);
    expect(parentIdOf(`${PARENT}:[0-3]`)).toBe(PARENT);
    expect(parentIdOf(PARENT)).toBeNull();
  });
});
